import { manualClock } from '@serviceloop/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { type ApiClient, apiAs, chooseOption, screenshots, signedInPage, unitId } from './helpers.ts';

// Monday 23 November 2026, 10:00 in Beijing.
const START = new Date('2026-11-23T02:00:00Z');
const clock = manualClock(START);
const shot = screenshots(process.env.CASES_SCREENSHOTS ?? 'tmp/screenshots/cases-admin', { fullPage: true });

let harness: Harness;
let admin: ApiClient;

const newSignedInPage = (username: string) => signedInPage(harness, username, { at: clock.now() });

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Beijing Chaoyang branch//holidays//ZH',
  'X-WR-TIMEZONE:Asia/Shanghai',
  'BEGIN:VEVENT',
  'UID:anniversary-2026@bj-cy',
  'DTSTAMP:20261101T000000Z',
  'DTSTART;VALUE=DATE:20261124',
  'SUMMARY:支行行庆日',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:anniversary-2026-ban@bj-cy',
  'DTSTAMP:20261101T000000Z',
  'DTSTART;VALUE=DATE:20261205',
  'SUMMARY:行庆调休 (班)',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('case engine administration in Chromium', () => {
  beforeAll(async () => {
    harness = await startHarness({ clock: clock.now });
    admin = apiAs(harness.app, 'admin');
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('a branch manager uploads an .ics, sees the preview, applies it, and a deadline moves', async () => {
    const page = await newSignedInPage('bj-cy.manager');
    await page.goto('/cases/calendar');
    await expect.poll(() => page.getByTestId('calendar-source').getAttribute('data-ref')).toBe('cn-2026');
    await expect.poll(() => page.getByTestId('month-grid').getAttribute('data-month')).toBe('2026-11');
    const firstResponse = page.getByTestId('due-first_response');
    // Received Monday 10:00: first response by close of business on Tuesday 24 November.
    await expect.poll(() => firstResponse.getAttribute('data-due')).toBe('2026-11-24T09:00:00.000Z');
    expect(await page.getByTestId('day-2026-11-24').getAttribute('data-kind')).toBe('working');
    await shot(page, '01-calendar-before');

    await page.locator('input[type="file"]').setInputFiles({
      name: 'bj-cy-2026.ics',
      mimeType: 'text/calendar',
      buffer: Buffer.from(ICS),
    });
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    await expect.poll(() => page.getByTestId('preview-holidays-added').textContent()).toContain('1');
    await expect.poll(() => page.getByTestId('preview-makeup-added').textContent()).toContain('1');
    await expect.poll(() => page.getByTestId('preview-rows').textContent()).toContain('2026-11-24');
    expect(await page.getByTestId('day-2026-11-24').getAttribute('data-pending')).toBe('holiday');
    // Nothing is stored before applying: the deadline has not moved.
    expect(await firstResponse.getAttribute('data-due')).toBe('2026-11-24T09:00:00.000Z');
    await shot(page, '02-import-preview');

    await page.getByTestId('import-apply').click();
    await expect
      .poll(() => page.getByTestId('calendar-source').getAttribute('data-ref'))
      .toMatch(/^unit:.+@1$/);
    await expect.poll(() => page.getByTestId('day-2026-11-24').getAttribute('data-kind')).toBe('holiday');
    // The deadline moves to Wednesday's close of business.
    await expect.poll(() => firstResponse.getAttribute('data-due')).toBe('2026-11-25T09:00:00.000Z');
    await expect.poll(() => page.getByTestId('calendar-history').textContent()).toContain('bj-cy-2026.ics');
    await shot(page, '03-calendar-applied');
    await page.getByRole('button', { name: '下个月' }).click();
    await expect.poll(() => page.getByTestId('day-2026-12-05').getAttribute('data-kind')).toBe('make_up');

    // A complaint recorded now at the branch gets the moved deadline; the neighbouring branch does not.
    const units = await admin<{ id: string; code: string }[]>('GET', '/org-units');
    const idOf = (code: string) => units.find((u) => u.code === code)?.id as string;
    const complaint = (orgUnitId: string) => ({
      type: 'complaint',
      orgUnitId,
      channel: 'counter',
      customer: { kind: 'walk_in', name: '王女士' },
      subject: '转账限额未提前告知',
      content: '客户反映转账限额变更未提前告知',
      complaint: {
        business: '转账',
        claims: { compensation: null, remedies: [], nonProperty: ['explanation'] },
        severity: 'medium',
        serviceLevel: 'unrated',
        classification: null,
      },
    });
    type Detail = { clocks: { role: string; dueAt: string }[] };
    const here = await admin<Detail>('POST', '/cases', complaint(idOf('BJ-CY')));
    const there = await admin<Detail>('POST', '/cases', complaint(idOf('BJ-HD')));
    expect(here.clocks.find((c) => c.role === 'first_response')?.dueAt).toBe('2026-11-25T09:00:00.000Z');
    expect(there.clocks.find((c) => c.role === 'first_response')?.dueAt).toBe('2026-11-24T09:00:00.000Z');
  });

  it('an administrator edits the escalation chain, sees the validation message, fixes it and saves a version', async () => {
    const page = await newSignedInPage('admin');
    await page.goto('/cases/settings');
    await page.getByTestId('settings-open-cases-note').waitFor();
    await expect
      .poll(() => page.getByTestId('settings-version').textContent())
      .toMatch(/未单独配置|No settings/);
    await shot(page, '04-settings-policy');
    await page.getByTestId('tab-escalation').click();
    await page.getByTestId('override-escalation').click();
    // Put the branch manager before the team lead: levels must increase.
    await page.getByTestId('step-level-0').click();
    await chooseOption(page, '支行行长');
    await page.getByTestId('settings-save').click();
    await expect
      .poll(() => page.getByTestId('settings-issues').textContent())
      .toMatch(/升级须逐级上升，支行行长不能排在支行行长之后/);
    await shot(page, '05-settings-invalid');

    await page.getByTestId('step-level-0').click();
    await chooseOption(page, '组长');
    await page
      .locator('input[data-testid="step-hours-2"], [data-testid="step-hours-2"] input')
      .first()
      .fill('8');
    // The branch-manager level reaches the region's branch manager only.
    expect(await page.getByTestId('recipients-custom-branch_manager').count()).toBe(0);
    const orgLevels = page.getByTestId('recipients-branch_manager-0-at');
    for (const level of ['案件所属机构', '所属支行', '总行']) {
      await orgLevels
        .locator('.ant-select-selection-item', { hasText: level })
        .locator('.ant-select-selection-item-remove')
        .click();
    }
    await page.getByTestId('recipients-custom-branch_manager').waitFor();
    await shot(page, '05b-settings-recipients');
    await page.getByTestId('settings-note').fill('总行客服中心提前介入');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-version').textContent()).toMatch(/1/);
    expect(await page.getByTestId('settings-issues').count()).toBe(0);
    const view = await admin<{
      version: number;
      effective: { escalation: { steps: { afterBreachMinutes: number }[]; recipients?: unknown } };
    }>('GET', `/sla/config/units/${await unitId(admin, 'HQ')}`);
    expect(view.version).toBe(1);
    expect(view.effective.escalation.steps.map((s) => s.afterBreachMinutes)).toEqual([0, 240, 480]);
    expect(view.effective.escalation.recipients).toEqual({
      branch_manager: [{ kind: 'role', role: 'branch_manager', at: ['region'] }],
    });
    await page.getByTestId('tab-authority').click();
    await page.getByTestId('authority-table').waitFor();
    await shot(page, '06-settings-authority');
    await page.getByTestId('tab-history').click();
    await expect
      .poll(() => page.getByTestId('config-history').textContent())
      .toContain('总行客服中心提前介入');
    await shot(page, '07-settings-history');
  });
});
