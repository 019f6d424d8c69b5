// Takes screenshots of the main screens for a human to look at: `npx tsx e2e/screenshots.ts [outDir]`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { signIn, startHarness } from './harness.ts';

const outDir = process.argv[2] ?? 'tmp/screenshots';
mkdirSync(outDir, { recursive: true });
const harness = await startHarness();
try {
  const { page } = await harness.newPage();
  const shot = async (name: string) => {
    await page.waitForTimeout(700);
    await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: false });
    console.log(join(outDir, `${name}.png`));
  };
  await page.goto('/sign-in');
  await shot('01-sign-in');
  await signIn(page, 'admin', 'wrong-password');
  await page.getByTestId('signin-error').waitFor();
  await shot('02-sign-in-error');
  await signIn(page, 'admin');
  await page.getByTestId('stat-customers').waitFor();
  await shot('03-home');
  await page.goto('/customers');
  await page.getByTestId('customer-total').waitFor();
  await shot('04-customers');
  await page.locator('[data-testid="customer-table"] tbody tr').first().locator('button').first().click();
  await page.getByTestId('reveal-button').waitFor();
  await shot('05-customer-drawer');
  await page.goto('/org-units');
  await page.getByTestId('org-table').waitFor();
  await shot('06-org-units');
  await page.goto('/staff');
  await page.getByTestId('staff-table').waitFor();
  await shot('07-staff');
  await page.goto('/audit');
  await page.getByTestId('audit-table').waitFor();
  await shot('08-audit');
  await page.goto('/customers/import');
  const header =
    'kind,name,id_type,id_number,phone,email,birth_date,tier,service_level,home_branch_code,account_manager_username,notes';
  await page.getByTestId('import-file').setInputFiles({
    name: 'customers.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      `${header}\nperson,张三,resident_id,110105199005019013,13800001111,,1990-05-01,vip,gold,BJ-CY,,\nperson,李四,resident_id,123,138,bad-mail,,gold,basic,XX,,\n`,
    ),
  });
  await page.getByTestId('import-dry-run').click();
  await page.getByTestId('import-rejections').waitFor();
  await shot('09-import-rejected');
  await page.goto('/staff');
  await page.getByTestId('staff-table').waitFor();
  await page.getByRole('button', { name: /新建/ }).click();
  const modal = page.locator('.ant-modal:visible');
  await modal.locator('input').nth(0).fill('Bad Name');
  await modal.locator('input').nth(1).fill('测试员工');
  await modal.locator('.ant-select-multiple').click();
  await page.locator('.ant-select-item-option', { hasText: '柜员' }).click();
  await page.keyboard.press('Escape');
  await modal.locator('input[type="password"]').fill('Password123');
  await modal.locator('.ant-btn-primary').click();
  await page.waitForTimeout(300);
  await shot('11-staff-form-errors');
  await page.keyboard.press('Escape');
  await page.locator('.ant-modal:visible').waitFor({ state: 'hidden' });
  const teller = await harness.newPage();
  await signIn(teller.page, 'bj-cy.teller1');
  await teller.page.getByTestId('user-menu').waitFor();
  await teller.page.goto('/customers');
  await teller.page.getByTestId('customer-total').waitFor();
  await teller.page.locator('#org-switcher').click();
  await teller.page.locator('.ant-select-dropdown:visible .ant-select-tree-title').first().waitFor();
  await teller.page.waitForTimeout(500);
  await teller.page.screenshot({ path: join(outDir, '12-teller-customers.png') });
  console.log(join(outDir, '12-teller-customers.png'));
  await teller.context.close();
  await page.getByTestId('language-switch').click();
  await page.getByTitle('English').click();
  await page.goto('/');
  await page.getByTestId('stat-customers').waitFor();
  await shot('10-home-en');
  await page.goto('/customers');
  await page.getByTestId('customer-total').waitFor();
  await shot('13-customers-en');
  await page.goto('/org-units');
  await page.getByTestId('org-table').waitFor();
  await shot('14-org-units-en');
  // Branch queue back office (issue #3), in English: settings, notices, visit records, KPIs.
  await page.goto('/queue/settings');
  await page.getByTestId('policy-form').waitFor();
  await shot('15-queue-settings-en');
  await page.goto('/queue/notices');
  await page.getByTestId('notice-text-zh').fill('2 号 ATM 暂停服务');
  await page.getByTestId('notice-text-en').fill('ATM 2 out of service');
  await page.getByTestId('notice-post').click();
  await page.locator('[data-testid="notice-list"] tr.ant-table-row').first().waitFor();
  await shot('16-queue-notices-en');
  await page.goto('/queue/visits');
  await page.getByTestId('visits-export').waitFor();
  await shot('17-queue-visits-en');
  await page.goto('/queue/kpi');
  await page.getByTestId('kpi-summary').waitFor();
  await shot('18-queue-kpi-en');
} finally {
  await harness.close();
}
