import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signIn, startHarness } from './harness.ts';
import { apiAs, chooseOption, SAMPLE_CSV, screenshots, unitId } from './helpers.ts';

// Issue #4: the staffing plan of a branch, from its history, as a chart. The demo bank has no
// queue history, so the real sample is imported into 北京朝阳支行 through the visits import.
const shot = screenshots(process.env.QUEUE_SCREENSHOTS, { fullPage: true });
let harness: Harness;

/** Imports the sample history into a branch over the API, as its manager would. */
async function importSample(username: string, branchCode: string): Promise<string> {
  const api = apiAs(harness.app, username);
  const branch = await unitId(api, branchCode);
  const { id } = await api<{ id: string }>(
    'POST',
    `/branches/${branch}/visit-imports?dryRun=false&fileName=history.csv`,
    readFileSync(SAMPLE_CSV, 'utf8'),
    'text/csv',
  );
  for (let i = 0; i < 1200; i++) {
    const job = await api<{ status: string; accepted: number }>(
      'GET',
      `/branches/${branch}/visit-imports/${id}`,
    );
    if (job.status !== 'running') {
      if (job.status !== 'imported' || job.accepted !== 13_018)
        throw new Error(`import: ${JSON.stringify(job)}`);
      return branch;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

/** Picks an option of the antd select with that test id. */
async function choose(page: Page, testId: string, option: RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  await chooseOption(page, option);
}

beforeAll(async () => {
  harness = await startHarness();
  await importSample('bj-cy.manager', 'BJ-CY');
});

afterAll(async () => {
  await harness?.close();
});

describe('staffing plan page in Chromium', () => {
  it('shows forecast arrivals and recommended counters for a weekday as a chart, per service and interval', async () => {
    const { page } = await harness.newPage();
    await signIn(page, 'bj-cy.manager');
    await page.getByRole('link', { name: '排班建议' }).click();
    await page.waitForURL('**/queue/staffing');
    await choose(page, 'staffing-weekday', /^星期一 · 2 天$/);
    const summary = page.getByTestId('staffing-summary');
    await summary.waitFor();
    await expect.poll(() => page.getByTestId('staffing-peak').textContent()).toMatch(/^高峰窗口数\d+$/);
    const peak = Number(((await page.getByTestId('staffing-peak').textContent()) ?? '').replace(/\D/g, ''));
    expect(peak).toBeGreaterThanOrEqual(8);

    // The chart: an SVG with stacked arrival bars per service and the counters' step line.
    const chart = page.getByTestId('staffing-chart');
    await chart.locator('svg').waitFor();
    await expect.poll(() => chart.locator('svg path').count()).toBeGreaterThan(100);
    const svgText = (await chart.locator('svg').textContent()) ?? '';
    expect(svgText).toContain('建议窗口数');
    expect(svgText).toContain('PS');
    expect(svgText).toMatch(/\d\d:\d0/); // interval labels on the x axis

    // Per service: the sample's busiest service leads; per interval: 10:00 with its skill tags.
    const services = page.getByTestId('staffing-services');
    await expect.poll(() => services.locator('tbody tr').count()).toBeGreaterThanOrEqual(6);
    const ps = services.locator('tbody tr', { hasText: /^PS/ });
    await expect.poll(() => ps.count()).toBe(1);
    const intervals = page.getByTestId('staffing-intervals');
    const ten = intervals.locator('tbody tr', { hasText: /^10:00/ });
    await expect.poll(() => ten.textContent()).toMatch(/PS × \d+/);
    await shot(page, 's01-staffing-monday');

    // A stricter standard needs at least as many counters at the peak.
    await choose(page, 'staffing-target', /^95%/);
    await expect
      .poll(async () =>
        Number(((await page.getByTestId('staffing-peak').textContent()) ?? '').replace(/\D/g, '')),
      )
      .toBeGreaterThan(peak);

    // Saturday has one date of history (and little traffic): the page warns that the forecast is weak.
    await choose(page, 'staffing-weekday', /^星期六/);
    await expect.poll(() => page.locator('.ant-alert-warning').textContent()).toContain('该星期只有一天历史');

    // English.
    await page.getByTestId('language-switch').click();
    await page.getByTitle('English').click();
    await choose(page, 'staffing-weekday', /^Tuesday · 2 days$/);
    await expect.poll(() => chart.locator('svg').textContent()).toContain('Recommended counters');
    await shot(page, 's02-staffing-tuesday-en');
  });

  it('a branch without history is told how to get one', async () => {
    const { page } = await harness.newPage();
    await signIn(page, 'bj-hd.manager');
    await page.getByRole('link', { name: '排班建议' }).waitFor();
    await page.goto('/queue/staffing');
    await expect.poll(() => page.locator('.ant-empty-description').textContent()).toContain('还没有到访记录');
    expect(await page.getByTestId('staffing-chart').count()).toBe(0);
  });
});
