import { manualClock } from '@serviceloop/domain';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { apiAs, eventually, screenshots, signedInPage, text, unitId } from './helpers.ts';

// Monday 23 November 2026, 09:30 in Beijing = Sunday 22 November, 20:30 in New York.
const START = new Date('2026-11-23T01:30:00Z');
const clock = manualClock(START);
const shot = screenshots(process.env.CASES_SCREENSHOTS ?? 'tmp/screenshots/cases-time-zone', {
  fullPage: true,
});

let harness: Harness;

interface Detail {
  case: { id: string; number: string; receivedAt: string };
  clocks: { role: string; dueAt: string }[];
}

/**
 * Beijing's wall clock as the zh-CN screens write it, by arithmetic rather than Intl (China keeps
 * UTC+8 all year): what the branch promised, whatever zone the reader's browser is in.
 */
function beijing(iso: string): string {
  const local = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();
  return `${local.slice(0, 4)}/${local.slice(5, 7)}/${local.slice(8, 10)} ${local.slice(11, 16)}`;
}

beforeAll(async () => {
  harness = await startHarness({ clock: clock.now });
});

afterAll(async () => {
  await harness?.close();
});

describe('case times in the branch’s zone, whatever the reader’s browser', () => {
  let detail: Detail;

  beforeAll(async () => {
    const branch = await unitId(apiAs(harness.app, 'admin'), 'BJ-CY');
    detail = await apiAs(harness.app, 'bj-cy.teller1')<Detail>('POST', '/cases', {
      type: 'complaint',
      orgUnitId: branch,
      channel: 'counter',
      customer: { kind: 'walk_in', name: '赵六', phone: '13800005678' },
      subject: '理财产品赎回到账延迟',
      content: '客户称赎回款项未按约定日期到账',
      complaint: {
        business: '理财',
        claims: { compensation: null, remedies: [], nonProperty: ['apology'] },
        severity: 'medium',
        serviceLevel: 'unrated',
        classification: {
          channel: 'branch_counter',
          businessType: 'debit_card',
          cause: 'service_attitude_quality',
        },
      },
    });
  });

  const dueOf = (role: string): string => {
    const due = detail.clocks.find((c) => c.role === role)?.dueAt;
    if (!due) throw new Error(`no ${role} clock`);
    return due;
  };

  it('a head-office handler in New York reads the Beijing deadline, marked UTC+8', async () => {
    const page: Page = await signedInPage(harness, 'hq.service', {
      at: clock.now(),
      timezoneId: 'America/New_York',
    });
    // The browser really is in New York: it would have shown 20:30 on the 22nd for the receipt.
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(
      'America/New_York',
    );

    await page.goto('/cases');
    const row = page.locator(`[data-testid="case-table"] tr[data-number="${detail.case.number}"]`);
    await row.waitFor();
    const firstDue = detail.clocks.map((c) => c.dueAt).sort()[0] ?? '';
    await expect(row.getByTestId('case-due-at').textContent()).resolves.toBe(`${beijing(firstDue)} (UTC+8)`);
    await shot(page, '01-inbox-new-york');

    await page.goto(`/cases/${detail.case.id}`);
    await page.getByTestId('case-clocks').waitFor();
    expect(await text(page, 'case-received-at')).toBe('2026/11/23 09:30 (UTC+8)');
    for (const role of ['acknowledgement', 'first_response', 'resolution']) {
      await eventually(() => text(page, `clock-due-${role}`)).toBe(`${beijing(dueOf(role))} (UTC+8)`);
    }
    const created = page.locator('[data-testid="case-timeline"] [data-event="case.created"]');
    await expect(created.textContent()).resolves.toContain('2026/11/23 09:30 (UTC+8)');
    await shot(page, '02-case-new-york');
  });

  it('a reader in Beijing sees the same times without the mark', async () => {
    const page = await signedInPage(harness, 'bj-cy.complaints', {
      at: clock.now(),
      timezoneId: 'Asia/Shanghai',
    });
    await page.goto(`/cases/${detail.case.id}`);
    await page.getByTestId('case-clocks').waitFor();
    expect(await text(page, 'case-received-at')).toBe('2026/11/23 09:30');
    await eventually(() => text(page, 'clock-due-resolution')).toBe(beijing(dueOf('resolution')));
    await shot(page, '03-case-beijing');
  });
});
