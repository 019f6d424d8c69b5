import { readFile } from 'node:fs/promises';
import { manualClock } from '@serviceloop/domain';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import {
  type ApiClient,
  apiAs,
  chooseOption,
  eventually,
  screenshots,
  signedInPage,
  unitId,
} from './helpers.ts';

// Monday 23 November 2026, 10:00 in Beijing.
const START = new Date('2026-11-23T02:00:00Z');
const clock = manualClock(START);
const shot = screenshots(process.env.CASES_SCREENSHOTS ?? 'tmp/screenshots/cases-ops', { fullPage: true });

let harness: Harness;

/** The API as a signed-in user (cookie + CSRF), for setting the scene and checking ground truth. */
const apiOf = (username: string): ApiClient => apiAs(harness.app, username);
const newSignedInPage = (username: string) => signedInPage(harness, username, { at: clock.now() });

interface Detail {
  case: { id: string; number: string; assigneeId: string | null; complaint: { severity: string } | null };
  timeline: { type: string }[];
}

/** How many pixels anything inside the element sticks out past its right edge (0 or less: none). */
function spill(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((box) => {
    const right = box.getBoundingClientRect().right;
    let worst = Number.NEGATIVE_INFINITY;
    for (const el of box.querySelectorAll('*'))
      worst = Math.max(worst, el.getBoundingClientRect().right - right);
    return Math.ceil(worst);
  });
}

async function readWorkbook(page: Page, testId: string): Promise<ExcelJS.Workbook> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const path = await download.path();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await readFile(path)) as unknown as ArrayBuffer);
  return wb;
}

beforeAll(async () => {
  harness = await startHarness({ clock: clock.now });
  // Notifications are delivered by the outbox dispatcher, as in a running server.
  await harness.app.ctx.dispatcher.start();
});

afterAll(async () => {
  await harness?.app.ctx.dispatcher.stop();
  await harness?.close();
});

describe('case operations in Chromium', () => {
  let caseId = '';
  let caseNumber = '';

  it('the manager sees the recovery economics and assigns the case through the staff picker', async () => {
    const branchId = await unitId(apiOf('admin'), 'BJ-CY');
    const customers = await apiOf('bj-cy.manager')<{ items: { id: string }[] }>(
      'GET',
      `/customers?tier=vip&orgUnitId=${branchId}&pageSize=1`,
    );
    const customerId = customers.items[0]?.id as string;
    const created = await apiOf('bj-cy.teller1')<Detail>('POST', '/cases', {
      type: 'complaint',
      orgUnitId: branchId,
      channel: 'counter',
      customer: { kind: 'linked', customerId },
      subject: '理财产品赎回延迟到账',
      content: '客户反映理财赎回款晚到三天，影响还款，要求赔偿利息损失',
      complaint: {
        business: '自营理财',
        claims: {
          compensation: { amountMinor: 200_000, currency: 'CNY' },
          remedies: [],
          nonProperty: ['apology'],
        },
        severity: 'medium',
        serviceLevel: 'diamond',
        classification: null,
      },
      compensation: { amount: { amountMinor: 15_000, currency: 'CNY' }, reason: '交通费' },
    });
    caseId = created.case.id;
    caseNumber = created.case.number;

    const manager = await newSignedInPage('bj-cy.manager');
    await manager.goto(`/cases/${caseId}`);
    const economics = manager.getByTestId('case-economics');
    await economics.getByTestId('economics-verdict').waitFor();
    await expect(economics.getByTestId('economics-verdict').getAttribute('data-verdict')).resolves.toBe(
      'economic',
    );
    await expect(economics.textContent()).resolves.toContain('客户剩余价值');
    // The clocks' limits are worded in the reader's language from their figures (a diamond
    // customer's complaint: acknowledged within 2 business hours), not the configured English label.
    await expect(manager.getByTestId('clock-text-acknowledgement').textContent()).resolves.toBe(
      '2 个工作小时内确认受理',
    );
    await expect(manager.getByTestId('clock-text-resolution').textContent()).resolves.toBe(
      '15 个自然日内作出处理决定，遇休息日顺延',
    );
    await shot(manager, '01-case-economics');

    await manager.locator('[data-action="assign"]').click();
    await manager.locator('.ant-modal .ant-select').click();
    const option = manager.locator(
      '.ant-select-dropdown [data-testid="assignee-option"][data-username="bj-cy.complaints"]',
    );
    await option.waitFor();
    // Complaint handlers come first, each with their open-case load.
    const first = manager.locator('.ant-select-dropdown [data-testid="assignee-option"]').first();
    await expect(first.getAttribute('data-username')).resolves.toBe('bj-cy.complaints');
    await expect(option.textContent()).resolves.toMatch(/在办 \d+ 件/);
    await shot(manager, '02-staff-picker');
    await option.click();
    await manager.getByTestId('assign-ok').click();
    await manager.locator('[data-testid="case-timeline"] [data-event="case.assigned"]').waitFor();
    const handlerId = (await apiOf('bj-cy.complaints')<{ userId: string }>('GET', '/auth/me')).userId;
    const after = await apiOf('admin')<Detail>('GET', `/cases/${caseId}`);
    expect(after.case.assigneeId).toBe(handlerId);
    await manager.context().close();
  });

  it('the handler’s bell shows the assignment; the notification leads to the case', async () => {
    const handler = await newSignedInPage('bj-cy.complaints');
    const bell = handler.getByTestId('notification-bell');
    await eventually(async () => Number(await bell.getAttribute('data-unread'))).toBeGreaterThan(0);
    const unreadBefore = Number(await bell.getAttribute('data-unread'));
    await bell.click();
    const note = handler.locator(
      '[data-testid="notification-popover"] [data-testid="notification"][data-type="case.assigned"]',
      {
        hasText: caseNumber,
      },
    );
    await note.waitFor();
    await expect(note.getAttribute('data-read')).resolves.toBe('false');
    await shot(handler, '03-bell-popover');
    await note.click();
    await handler.waitForURL(`**/cases/${caseId}`);
    await expect(handler.getByTestId('case-number').textContent()).resolves.toBe(caseNumber);
    await eventually(async () => Number(await bell.getAttribute('data-unread'))).toBe(unreadBefore - 1);
    const count = await apiOf('bj-cy.complaints')<{ unread: number }>('GET', '/notifications/unread-count');
    expect(count.unread).toBe(unreadBefore - 1);

    // The handler corrects the severity: the timeline says so and the clocks follow the urgent rule.
    await handler.locator('[data-action="reclassify"]').click();
    await handler.locator('#reclassify-severity').click();
    await chooseOption(handler, '高');
    await handler.locator('.ant-modal-title', { hasText: '更正投诉分类' }).click();
    await handler.locator('#reclassify-reason').fill('涉及资金到账，客户急需');
    await shot(handler, '04-reclassify');
    await handler.getByTestId('reclassify-ok').click();
    const entry = handler.locator('[data-testid="case-timeline"] [data-event="case.reclassified"]');
    await entry.waitFor();
    await expect(entry.textContent()).resolves.toContain('严重程度');
    const detail = await apiOf('admin')<Detail>('GET', `/cases/${caseId}`);
    expect(detail.case.complaint?.severity).toBe('high');
    await shot(handler, '05-case-after-reclassify');

    await handler.goto('/notifications');
    await handler.locator('[data-testid="notification"]').first().waitFor();
    await shot(handler, '06-notifications-page');
    await handler.context().close();
  });

  it('reports and the workbench export real .xlsx workbooks', async () => {
    const manager = await newSignedInPage('bj-cy.manager');
    await manager.goto('/cases/reports');
    await manager.getByTestId('report-recovery-value').waitFor();
    await shot(manager, '07-reports-recovery-value');
    const report = await readWorkbook(manager, 'report-export-xlsx');
    const sheet = report.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.getRow(1).getCell(1).value).toBe('案件编号');
    const numbers = (sheet.getColumn(1).values as unknown[]).slice(2);
    expect(numbers).toContain(caseNumber);

    await manager.goto('/cases');
    await manager.getByTestId('inbox-export-xlsx').waitFor();
    const list = await readWorkbook(manager, 'inbox-export-xlsx');
    const listSheet = list.worksheets[0] as ExcelJS.Worksheet;
    expect(listSheet.getRow(1).getCell(4).value).toBe('摘要');
    expect((listSheet.getColumn(1).values as unknown[]).slice(2)).toContain(caseNumber);
    await manager.context().close();
  });

  it('the customer drawer shows and updates the customer’s value; the case page reads in English', async () => {
    const manager = await newSignedInPage('bj-cy.manager');
    await manager.goto('/customers');
    await manager
      .locator('[data-testid="customer-table"] tbody tr')
      .first()
      .locator('button')
      .first()
      .click();
    const panel = manager.getByTestId('customer-value');
    await panel.getByTestId('customer-aum-band').waitFor();
    await panel.getByTestId('customer-value-edit').click();
    const modal = manager.locator('.ant-modal:visible');
    await modal.locator('#deposits').fill('7000000');
    await modal.locator('#investments').fill('0');
    await shot(manager, '08-customer-value-edit');
    await modal.locator('.ant-btn-primary').click();
    await eventually(() => panel.getByTestId('customer-aum-band').textContent()).toBe('600 万以上');
    await shot(manager, '09-customer-value');

    await manager.goto(`/cases/${caseId}`);
    await manager.getByTestId('case-economics').waitFor();
    await manager.getByTestId('language-switch').click();
    await chooseOption(manager, 'English');
    await eventually(() => manager.getByTestId('case-economics').textContent()).toContain(
      'Recovery economics',
    );
    // Reclassified as high severity above: the urgent rule's clocks.
    await expect(manager.getByTestId('clock-text-acknowledgement').textContent()).resolves.toBe(
      'Acknowledge within 1 business hour',
    );
    await expect(manager.getByTestId('clock-text-resolution').textContent()).resolves.toBe(
      'Decision within 15 calendar days, rolling over rest days',
    );
    await shot(manager, '10-case-economics-en');

    // The customer-value table stays inside its card on a laptop and a desktop screen, in both
    // languages (English labels are the long ones).
    for (const [language, label] of [
      ['English', 'Remaining value of the relationship'],
      ['中文', '客户剩余价值'],
    ] as const) {
      if (language === '中文') {
        await manager.getByTestId('language-switch').click();
        await chooseOption(manager, '中文');
      }
      for (const [width, height] of [
        [1366, 768],
        [1920, 1080],
      ] as const) {
        await manager.setViewportSize({ width, height });
        await eventually(() => manager.getByTestId('case-economics').textContent()).toContain(label);
        await eventually(() => spill(manager, 'case-economics')).toBeLessThanOrEqual(0);
        await shot(manager, `11-economics-${language === '中文' ? 'zh' : 'en'}-${width}`);
      }
    }
    await manager.context().close();
  });
});
