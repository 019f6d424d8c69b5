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
  await shot('09-import');
  await page.getByTestId('language-switch').click();
  await page.getByTitle('English').click();
  await page.goto('/');
  await page.getByTestId('stat-customers').waitFor();
  await shot('10-home-en');
} finally {
  await harness.close();
}
