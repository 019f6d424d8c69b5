import { manualClock } from '@serviceloop/domain';
import { runSlaTick } from '@serviceloop/server/cases/worker';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { type ApiClient, apiAs, chooseOption, eventually, screenshots, signedInPage } from './helpers.ts';

// Monday 23 November 2026, 09:30 in Beijing: a working morning for the business-hour clocks.
const START = new Date('2026-11-23T01:30:00Z');
const clock = manualClock(START);
const shot = screenshots(process.env.CASES_SCREENSHOTS ?? 'tmp/screenshots/cases', { fullPage: true });

let harness: Harness;

interface Detail {
  case: {
    id: string;
    number: string;
    state: string;
    compensations: { id: string; status: string; amount: { amountMinor: number; currency: string } }[];
  };
  risk: string;
  clocks: { role: string; dueAt: string; warnAt: string | null; state: string; fired: string[] }[];
  timeline: { type: string; data: Record<string, unknown> }[];
  rating: { score: number; comment: string | null } | null;
}

/** Ground truth straight from the API (as admin); signs in again for each call: the clock moves. */
let admin: ApiClient;

/** Moves the server's time (and the browser's, so countdowns agree) and runs one SLA worker pass. */
async function travelTo(at: Date, pages: readonly Page[]): Promise<number> {
  clock.set(at);
  for (const p of pages) await p.clock.setSystemTime(at);
  const result = await runSlaTick(harness.app.ctx);
  return result.fired;
}

const newSignedInPage = (username: string) => signedInPage(harness, username, { at: clock.now() });

/** Fills the counter intake form for a walk-in and returns what the result screen says. */
async function recordAtCounter(page: Page, input: { name: string; yuan: string; content: string }) {
  await page.goto('/cases/new');
  await page.locator('#intake-name').fill(input.name);
  await page.locator('#intake-phone').fill('13800001234');
  await page.locator('#intake-business').fill('借记卡');
  await page.locator('#intake-content').fill(input.content);
  await page.locator('#intake-compensation').fill(input.yuan);
  await page.getByTestId('intake-submit').click();
  const result = page.getByTestId('intake-compensation');
  await result.waitFor();
  const numberText = (await page.getByTestId('intake-number').textContent()) ?? '';
  const number = /CMP-\d{4}-\d{6}/.exec(numberText)?.[0];
  if (!number) throw new Error(`no case number on the result screen: ${numberText}`);
  return {
    number,
    status: await result.getAttribute('data-status'),
    text: (await result.textContent()) ?? '',
  };
}

async function caseIdOf(number: string): Promise<string> {
  const list = await admin<{ items: { id: string; number: string }[] }>('GET', `/cases?q=${number}`);
  const found = list.items.find((c) => c.number === number);
  if (!found) throw new Error(`no case ${number}`);
  return found.id;
}

async function inboxRow(page: Page, number: string) {
  const row = page.locator(`[data-testid="case-table"] tr[data-number="${number}"]`);
  await row.waitFor();
  return row;
}

beforeAll(async () => {
  harness = await startHarness({ clock: clock.now });
  admin = apiAs(harness.app, 'admin', { fresh: true });
});

afterAll(async () => {
  await harness?.close();
});

describe('complaint journey in Chromium', () => {
  let small: { number: string; id: string };
  let large: { number: string; id: string };

  it('a teller records ¥150 granted on the spot and ¥5,000 that goes to approval', async () => {
    const teller = await newSignedInPage('bj-cy.teller1');
    const menu = (await teller.locator('.ant-layout-sider').textContent()) ?? '';
    expect(menu).toContain('柜面快速登记');
    expect(menu).toContain('投诉工作台');
    // A teller neither supervises nor reads reports.
    expect(menu).not.toContain('投诉统计报表');

    await teller.goto('/cases/new');
    await teller.locator('#intake-name').waitFor();
    await shot(teller, '01-intake-form');
    const first = await recordAtCounter(teller, {
      name: '王芳',
      yuan: '150',
      content: 'ATM 吞卡后等待两小时，要求赔偿交通费',
    });
    expect(first.status).toBe('granted');
    expect(first.text).toContain('当场给付');
    expect(first.text).toContain('150.00');
    await shot(teller, '02-intake-granted');
    small = { number: first.number, id: await caseIdOf(first.number) };
    const smallDetail = await admin<Detail>('GET', `/cases/${small.id}`);
    expect(smallDetail.case.compensations).toEqual([
      expect.objectContaining({ status: 'granted', amount: { amountMinor: 15_000, currency: 'CNY' } }),
    ]);

    const second = await recordAtCounter(teller, {
      name: '李强',
      yuan: '5000',
      content: '转账延迟导致违约金，要求赔偿',
    });
    expect(second.status).toBe('pending_approval');
    expect(second.text).toContain('审批');
    expect(second.text).toContain('5,000.00');
    await shot(teller, '03-intake-approval');
    large = { number: second.number, id: await caseIdOf(second.number) };
    const largeDetail = await admin<Detail>('GET', `/cases/${large.id}`);
    expect(largeDetail.case.compensations.map((c) => [c.status, c.amount.amountMinor])).toEqual([
      ['pending_approval', 500_000],
    ]);
    await teller.context().close();
  });

  it('the branch manager approves the ¥5,000 compensation on the case page', async () => {
    const manager = await newSignedInPage('bj-cy.manager');
    await manager.goto('/cases/supervisor');
    const approval = manager.locator('[data-testid="approvals-table"] tbody tr', { hasText: large.number });
    await approval.waitFor();
    await shot(manager, '04-supervisor-approvals');
    await approval.locator('a').click();
    await manager.getByTestId('case-number').waitFor();
    await expect(manager.getByTestId('case-number').textContent()).resolves.toBe(large.number);
    await manager.getByTestId('approve-compensation').click();
    await eventually(() =>
      manager.locator('[data-testid="case-compensations"] tbody tr').first().getAttribute('data-status'),
    ).toBe('approved');
    const after = await admin<Detail>('GET', `/cases/${large.id}`);
    expect(after.case.compensations[0]?.status).toBe('approved');
    await manager.context().close();
  });

  it('the handler sees the countdown; time passes → warning → breach and escalation in the UI', async () => {
    let handler = await newSignedInPage('bj-cy.complaints');
    await handler.goto('/cases');
    let row = await inboxRow(handler, small.number);
    await expect(row.getAttribute('data-risk')).resolves.toBe('ok');
    const countdown = row.getByTestId('case-countdown');
    await expect(countdown.textContent()).resolves.toMatch(/^剩 /);
    await expect(countdown.getAttribute('data-risk')).resolves.toBe('ok');
    await shot(handler, '05-inbox-ok');

    const detail = await admin<Detail>('GET', `/cases/${small.id}`);
    const ack = detail.clocks.find((c) => c.role === 'acknowledgement');
    if (!ack?.warnAt) throw new Error('the acknowledgement clock has no warning time');
    // Warning: a minute after the warning time, still before the due time.
    expect(await travelTo(new Date(new Date(ack.warnAt).getTime() + 60_000), [handler])).toBeGreaterThan(0);
    await handler.context().close();
    handler = await newSignedInPage('bj-cy.complaints');
    await handler.goto('/cases');
    row = await inboxRow(handler, small.number);
    await expect(row.getAttribute('data-risk')).resolves.toBe('warning');
    await expect(row.getByTestId('case-countdown').getAttribute('data-risk')).resolves.toBe('warning');
    await expect(row.getByTestId('case-countdown').textContent()).resolves.toMatch(/^剩 /);
    await shot(handler, '06-inbox-warning');
    await handler.goto(`/cases/${small.id}`);
    await handler.locator('[data-event="case.warning"]').first().waitFor();
    await expect(handler.locator('[data-event="case.warning"]').first().textContent()).resolves.toContain(
      '时限预警',
    );
    await expect(handler.locator('[data-event="case.escalated"]').count()).resolves.toBe(0);

    // Breach plus every escalation step (team lead at once, branch manager +4 h, head office +24 h).
    const breachAndMore = new Date(new Date(ack.dueAt).getTime() + 25 * 3_600_000);
    expect(await travelTo(breachAndMore, [handler])).toBeGreaterThan(0);
    await handler.context().close();
    handler = await newSignedInPage('bj-cy.complaints');
    await handler.goto('/cases');
    row = await inboxRow(handler, small.number);
    await expect(row.getAttribute('data-risk')).resolves.toBe('breached');
    await expect(row.getByTestId('case-countdown').textContent()).resolves.toMatch(/^超时 /);
    await shot(handler, '07-inbox-breached');

    await handler.goto(`/cases/${small.id}`);
    const escalations = handler.locator('[data-event="case.escalated"]');
    await escalations.first().waitFor();
    const escalationText = (await escalations.allTextContents()).join('\n');
    expect(escalationText).toContain('超时升级');
    expect(escalationText).toContain('总行客服中心');
    expect(escalationText).toContain('支行行长');
    await expect(handler.locator('[data-event="case.breached"]').count()).resolves.toBeGreaterThan(0);
    await expect(handler.getByTestId('clock-acknowledgement').getAttribute('data-risk')).resolves.toBe(
      'breached',
    );
    await shot(handler, '08-case-escalated');

    // The supervisor view lists it among the breaches.
    await handler.goto('/cases/supervisor');
    await handler.locator(`[data-testid="supervisor-breached"] tr[data-number="${small.number}"]`).waitFor();
    const alertRows = handler.locator('[data-testid="supervisor-alerts"] tr[data-kind="escalation"]', {
      hasText: small.number,
    });
    await alertRows.first().waitFor();
    expect((await alertRows.allTextContents()).join('\n')).toContain('总行客服中心');
    await shot(handler, '09-supervisor-breaches');
    await handler.context().close();
  });

  it('the handler works the case to closure, and the rating link works exactly once', async () => {
    const handler = await newSignedInPage('bj-cy.complaints');
    await handler.goto(`/cases/${small.id}`);
    const state = handler.getByTestId('case-state');
    const act = async (action: string, fill?: () => Promise<void>) => {
      await handler.locator(`[data-testid="case-actions"] button[data-action="${action}"]`).click();
      if (fill) {
        await fill();
        await handler.getByTestId('action-ok').click();
      }
    };
    await act('acknowledge');
    await eventually(() => state.getAttribute('data-state')).toBe('acknowledged');
    await act('start_investigation');
    await eventually(() => state.getAttribute('data-state')).toBe('investigating');
    await act('propose_resolution', async () => {
      await handler.locator('#action-summary').fill('补偿交通费 150 元并致歉；已调整 ATM 吞卡处理流程');
    });
    await eventually(() => state.getAttribute('data-state')).toBe('resolution_proposed');
    await act('customer_accept');
    await eventually(() => state.getAttribute('data-state')).toBe('accepted');
    await act('close', async () => {
      await handler.locator('#action-root-cause').click();
      await chooseOption(handler, '流程');
      await handler.locator('#action-root-cause-text').fill('吞卡处理需两人复核，夜间无人值守');
    });
    await eventually(() => state.getAttribute('data-state')).toBe('closed');
    const link = handler.getByTestId('rating-link');
    await link.waitFor();
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(/\/rate\/[A-Za-z0-9_-]{16,}$/);
    await expect(handler.locator('[data-event="case.closed"]').count()).resolves.toBe(1);
    await shot(handler, '10-case-closed');
    const closed = await admin<Detail>('GET', `/cases/${small.id}`);
    expect(closed.case.state).toBe('closed');

    // The customer, on a phone, without signing in.
    const phone = await harness.browser.newContext({
      baseURL: harness.baseUrl,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      const customer = await phone.newPage();
      await customer.clock.setSystemTime(clock.now());
      await customer.goto(new URL(href).pathname);
      await expect(customer.getByTestId('rate-intro').textContent()).resolves.toContain(small.number);
      await expect(customer.locator('#username').count()).resolves.toBe(0);
      await expect(customer.getByTestId('rate-submit').isDisabled()).resolves.toBe(true);
      await customer.locator('[data-testid="rate-stars"] li').nth(3).click();
      await customer.getByTestId('rate-comment').fill('处理及时，态度很好');
      await shot(customer, '11-rate-form');
      await customer.getByTestId('rate-submit').click();
      await customer.getByTestId('rate-thanks').waitFor();
      await shot(customer, '12-rate-thanks');
      const rated = await admin<Detail>('GET', `/cases/${small.id}`);
      expect(rated.rating).toEqual({ score: 4, comment: '处理及时，态度很好', at: expect.any(String) });

      // A second visit: the link was spent.
      await customer.goto(new URL(href).pathname);
      await expect(customer.getByTestId('rate-unavailable').textContent()).resolves.toContain('已使用');
      await expect(customer.getByTestId('rate-submit').count()).resolves.toBe(0);
      await shot(customer, '13-rate-used');
    } finally {
      await phone.close();
    }

    // The rating lands on the case page.
    await handler.reload();
    await handler.getByTestId('case-rating').waitFor();
    await expect(handler.locator('[data-testid="case-rating"] .ant-rate-star-full').count()).resolves.toBe(4);
    await handler.context().close();
  });

  it('reports count by the JR/T axes with charts and export the CSV', async () => {
    const manager = await newSignedInPage('bj-cy.manager');
    await manager.goto('/cases/reports');
    await eventually(() =>
      manager.locator('[data-testid="report-total"] .ant-statistic-content-value').textContent(),
    ).toBe('2');
    await manager.locator('[data-testid="report-chart-channel"] svg').first().waitFor();
    await expect(manager.getByTestId('report-chart-channel').textContent()).resolves.toContain('营业现场');
    // ¥150 granted + ¥5,000 approved.
    await expect(manager.getByTestId('report-recovery').textContent()).resolves.toContain('5,150.00');
    await shot(manager, '14-reports');
    const download = manager.waitForEvent('download');
    await manager.getByTestId('report-export').click();
    const file = await download;
    const path = await file.path();
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(path, 'utf8');
    expect(csv).toContain('jrt_channel');
    expect(csv).toContain(small.number);
    expect(csv).toContain(large.number);
    await manager.context().close();
  });
});
