import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signIn, startHarness } from './harness.ts';
import {
  apiAs,
  attemptSuffix,
  closeDropdowns,
  eventually,
  modal,
  pick,
  residentId,
  row,
  saveModal as save,
} from './helpers.ts';

let harness: Harness;
/** Attempts of the customer journey so far (a retry files another identification). */
let customerAttempts = 0;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('administration journeys in Chromium', () => {
  it('admin creates a department, staffs it, resets the password, and the new colleague signs in', async () => {
    const { page } = await harness.newPage();
    await signIn(page, 'admin');
    await page.getByTestId('user-menu').waitFor();

    // Names of this attempt: a retried attempt must not collide with what a failed one created.
    const suffix = attemptSuffix().toUpperCase();
    const unitCode = `BJ-CY-VIP${suffix}`;
    const unitName = `贵宾理财中心 ${suffix}`;
    const username = `bj-cy.vip-${suffix.toLowerCase()}`;

    await page.getByRole('link', { name: '机构管理' }).click();
    await row(page, 'org-table', 'BJ-CY').first().getByRole('button', { name: '新增下级' }).click();
    await modal(page).locator('#code').fill(unitCode.toLowerCase()); // the form upper-cases it
    await modal(page).locator('#name').fill(unitName);
    await save(page);
    const created = row(page, 'org-table', unitCode);
    await eventually(() => created.textContent()).toContain(unitName);
    expect(await created.textContent()).toContain('部门');

    await page.getByRole('link', { name: '员工管理' }).click();
    await page.getByTestId('staff-table').waitFor();
    await page.getByRole('button', { name: /新\s*建/ }).click();
    await modal(page).locator('#username').fill(username);
    await modal(page).locator('#displayName').fill('贵宾理财经理 钱多');
    await pick(page, 'orgUnitId', unitName);
    await pick(page, 'roles', '客户经理');
    await closeDropdowns(page);
    await modal(page).locator('#password').fill('Welcome2026x');
    await save(page);
    const staffRow = row(page, 'staff-table', username);
    await eventually(() => staffRow.textContent()).toContain(unitName);
    expect(await staffRow.textContent()).toContain('客户经理');

    await staffRow.getByRole('button', { name: '重置密码' }).click();
    await modal(page).locator('#password').fill('short');
    await modal(page).locator('.ant-btn-primary').click();
    await eventually(() => modal(page).textContent()).toContain('至少 10 位');
    await modal(page).locator('#password').fill('Another2026x');
    await save(page);

    const colleague = await harness.newPage();
    await signIn(colleague.page, username, 'Welcome2026x');
    await eventually(() => colleague.page.getByTestId('signin-error').textContent()).toContain(
      '用户名或密码错误',
    );
    await signIn(colleague.page, username, 'Another2026x');
    await eventually(() => colleague.page.getByTestId('user-menu').textContent()).toContain(
      '贵宾理财经理 钱多',
    );
  });

  it('admin creates, reveals, edits and archives a customer, and the reveal is in the audit log', async () => {
    // This attempt's customer (a retry must not meet the identification a failed attempt filed),
    // and the reveals already in the audit log.
    const name = `周明远 ${attemptSuffix()}`;
    const idNumber = residentId(`11010519850315${123 + customerAttempts++}`);
    const revealedBefore = (
      await apiAs(harness.app, 'admin')<unknown[]>('GET', '/audit?action=customer.revealed&limit=500')
    ).length;
    const { page } = await harness.newPage();
    await signIn(page, 'admin');
    await page.getByTestId('user-menu').waitFor();
    await page.getByRole('link', { name: '客户查询' }).click();
    await page.getByTestId('customer-total').waitFor();

    await page.getByRole('button', { name: /新\s*建/ }).click();
    await modal(page).locator('#name').fill(name);
    await modal(page).locator('#idNumber').fill(idNumber);
    await modal(page).locator('#phone').fill('13912345678');
    await pick(page, 'tier', '贵宾');
    await pick(page, 'serviceLevel', '金卡');
    await pick(page, 'homeBranchId', '北京朝阳支行');
    await save(page);

    // The new customer opens in the drawer, masked.
    const drawer = page.getByTestId('customer-drawer');
    await eventually(() => drawer.textContent()).toContain(name);
    await eventually(() => page.getByTestId('customer-phone').textContent()).toBe('1391234****');

    await page.getByTestId('reveal-button').click();
    await modal(page).locator('textarea').fill('客户来电核实身份');
    await save(page);
    await eventually(() => page.getByTestId('customer-phone').textContent()).toBe('13912345678');
    expect(await page.getByTestId('unmasked-tag').count()).toBe(1);

    await drawer.getByRole('button', { name: /编\s*辑/ }).click();
    await pick(page, 'tier', '重要');
    await save(page);
    await eventually(() => drawer.locator('.ant-descriptions').textContent()).toContain('重要');

    await drawer.getByRole('button', { name: /归\s*档/ }).click();
    await modal(page).locator('textarea').fill('客户销户');
    await save(page);
    await drawer.waitFor({ state: 'hidden' });
    await page.locator('#customer-search').fill(name);
    await page.keyboard.press('Enter');
    // Archived customers drop out of search: the table ends up empty.
    await page.locator('[data-testid="customer-table"] .ant-empty').waitFor();
    expect(await page.locator('[data-testid="customer-table"] tbody tr.ant-table-row').count()).toBe(0);

    await page.getByRole('link', { name: '审计日志' }).click();
    await page.locator('#audit-action-filter').fill('customer.revealed');
    await page.keyboard.press('Enter');
    const rows = page.locator('[data-testid="audit-table"] tbody tr.ant-table-row');
    await eventually(() => rows.count()).toBe(revealedBefore + 1);
    expect(await rows.first().textContent()).toContain('admin');
    expect(await rows.first().textContent()).toContain('customer.revealed');
  });
});
