import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signIn, startHarness } from './harness.ts';
import {
  type ApiClient,
  apiAs,
  beijingNoonClock,
  drawTicket,
  eventually,
  openDropdown,
  screenshots,
  text,
  unitId,
} from './helpers.ts';

// Issue #3's "done when": kiosk → display → teller → display call-out → status page → finish → KPIs.
let harness: Harness;
let admin: ApiClient;
const shot = screenshots(process.env.QUEUE_SCREENSHOTS);

interface TicketRow {
  id: string;
  number: string;
  serviceCode: string;
  status: string;
  counterId: string | null;
}

interface LobbyOverview {
  waitingTotal: number;
  services: { code: string; waiting: number }[];
  counters: { id: string; number: number; skills: string[] }[];
}

beforeAll(async () => {
  harness = await startHarness({ clock: beijingNoonClock() });
  admin = apiAs(harness.app, 'admin');
});

afterAll(async () => {
  await harness?.close();
});

describe('branch queue journey in Chromium', () => {
  it('kiosk issues A001, the board shows it, the teller calls it, the board announces counter 3, the status page follows, finish counts in the KPIs', async () => {
    const branch = await unitId(admin, 'BJ-CY');

    // The display board, public, with voice turned on by a click (a real user gesture).
    const board = (await harness.newPage()).page;
    await board.goto(`/display/${branch}?notice=ATM%202%20暂停服务`);
    await eventually(() => board.getByTestId('display-waiting-cash').getAttribute('data-count')).toBe('0');
    await board.getByTestId('enable-voice').click();
    await board.getByTestId('voice-on').waitFor();
    expect(await text(board, 'display-notices')).toContain('ATM 2 暂停服务');

    // The kiosk, public: anonymous, cash service.
    const kiosk = (await harness.newPage()).page;
    await kiosk.goto(`/kiosk/${branch}`);
    await kiosk.getByTestId('kiosk-service-cash').waitFor();
    await shot(kiosk, 'q01-kiosk');
    await kiosk.getByTestId('kiosk-service-cash').click();
    await kiosk.getByTestId('kiosk-ticket').waitFor();
    expect(await text(kiosk, 'kiosk-number')).toBe('A001');
    expect(await text(kiosk, 'kiosk-service')).toBe('现金业务');
    expect(await text(kiosk, 'kiosk-ahead')).toBe('前面还有 0 人');
    expect(await text(kiosk, 'kiosk-estimate')).toMatch(/^预计等候: 约 \d+ 分钟（\d+–\d+ 分钟）$/);
    const ticketId = await kiosk.getByTestId('kiosk-ticket').getAttribute('data-ticket-id');
    expect(ticketId).toMatch(/^[0-9a-f-]{36}$/);
    await kiosk.getByTestId('kiosk-qr').waitFor();
    expect(await kiosk.getByTestId('kiosk-qr').getAttribute('data-url')).toBe(
      `${harness.baseUrl}/ticket/${ticketId}`,
    );
    await shot(kiosk, 'q02-kiosk-ticket');

    // The board shows one waiting for cash, live over SSE (no reload).
    await eventually(() => board.getByTestId('display-waiting-cash').getAttribute('data-count')).toBe('1');

    // The status page before the call: waiting, nobody ahead.
    await kiosk.goto(`/ticket/${ticketId}`);
    await eventually(() => text(kiosk, 'status-tag')).toBe('等候中');
    expect(await text(kiosk, 'status-ahead')).toBe('0 人');
    await kiosk.setViewportSize({ width: 390, height: 760 });
    await shot(kiosk, 'q03-status-waiting');

    // The teller opens counter 3 and calls with F1.
    const teller = (await harness.newPage()).page;
    await signIn(teller, 'bj-cy.teller1');
    await teller.getByTestId('user-menu').waitFor();
    expect(await teller.locator('.ant-layout-sider').textContent()).toContain('柜员叫号');
    expect(await teller.locator('.ant-layout-sider').textContent()).not.toContain('大堂管理');
    await teller.getByRole('link', { name: '柜员叫号' }).click();
    await teller.getByTestId('teller-counter').click();
    await teller.locator('.ant-select-item-option', { hasText: '3 号窗口' }).click();
    await teller.getByTestId('counter-open').click();
    await eventually(() => text(teller, 'counter-state')).toContain('开放');
    await eventually(() => teller.getByTestId('action-call-next').isEnabled()).toBe(true);
    expect(await text(teller, 'action-call-next')).toContain('F1');
    await teller.keyboard.press('F1');
    await eventually(() => text(teller, 'current-number')).toBe('A001');
    expect(await text(teller, 'current-status')).toBe('已叫号');
    await shot(teller, 'q04-teller-called');

    // The board shows A001 at counter 3 and the speech queue got the Chinese call-out.
    await eventually(() => text(board, 'display-counter-3')).toContain('A001');
    expect(await text(board, 'display-counter-3')).toContain('3 号窗口');
    await eventually(() => board.evaluate(() => window.__spoken ?? [])).toContain(
      '请 A001 号顾客到 3 号窗口',
    );
    await eventually(() => board.getByTestId('display-waiting-cash').getAttribute('data-count')).toBe('0');
    await shot(board, 'q05-display-called');

    // The status page follows by itself: called, counter 3.
    await eventually(() => text(kiosk, 'status-headline')).toBe('已叫号，请到 3 号窗口');
    await shot(kiosk, 'q06-status-called');

    // Recall speaks again after the first call-out (queued, not cut off).
    await teller.keyboard.press('F2');
    await eventually(() =>
      board.evaluate(() => (window.__spoken ?? []).filter((s) => s.includes('A001')).length),
    ).toBe(2);
    await eventually(() => text(teller, 'teller-current')).toContain('重呼 1 次');

    // Start (F3), finish (F4 + outcome dialog).
    await teller.keyboard.press('F3');
    await eventually(() => text(teller, 'current-status')).toBe('办理中');
    await teller.keyboard.press('F4');
    await teller.getByTestId('dialog-ok').click();
    await teller.getByTestId('current-number').waitFor({ state: 'detached' });
    await eventually(() => text(teller, 'figure-served')).toContain('1');
    const served = await admin<TicketRow[]>('GET', `/branches/${branch}/tickets?status=served`);
    expect(served.map((t) => t.number)).toEqual(['A001']);
    await eventually(() => text(kiosk, 'status-headline')).toBe('业务已办结，感谢您的光临');

    // KPIs count it.
    await teller.getByRole('link', { name: '当日指标' }).click();
    await eventually(() => text(teller, 'kpi-arrivals')).toContain('1');
    expect(await text(teller, 'kpi-served')).toContain('1');
    const cashRow = teller.locator('[data-testid="kpi-by-service"] tbody tr', { hasText: '现金业务' });
    const cells = await cashRow.locator('td').allTextContents();
    expect(cells.slice(1, 6)).toEqual(['1', '0', '1', '0', '0']);
    await shot(teller, 'q07-kpi');
  });

  it('a kiosk retry after a timeout reuses its Idempotency-Key: one ticket, not two', async () => {
    const branch = await unitId(admin, 'BJ-HD');
    const kiosk = (await harness.newPage()).page;
    const keys: string[] = [];
    let first = true;
    await kiosk.route('**/api/v1/branches/*/tickets', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (first) {
        first = false;
        await route.fetch(); // the server issues the ticket, but the kiosk never hears back
        await route.abort('timedout');
        return;
      }
      await route.continue();
    });
    await kiosk.goto(`/kiosk/${branch}`);
    await kiosk.getByTestId('kiosk-service-personal').click();
    await kiosk.getByTestId('kiosk-ticket').waitFor();
    expect(await text(kiosk, 'kiosk-number')).toBe('B001');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    const tickets = await admin<TicketRow[]>('GET', `/branches/${branch}/tickets?status=waiting`);
    expect(tickets.map((t) => t.number)).toEqual(['B001']);

    // A new customer is a new attempt with a new key.
    await kiosk.getByTestId('kiosk-done').click();
    await kiosk.getByTestId('kiosk-service-personal').click();
    await kiosk.getByTestId('kiosk-ticket').waitFor();
    expect(await text(kiosk, 'kiosk-number')).toBe('B002');
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('the lobby manager sees waiting counts and counters, edits a counter’s skills and adds a triage note', async () => {
    const branch = await unitId(admin, 'BJ-CY');
    // A retried attempt starts from the seeded skills of counter 2 again (the failed attempt may
    // have added the wealth skill) and reads the number the kiosk issues, not a fresh V001.
    const counter2Id = (await admin<LobbyOverview>('GET', `/branches/${branch}/queue`)).counters.find(
      (c) => c.number === 2,
    )?.id as string;
    const lobbyApi = apiAs(harness.app, 'bj-cy.lobby');
    await lobbyApi('PUT', `/branches/${branch}/counters/${counter2Id}/skills`, {
      skills: ['cash', 'personal'],
    });

    const kiosk = (await harness.newPage()).page;
    const ticket = await drawTicket(kiosk, branch, 'wealth', { priority: true });
    expect(ticket.number).toMatch(/^V\d{3}$/);
    const waiting = await admin<LobbyOverview>('GET', `/branches/${branch}/queue`);
    const waitingWealth = waiting.services.find((s) => s.code === 'wealth')?.waiting ?? 0;
    expect(waitingWealth).toBeGreaterThanOrEqual(1);

    const lobby = (await harness.newPage()).page;
    await signIn(lobby, 'bj-cy.lobby');
    await lobby.getByTestId('user-menu').waitFor();
    await lobby.getByRole('link', { name: '大堂管理' }).click();
    const wealth = lobby.locator('[data-testid="lobby-services"] tbody tr', { hasText: '贵宾理财' });
    await eventually(async () => (await wealth.locator('td').nth(1).textContent()) ?? '').toBe(
      String(waitingWealth),
    );
    await eventually(() => text(lobby, 'lobby-waiting-total')).toContain(String(waiting.waitingTotal));

    await lobby.getByTestId('edit-skills-2').click();
    const skillsModal = lobby.locator('.ant-modal:visible');
    await skillsModal.getByTestId('skills-select').click();
    // Wait for the dropdown to finish opening: a click during its motion can be lost under load.
    await openDropdown(lobby).locator('.ant-select-item-option', { hasText: '贵宾理财' }).click();
    // The chosen skill shows as a tag in the dialog before it is saved (the dropdown lives outside it).
    await eventually(async () => (await skillsModal.textContent()) ?? '').toContain('贵宾理财');
    await skillsModal.locator('.ant-modal-title').click(); // closes the dropdown without closing the dialog
    await lobby.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    await skillsModal.locator('.ant-btn-primary').click();
    // The dialog has gone (not only closing) before the next one opens: two would match below.
    await eventually(() => lobby.locator('.ant-modal:visible').count()).toBe(0);
    const counter2 = lobby.locator('[data-testid="lobby-counters"] tbody tr', { hasText: '2 号窗口' });
    await eventually(async () => (await counter2.textContent()) ?? '').toContain('贵宾理财');
    const overview = await admin<LobbyOverview>('GET', `/branches/${branch}/queue`);
    expect(overview.counters.find((c) => c.number === 2)?.skills).toEqual(['cash', 'personal', 'wealth']);

    await lobby.getByTestId(`triage-${ticket.number}`).click();
    await lobby.locator('.ant-modal:visible textarea').fill('理财赎回，表单已填写');
    await lobby.locator('.ant-modal:visible .ant-btn-primary').click();
    const row = lobby.locator('[data-testid="lobby-tickets"] tbody tr', { hasText: ticket.number });
    await eventually(async () => (await row.textContent()) ?? '').toContain('理财赎回，表单已填写');
    await shot(lobby, 'q08-lobby');
  });
});
