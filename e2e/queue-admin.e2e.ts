import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signIn, startHarness } from './harness.ts';
import {
  type ApiClient,
  apiAs,
  beijingNoonClock,
  chooseOption,
  eventually,
  screenshots,
  unitId,
} from './helpers.ts';

// Issue #3, the branch's back office: a branch manager edits a service's target wait, a lobby
// manager posts a notice that the display board shows at once (and takes it down), a manager
// imports a small history file with one bad row and reads the report (in Chinese and English; a
// file refused whole says so), and the KPI page shows the server's figures.
let harness: Harness;
let admin: ApiClient;
const shot = screenshots(process.env.QUEUE_SCREENSHOTS, { fullPage: true });

const HISTORY = [
  'visit_id,site,service,priority,arrived_at,called_at,service_started_at,service_ended_at,outcome,counter',
  // Service began 2 s before the call (clock skew between systems): tolerated and imported.
  'h1,BJ-CY,cash,0,2026-03-02T09:00:00,2026-03-02T09:04:00,2026-03-02T09:03:58,2026-03-02T09:10:00,served,1',
  'h2,BJ-CY,cash,0,2026-03-02T09:02:00,,,,abandoned,',
  'h3,BJ-CY,personal,yesterday,not-a-time,,,,served,2',
  'h4,BJ-CY,personal,1,2026-03-02T09:05:00,2026-03-02T09:20:00,,,no_show,',
].join('\n');

beforeAll(async () => {
  // Noon in Beijing of today's (UTC) date, as in queue.e2e.ts: no business-day change mid-test.
  harness = await startHarness({ clock: beijingNoonClock() });
  admin = apiAs(harness.app, 'admin');
});

afterAll(async () => {
  await harness?.close();
});

describe('branch queue back office in Chromium', () => {
  it('a branch manager changes the cash target wait; the KPI page uses it', async () => {
    const branch = await unitId(admin, 'BJ-CY');
    const { page } = await harness.newPage();
    await signIn(page, 'bj-cy.manager');
    await page.getByRole('link', { name: '排队设置' }).click();
    const cashRow = page.locator('[data-testid="settings-services"] tbody tr[data-row-key="cash"]');
    await expect.poll(() => cashRow.textContent()).toContain('15 分钟');
    await page.getByTestId('service-edit-cash').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('service-target').fill('10');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(() => cashRow.textContent()).toContain('10 分钟');
    const settings = await admin<{ services: { code: string; targetWaitSeconds: number }[] }>(
      'GET',
      `/branches/${branch}/queue-settings`,
    );
    expect(settings.services.find((s) => s.code === 'cash')?.targetWaitSeconds).toBe(600);
    await shot(page, 'qa01-settings');

    // A policy the domain's schema refuses (two classes with one id): the server's reason shows
    // (the web app carries no zod to check it first) and nothing is saved.
    const version = await page.getByTestId('policy-version').textContent();
    await page.getByTestId('policy-class').nth(1).locator('input').first().fill('vip');
    await page.getByTestId('policy-save').click();
    await eventually(() => page.locator('.ant-message').textContent()).toContain('Duplicate class vip');
    expect(await page.getByTestId('policy-version').textContent()).toBe(version);
    await page.locator('.ant-message-error').waitFor({ state: 'detached' }); // not in the next screenshots

    // A teller serves two customers; a third still waits.
    const teller = apiAs(harness.app, 'bj-cy.teller1');
    const overview = await teller<{ counters: { id: string }[] }>('GET', `/branches/${branch}/queue`);
    const counter = overview.counters[0]?.id;
    await teller('POST', `/branches/${branch}/counters/${counter}/open`, {});
    for (const serviceCode of ['cash', 'personal', 'cash']) {
      await teller('POST', `/branches/${branch}/tickets`, { serviceCode });
    }
    for (let i = 0; i < 2; i++) {
      const { ticket } = await teller<{ ticket: { id: string } }>(
        'POST',
        `/branches/${branch}/counters/${counter}/call-next`,
        {},
      );
      await teller('POST', `/branches/${branch}/tickets/${ticket.id}/start`, {});
      await teller('POST', `/branches/${branch}/tickets/${ticket.id}/finish`, {});
    }

    await page.getByRole('link', { name: '当日指标' }).click();
    const kpiCash = page.locator('[data-testid="kpi-by-service"] tbody tr[data-row-key="cash"]');
    await eventually(() => kpiCash.textContent()).toContain('10 分钟');
    expect(await page.getByTestId('kpi-arrivals').textContent()).toContain('3');
    expect(await page.getByTestId('kpi-served').textContent()).toContain('2');
    expect(await page.getByTestId('kpi-within-target').textContent()).toContain('100%');
    expect(await page.getByTestId('kpi-export').getAttribute('href')).toMatch(
      /\/kpis\.csv\?day=\d{4}-\d{2}-\d{2}$/,
    );
    await shot(page, 'qa02-kpi');
  });

  it('a lobby manager posts a notice, the display board shows it live, and takes it down', async () => {
    const branch = await unitId(admin, 'BJ-CY');
    const board = (await harness.newPage()).page;
    await board.goto(`/display/${branch}`);
    await eventually(() => board.getByTestId('display-connection').textContent()).toContain('实时');
    expect(await board.getByTestId('display-notices').count()).toBe(0);

    const { page } = await harness.newPage();
    await signIn(page, 'bj-cy.lobby');
    await page.getByRole('link', { name: '叫号屏通知' }).click();
    await page.getByTestId('notice-text-zh').fill('2 号 ATM 暂停服务');
    await page.getByTestId('notice-text-en').fill('ATM 2 out of service');
    await page.getByTestId('notice-post').click();
    await eventually(() => page.getByTestId('notice-preview').textContent()).toContain('2 号 ATM 暂停服务');

    // The board, which never reloaded, shows it.
    await eventually(() => board.getByTestId('display-notices').textContent()).toContain('2 号 ATM 暂停服务');
    await shot(page, 'qa03-notices');
    await shot(board, 'qa04-display-notice');

    const row = page.locator('[data-testid="notice-list"] tbody tr', { hasText: '2 号 ATM 暂停服务' });
    await row.getByRole('button', { name: /撤\s*下/ }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await eventually(() => row.textContent()).toContain('已结束');
    await eventually(() => board.getByTestId('display-notices').count()).toBe(0);
  });

  it('imports a small history file with one bad row and shows the report', async () => {
    const { page } = await harness.newPage();
    await signIn(page, 'bj-cy.manager');
    await page.getByRole('link', { name: '到访记录' }).click();
    const choose = (name: string, csv: string) =>
      page.getByTestId('visits-file').setInputFiles({
        name,
        mimeType: 'text/csv',
        buffer: Buffer.from(csv, 'utf8'),
      });
    const summary = () => page.getByTestId('visits-summary').textContent();
    await choose('history.csv', HISTORY);
    await eventually(() => page.getByTestId('visits-file-name').textContent()).toContain('4 行数据');
    await page.getByTestId('visits-dry-run').click();
    await eventually(() => page.getByTestId('visits-status').textContent()).toBe('校验通过');
    expect(await summary()).toContain('3 / 4 行可以导入');
    await page.getByTestId('visits-run').click();
    await eventually(() => page.getByTestId('visits-status').textContent()).toBe('导入完成');
    // The job's summary in Chinese, not the server's English message.
    expect(await summary()).toContain('已导入 3 条到访记录');
    expect(await summary()).toContain('1 行不合格，未导入');
    expect(await summary()).toContain('开始办理时间略早于叫号时间（系统间时钟偏差）：1 行');
    expect(await summary()).not.toMatch(/Imported|Tolerated|rejected/);
    const rejections = page.locator('[data-testid="visits-rejections"] tbody tr');
    await eventually(() => rejections.count()).toBe(1);
    // Row 4 of the file (the header is row 1) is the bad one.
    expect(await rejections.first().locator('td').first().textContent()).toBe('4');
    expect(await rejections.first().textContent()).toContain('priority：应为整数（文件中为“yesterday”）');
    expect(await page.getByTestId('visits-progress').getAttribute('class')).toContain(
      'ant-progress-status-success',
    );
    await shot(page, 'qa05-visits-import');

    // A file refused whole (required columns missing) is not "rows rejected".
    await choose('wrong.csv', 'visit_id,service\nx1,cash\n');
    await page.getByTestId('visits-dry-run').click();
    await eventually(() => page.getByTestId('visits-status').textContent()).toBe('文件被拒绝');
    expect(await summary()).toContain('缺少必需的列：priority、arrived_at、called_at、outcome');
    await shot(page, 'qa06-visits-refused');

    // In English: the same tag, and the report of importing the file again.
    await page.getByTestId('language-switch').click();
    await chooseOption(page, 'English');
    await eventually(() => page.getByTestId('visits-status').textContent()).toBe('File refused');
    await choose('history.csv', HISTORY);
    await page.getByTestId('visits-dry-run').click();
    await eventually(() => page.getByTestId('visits-status').textContent()).toBe('Valid');
    await page.getByTestId('visits-run').click();
    await eventually(() => page.getByTestId('visits-status').textContent()).toBe('Imported');
    expect(await summary()).toContain('3 records were already on file and were skipped');
    expect(await summary()).toContain('1 row rejected, not imported');
    expect(await summary()).toContain(
      'service began slightly before the call (clock skew between systems): 1 row',
    );
    await shot(page, 'qa07-visits-import-en');
  });
});
