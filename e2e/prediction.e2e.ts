import { readFileSync } from 'node:fs';
import { learningStats } from '@serviceloop/server/queue/prediction';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signIn, startHarness } from './harness.ts';
import {
  apiAs,
  attr,
  beijingNoonClock,
  callApi,
  drawTicket,
  eventually,
  SAMPLE_CSV,
  screenshots,
  text,
  unitId,
} from './helpers.ts';

// Issue #4's "done when": the kiosk ticket and the status page show a predicted wait with its
// interval — here from a model the branch learned from its imported queue history.
let harness: Harness;
const shot = screenshots(process.env.QUEUE_SCREENSHOTS);

/** Point ≥ lower, ≤ upper, upper > lower, all from the data attributes of a WaitEstimateView. */
async function interval(page: Page, testId: string) {
  const [point, lower, upper] = await Promise.all(
    ['data-point-seconds', 'data-lower-seconds', 'data-upper-seconds'].map(async (a) =>
      Number(await attr(page, testId, a)),
    ),
  );
  expect(lower).toBeLessThanOrEqual(point as number);
  expect(point).toBeLessThanOrEqual(upper as number);
  expect(upper).toBeGreaterThan(lower as number);
  return { point: point as number, lower: lower as number, upper: upper as number };
}

beforeAll(async () => {
  // Real time, but at noon in Beijing of today's date (no business-day change mid-test).
  harness = await startHarness({ clock: beijingNoonClock() });
});

afterAll(async () => {
  await harness?.close();
});

describe('predicted wait in Chromium', () => {
  it('the kiosk ticket and the status page show the learned prediction with its interval, and it moves with the queue', async () => {
    const branch = await unitId(apiAs(harness.app, 'admin'), 'SH-PD');

    // Three days of real queue history, imported as the branch manager would.
    const manager = apiAs(harness.app, 'sh-pd.manager');
    const [header, ...rows] = readFileSync(SAMPLE_CSV, 'utf8').trim().split('\n');
    const days = new Set(['2010-08-01', '2010-08-02', '2010-08-03']);
    const csv = [header, ...rows.filter((r) => days.has(r.split(',')[4]?.slice(0, 10) ?? ''))].join('\n');
    const job = await manager<{ id: string }>(
      'POST',
      `/branches/${branch}/visit-imports?dryRun=false`,
      csv,
      'text/csv',
    );
    await eventually(
      async () =>
        (await manager<{ status: string }>('GET', `/branches/${branch}/visit-imports/${job.id}`)).status,
    ).toBe('imported');

    // Two counters open, three customers already waiting.
    const teller = apiAs(harness.app, 'sh-pd.teller1');
    const overview = await teller<{
      counters: { id: string; number: number; currentTicketId: string | null }[];
    }>('GET', `/branches/${branch}/queue`);
    const counterId = (n: number) => overview.counters.find((c) => c.number === n)?.id as string;
    for (const n of [1, 2]) {
      await teller('POST', `/branches/${branch}/counters/${counterId(n)}/open`, {});
      // A retried attempt finds the customers the failed one called still at the counters.
      const current = overview.counters.find((c) => c.number === n)?.currentTicketId;
      if (current) await teller('POST', `/branches/${branch}/tickets/${current}/no-show`, {});
    }
    for (let i = 0; i < 3; i++)
      await callApi(harness.app, null, 'POST', `/branches/${branch}/tickets`, { serviceCode: 'cash' });
    // Everyone waiting is an ordinary cash customer the next one queues behind (3 on a first
    // attempt; a retried attempt also finds those the failed one left).
    const ahead = (await teller<{ waitingTotal: number }>('GET', `/branches/${branch}/queue`)).waitingTotal;
    expect(ahead).toBeGreaterThanOrEqual(3);

    // The kiosk: a cash ticket, behind them.
    const kiosk = (await harness.newPage()).page;
    const ticket = await drawTicket(kiosk, branch, 'cash');
    expect(ticket.number).toMatch(/^A\d{3}$/);
    expect(await text(kiosk, 'kiosk-ahead')).toBe(`前面还有 ${ahead} 人`);
    expect(await text(kiosk, 'kiosk-estimate')).toMatch(/^预计等候: 约 \d+ 分钟（\d+–\d+ 分钟）$/);
    expect(await attr(kiosk, 'kiosk-estimate-value', 'data-method')).toBe('serviceloop');
    const issued = await interval(kiosk, 'kiosk-estimate-value');
    expect(await text(kiosk, 'kiosk-estimate-interval')).toMatch(/^八成顾客在 \d+–\d+ 分钟内被叫号$/);
    expect(await text(kiosk, 'kiosk-estimate-basis')).toContain('依据本网点历史排队数据预测');
    await shot(kiosk, 'p01-kiosk-ticket-prediction');
    // Learned by the server's worker thread, not on its event loop.
    expect(learningStats(harness.app.ctx).worker).toBeGreaterThanOrEqual(1);

    // The status page behind the QR code, on a phone.
    const phone = (await harness.newPage()).page;
    await phone.setViewportSize({ width: 390, height: 760 });
    await phone.goto(`/ticket/${ticket.id}`);
    await eventually(() => text(phone, 'status-ahead')).toBe(`${ahead} 人`);
    expect(await text(phone, 'status-estimate')).toMatch(/^约 \d+ 分钟（\d+–\d+ 分钟）$/);
    expect(await attr(phone, 'status-estimate-value', 'data-method')).toBe('serviceloop');
    const waiting = await interval(phone, 'status-estimate-value');
    expect(Math.abs(waiting.point - issued.point)).toBeLessThan(60);
    expect(await text(phone, 'status-estimate-interval')).toMatch(/^八成顾客在 \d+–\d+ 分钟内被叫号$/);
    await shot(phone, 'p02-status-prediction');

    // Two customers are called: the page follows by itself, fewer ahead, a shorter wait.
    for (const n of [1, 2])
      await teller('POST', `/branches/${branch}/counters/${counterId(n)}/call-next`, {});
    await eventually(() => text(phone, 'status-ahead')).toBe(`${ahead - 2} 人`);
    await eventually(async () =>
      Number(await attr(phone, 'status-estimate-value', 'data-point-seconds')),
    ).toBeLessThan(waiting.point);
    await interval(phone, 'status-estimate-value');

    // In English too.
    await phone.evaluate(() => window.localStorage.setItem('serviceloop.locale', 'en'));
    await phone.reload();
    await eventually(() => text(phone, 'status-estimate')).toMatch(
      /^about \d+ min \(\d+–\d+ min\)$|^under 1 min/,
    );
    expect(await text(phone, 'status-estimate-interval')).toMatch(
      /^8 in 10 customers are called within \d+–\d+ min$/,
    );
    await shot(phone, 'p03-status-prediction-en');

    // The lobby manager sees what a new arrival would be told, per service, as a range chart.
    const lobby = (await harness.newPage()).page;
    await signIn(lobby, 'sh-pd.lobby');
    await lobby.getByTestId('user-menu').waitFor();
    await lobby.getByRole('link', { name: '大堂管理' }).click();
    await eventually(() => attr(lobby, 'lobby-estimate-cash', 'data-method')).toBe('serviceloop');
    await interval(lobby, 'lobby-estimate-cash');
    expect(await text(lobby, 'lobby-estimate-cash')).toMatch(/^约 \d+ 分钟（\d+–\d+ 分钟）$/);
    await lobby.getByTestId('lobby-prediction-chart').locator('svg').waitFor();
    await shot(lobby, 'p04-lobby-prediction');
  });
});
