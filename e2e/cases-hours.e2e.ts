import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { manualClock } from '@serviceloop/domain';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signIn, startHarness } from './harness.ts';
import { apiAs, unitId } from './helpers.ts';

// Friday 27 November 2026, 14:00 in Beijing: a 4-business-hour clock runs into Monday.
const START = new Date('2026-11-27T06:00:00Z');
const clock = manualClock(START);
const SHOTS = process.env.CASES_SCREENSHOTS ?? 'tmp/screenshots/cases-hours';

let harness: Harness;

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Picks a time in one of the hours editor's selects by typing it. */
async function pickTime(page: Page, testId: string, time: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(time);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: time })
    .first()
    .click();
}

describe('working hours of a branch calendar in Chromium', () => {
  beforeAll(async () => {
    harness = await startHarness({ clock: clock.now });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('a branch manager closes an hour earlier on Fridays and sees the business-hours due time move', async () => {
    const { page } = await harness.newPage();
    await page.clock.setSystemTime(clock.now());
    await signIn(page, 'bj-hd.manager');
    await page.getByTestId('user-menu').waitFor();
    await page.goto('/cases/calendar');
    await expect.poll(() => page.getByTestId('calendar-source').getAttribute('data-ref')).toBe('cn-2026');
    const friday = page.getByTestId('hours-fri');
    await expect.poll(() => friday.getAttribute('data-hours')).toBe('09:00–17:00');
    expect(await page.getByTestId('hours-sat').getAttribute('data-hours')).toBe('');
    expect(await page.getByTestId('day-hours-2026-11-27').textContent()).toBe('09:00–17:00');
    // Acknowledge within 4 business hours: 3 on Friday, 1 on Monday → Monday 10:00.
    const ack = page.getByTestId('due-acknowledgement');
    await expect.poll(() => ack.getAttribute('data-due')).toBe('2026-11-30T02:00:00.000Z');
    await shot(page, '01-hours');

    await page.getByTestId('hours-edit').click();
    // Closing before opening is caught on the screen, and nothing can be saved.
    await pickTime(page, 'hours-fri-0-end', '08:00');
    await expect
      .poll(() => page.getByTestId('hours-issue-fri').textContent())
      .toContain('开始时间 09:00 须早于结束时间 08:00');
    expect(await page.getByTestId('hours-save').isDisabled()).toBe(true);
    await shot(page, '02-hours-invalid');

    await pickTime(page, 'hours-fri-0-end', '16:00');
    await expect.poll(() => page.getByTestId('hours-issue-fri').count()).toBe(0);
    await page.getByTestId('hours-note').fill('周五提前一小时闭门');
    await page.getByTestId('hours-save').click();

    await expect.poll(() => friday.getAttribute('data-hours')).toBe('09:00–16:00');
    await expect
      .poll(() => page.getByTestId('calendar-source').getAttribute('data-ref'))
      .toMatch(/^unit:.+@1$/);
    // 2 business hours on Friday, 2 on Monday → Monday 11:00.
    await expect.poll(() => ack.getAttribute('data-due')).toBe('2026-11-30T03:00:00.000Z');
    expect(await page.getByTestId('day-hours-2026-11-27').textContent()).toBe('09:00–16:00');
    const history = page.getByTestId('calendar-history');
    await expect.poll(() => history.textContent()).toContain('周五提前一小时闭门');
    expect(await history.textContent()).toContain('工作时间已变更');
    await shot(page, '03-hours-saved');

    // Saturday branch hours: the clock now runs on Saturday morning too → Saturday 11:30.
    await page.getByTestId('hours-edit').click();
    await page.getByTestId('hours-open-sat').click();
    await pickTime(page, 'hours-sat-0-start', '09:30');
    await pickTime(page, 'hours-sat-0-end', '12:30');
    await shot(page, '04-hours-saturday');
    await page.getByTestId('hours-save').click();
    await expect.poll(() => page.getByTestId('hours-sat').getAttribute('data-hours')).toBe('09:30–12:30');
    await expect
      .poll(() => page.getByTestId('calendar-source').getAttribute('data-ref'))
      .toMatch(/^unit:.+@2$/);
    await expect.poll(() => ack.getAttribute('data-due')).toBe('2026-11-28T03:30:00.000Z');
    expect(await page.getByTestId('day-hours-2026-11-28').textContent()).toBe('09:30–12:30');
    // Without a note, the version history says what changed.
    await expect.poll(() => history.textContent()).toContain('周六 09:30–12:30');

    await page.getByTestId('language-switch').click();
    await page.getByTitle('English').click();
    await expect
      .poll(() => page.getByTestId('working-hours').textContent())
      .toContain('Weekly working hours');
    expect(await page.getByTestId('working-hours').textContent()).toContain('Friday');
    await shot(page, '05-hours-english');
  });

  it('a branch manager opens Saturday as a make-up working day (调休) with its own hours; the due time follows', async () => {
    // A retry starts again from the inherited calendar.
    const api = apiAs(harness.app, 'bj-cy.manager');
    const unit = await unitId(api, 'BJ-CY');
    const own = await api<{ own: boolean; version: number }>('GET', `/sla/calendars/units/${unit}`);
    if (own.own) {
      await api('PUT', `/sla/calendars/units/${unit}`, {
        expectedVersion: own.version,
        change: { action: 'inherit' },
      });
    }

    const { page } = await harness.newPage();
    await page.clock.setSystemTime(clock.now());
    await signIn(page, 'bj-cy.manager');
    await page.getByTestId('user-menu').waitFor();
    await page.goto('/cases/calendar');
    await expect.poll(() => page.getByTestId('calendar-source').getAttribute('data-ref')).toBe('cn-2026');
    const saturday = page.getByTestId('day-2026-11-28');
    expect(await saturday.getAttribute('data-kind')).toBe('weekend');
    // Acknowledge within 4 business hours of Friday 14:00: 3 on Friday, 1 on Monday → Monday 10:00.
    const ack = page.getByTestId('due-acknowledgement');
    await expect.poll(() => ack.getAttribute('data-due')).toBe('2026-11-30T02:00:00.000Z');

    await saturday.click();
    const dialog = page.getByTestId('day-dialog');
    await dialog.getByText('调休上班', { exact: true }).click();
    const mode = page.getByTestId('makeup-hours-mode');
    await expect.poll(() => mode.textContent()).toContain('默认（09:00–17:00）');
    await mode.getByText('单独设置').click();
    await pickTime(page, 'makeup-hours-0-start', '13:00');
    await pickTime(page, 'makeup-hours-0-end', '12:00');
    // Closing before opening is caught in the dialog, by the rule the server applies.
    await expect
      .poll(() => page.getByTestId('makeup-hours-issue').textContent())
      .toContain('2026-11-28：开始时间 13:00 须早于结束时间 12:00');
    expect(await page.getByTestId('day-save').isDisabled()).toBe(true);
    await shot(page, '06-makeup-invalid');
    await pickTime(page, 'makeup-hours-0-end', '15:00');
    await expect.poll(() => page.getByTestId('makeup-hours-issue').count()).toBe(0);
    await shot(page, '07-makeup-hours');
    await page.getByTestId('day-save').click();

    await expect.poll(() => saturday.getAttribute('data-kind')).toBe('make_up');
    await expect.poll(() => page.getByTestId('day-hours-2026-11-28').textContent()).toBe('13:00–15:00');
    await expect
      .poll(() => page.getByTestId('calendar-source').getAttribute('data-ref'))
      .toMatch(/^unit:.+@\d+$/);
    // 3 business hours on Friday, 1 on Saturday afternoon → Saturday 14:00.
    await expect.poll(() => ack.getAttribute('data-due')).toBe('2026-11-28T06:00:00.000Z');
    const history = page.getByTestId('calendar-history');
    await expect.poll(() => history.textContent()).toContain('2026-11-28 → 调休上班 13:00–15:00');

    // Only the hours change: the dialog opens on the day's own hours.
    await saturday.click();
    expect(await page.getByTestId('makeup-hours-0-start').textContent()).toBe('13:00');
    await pickTime(page, 'makeup-hours-0-start', '10:00');
    await pickTime(page, 'makeup-hours-0-end', '11:00');
    await page.getByTestId('day-save').click();
    await expect.poll(() => page.getByTestId('day-hours-2026-11-28').textContent()).toBe('10:00–11:00');
    // 3 on Friday, 1 on Saturday 10:00–11:00 → Saturday 11:00.
    await expect.poll(() => ack.getAttribute('data-due')).toBe('2026-11-28T03:00:00.000Z');
    await expect.poll(() => history.textContent()).toContain('调休日工作时间已变更');
    await shot(page, '08-makeup-saved');
  });
});
