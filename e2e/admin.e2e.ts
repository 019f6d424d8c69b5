import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signIn, startHarness } from './harness.ts';

let harness: Harness;

function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 10_000, interval: 100 });
}

/** A mainland resident ID: 17 digits plus the ISO 7064 MOD 11-2 check character. */
function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0);
  return `${first17}${'10X98765432'[sum % 11]}`;
}

const modal = (page: Page): Locator => page.locator('.ant-modal:visible');

/** Opens an antd Select / TreeSelect by its form field id and picks the option with this text. */
async function pick(page: Page, fieldId: string, text: string): Promise<void> {
  await page.locator(`#${fieldId}`).click();
  const dropdown = page.locator('.ant-select-dropdown:visible');
  await dropdown
    .locator('.ant-select-item-option, .ant-select-tree-node-content-wrapper', { hasText: text })
    .first()
    .click();
}

/**
 * A multi-select's dropdown stays open and a closing one still animates over the buttons:
 * clicking the modal's title closes them (Escape would close the modal itself if the dropdown
 * had already gone), then wait until none is visible.
 */
async function closeDropdowns(page: Page): Promise<void> {
  await modal(page).locator('.ant-modal-title').click();
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
}

async function save(page: Page): Promise<void> {
  await closeDropdowns(page);
  await modal(page).locator('.ant-btn-primary').click();
  // Count rather than waitFor: during the close animation two modals can match for a moment.
  await expect.poll(() => page.locator('.ant-modal:visible').count(), { timeout: 10_000 }).toBe(0);
}

function row(page: Page, table: string, text: string): Locator {
  return page.locator(`[data-testid="${table}"] tbody tr.ant-table-row`, { hasText: text });
}

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

    await page.getByRole('link', { name: '机构管理' }).click();
    await row(page, 'org-table', 'BJ-CY').first().getByRole('button', { name: '新增下级' }).click();
    await modal(page).locator('#code').fill('bj-cy-vip');
    await modal(page).locator('#name').fill('贵宾理财中心');
    await save(page);
    const created = row(page, 'org-table', 'BJ-CY-VIP');
    await eventually(() => created.textContent()).toContain('贵宾理财中心');
    expect(await created.textContent()).toContain('部门');

    await page.getByRole('link', { name: '员工管理' }).click();
    await page.getByTestId('staff-table').waitFor();
    await page.getByRole('button', { name: /新\s*建/ }).click();
    await modal(page).locator('#username').fill('bj-cy.vip1');
    await modal(page).locator('#displayName').fill('贵宾理财经理 钱多');
    await pick(page, 'orgUnitId', '贵宾理财中心');
    await pick(page, 'roles', '客户经理');
    await closeDropdowns(page);
    await modal(page).locator('#password').fill('Welcome2026x');
    await save(page);
    const staffRow = row(page, 'staff-table', 'bj-cy.vip1');
    await eventually(() => staffRow.textContent()).toContain('贵宾理财中心');
    expect(await staffRow.textContent()).toContain('客户经理');

    await staffRow.getByRole('button', { name: '重置密码' }).click();
    await modal(page).locator('#password').fill('short');
    await modal(page).locator('.ant-btn-primary').click();
    await eventually(() => modal(page).textContent()).toContain('至少 10 位');
    await modal(page).locator('#password').fill('Another2026x');
    await save(page);

    const colleague = await harness.newPage();
    await signIn(colleague.page, 'bj-cy.vip1', 'Welcome2026x');
    await eventually(() => colleague.page.getByTestId('signin-error').textContent()).toContain(
      '用户名或密码错误',
    );
    await signIn(colleague.page, 'bj-cy.vip1', 'Another2026x');
    await eventually(() => colleague.page.getByTestId('user-menu').textContent()).toContain(
      '贵宾理财经理 钱多',
    );
  });

  it('admin creates, reveals, edits and archives a customer, and the reveal is in the audit log', async () => {
    const { page } = await harness.newPage();
    await signIn(page, 'admin');
    await page.getByTestId('user-menu').waitFor();
    await page.getByRole('link', { name: '客户查询' }).click();
    await page.getByTestId('customer-total').waitFor();

    await page.getByRole('button', { name: /新\s*建/ }).click();
    await modal(page).locator('#name').fill('周明远');
    await modal(page).locator('#idNumber').fill(residentId('11010519850315123'));
    await modal(page).locator('#phone').fill('13912345678');
    await pick(page, 'tier', '贵宾');
    await pick(page, 'serviceLevel', '金卡');
    await pick(page, 'homeBranchId', '北京朝阳支行');
    await save(page);

    // The new customer opens in the drawer, masked.
    const drawer = page.getByTestId('customer-drawer');
    await eventually(() => drawer.textContent()).toContain('周明远');
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
    await page.locator('#customer-search').fill('周明远');
    await page.keyboard.press('Enter');
    // Archived customers drop out of search: the table ends up empty.
    await page.locator('[data-testid="customer-table"] .ant-empty').waitFor();
    expect(await page.locator('[data-testid="customer-table"] tbody tr.ant-table-row').count()).toBe(0);

    await page.getByRole('link', { name: '审计日志' }).click();
    await page.locator('#audit-action-filter').fill('customer.revealed');
    await page.keyboard.press('Enter');
    const rows = page.locator('[data-testid="audit-table"] tbody tr.ant-table-row');
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('admin');
    expect(await rows.first().textContent()).toContain('customer.revealed');
  });
});
