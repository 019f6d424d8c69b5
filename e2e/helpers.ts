// What the browser journeys share: polling, screenshots, the API as a signed-in user (ground truth
// and scene setting), antd dialogs and selects, the kiosk. harness.ts starts the server and Chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@serviceloop/domain';
import type { App } from '@serviceloop/server';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD, type Harness, signIn } from './harness.ts';

/** The real queue history beside the repository (shared/data); SERVICELOOP_SAMPLE_CSV points elsewhere. */
export const SAMPLE_CSV =
  process.env.SERVICELOOP_SAMPLE_CSV ??
  new URL('../../shared/data/queue-history-sample.csv', import.meta.url).pathname;

/** Polls until the value matches (the UI loads asynchronously); a real mismatch still fails after the timeout. */
export function eventually<T>(read: () => Promise<T> | T, timeout = 15_000) {
  return expect.poll(read, { timeout, interval: 100 });
}

/** An element's text ('' when it has none). */
export const text = async (page: Page, testId: string): Promise<string> =>
  (await page.getByTestId(testId).textContent()) ?? '';

/** An element's attribute ('' when it has none). */
export const attr = async (page: Page, testId: string, name: string): Promise<string> =>
  (await page.getByTestId(testId).getAttribute(name)) ?? '';

/** Saves `<dir>/<name>.png` (after the page settled); does nothing without a directory. */
export function screenshots(
  dir: string | undefined,
  options: { readonly fullPage?: boolean } = {},
): (page: Page, name: string) => Promise<void> {
  return async (page, name) => {
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: options.fullPage ?? false });
  };
}

/**
 * Real time, but at noon in Beijing of today's (UTC) date: a run in the evening UTC would
 * otherwise cross a branch's midnight and start a new business day mid-test.
 */
export function beijingNoonClock(): Clock {
  const realNow = Date.now();
  const offset = Date.parse(`${new Date(realNow).toISOString().slice(0, 10)}T04:00:00Z`) - realNow;
  return () => new Date(Date.now() + offset);
}

/** A mainland resident ID: 17 digits plus the ISO 7064 MOD 11-2 check character. */
export function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0);
  return `${first17}${'10X98765432'[sum % 11]}`;
}

/**
 * A suffix that differs between attempts of a test (vitest retries a failed one in the same
 * server): names a journey creates must not collide with what a failed attempt left behind.
 */
export function attemptSuffix(): string {
  return `${Date.now().toString(36).slice(-4)}${Math.floor(Math.random() * 36 ** 2)
    .toString(36)
    .padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// The API through inject, as a signed-in user.

export interface ApiSession {
  readonly cookie: string;
  readonly csrf: string;
}

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function signInApi(app: App, username: string, password = DEMO_PASSWORD): Promise<ApiSession> {
  const r = await app.fastify.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { username, password },
  });
  const cookie = r.cookies.find((c) => c.name === 'sl_session')?.value;
  if (!cookie) throw new Error(`sign-in as ${username} failed: ${r.body}`);
  return { cookie, csrf: (r.json() as { csrfToken: string }).csrfToken };
}

/** One call (`session` null: anonymous); any answer from 300 up throws with the body. */
export async function callApi<T>(
  app: App,
  session: ApiSession | null,
  method: ApiMethod,
  path: string,
  body?: unknown,
  contentType?: string,
): Promise<T> {
  const r = await app.fastify.inject({
    method,
    url: `/api/v1${path}`,
    ...(session ? { cookies: { sl_session: session.cookie } } : {}),
    headers: {
      ...(session && method !== 'GET' ? { 'x-csrf-token': session.csrf } : {}),
      ...(contentType ? { 'content-type': contentType } : {}),
    },
    ...(body === undefined ? {} : { payload: body as string | Record<string, unknown> }),
  });
  if (r.statusCode >= 300) throw new Error(`${method} ${path} answered ${r.statusCode}: ${r.body}`);
  return r.json() as T;
}

export type ApiClient = <T>(
  method: ApiMethod,
  path: string,
  body?: unknown,
  contentType?: string,
) => Promise<T>;

/**
 * The API as one user. Signs in once (sign-in is rate-limited per address), or for every call
 * with `fresh` (a test that moves the server's clock by days outlives sessions).
 */
export function apiAs(app: App, username: string, options: { readonly fresh?: boolean } = {}): ApiClient {
  let session: Promise<ApiSession> | undefined;
  return async <T>(method: ApiMethod, path: string, body?: unknown, contentType?: string) => {
    if (options.fresh || !session) session = signInApi(app, username);
    return callApi<T>(app, await session, method, path, body, contentType);
  };
}

/** The id of the org unit with this code, as the given client sees the tree. */
export async function unitId(api: ApiClient, code: string): Promise<string> {
  const units = await api<{ id: string; code: string }[]>('GET', '/org-units');
  const unit = units.find((u) => u.code === code);
  if (!unit) throw new Error(`no unit ${code}`);
  return unit.id;
}

// ---------------------------------------------------------------------------------------------
// In the browser.

/**
 * A new page signed in through the form (its clock set first when given, its browser in
 * `timezoneId` when given), the shell loaded.
 */
export async function signedInPage(
  harness: Harness,
  username: string,
  options: { readonly at?: Date; readonly timezoneId?: string } = {},
): Promise<Page> {
  const { page } = await harness.newPage(options.timezoneId ? { timezoneId: options.timezoneId } : {});
  if (options.at) await page.clock.setSystemTime(options.at);
  await signIn(page, username);
  await page.getByTestId('user-menu').waitFor();
  return page;
}

/** The dialog in front. */
export const modal = (page: Page): Locator => page.locator('.ant-modal:visible');

/** Rows of the table with this test id that contain the text. */
export function row(page: Page, table: string, text: string): Locator {
  return page.locator(`[data-testid="${table}"] tbody tr.ant-table-row`, { hasText: text });
}

const SETTLED_DROPDOWN =
  '.ant-select-dropdown:visible:not([class*="-appear"]):not([class*="-enter"]):not([class*="-leave"])';

/**
 * The open select dropdown once its opening motion has ended. A click during antd's slide-up
 * motion can be lost under load: the option shows hovered but is not chosen (reproduced with the
 * CPU throttled tenfold). A closing dropdown (leave motion) does not count either.
 */
export function openDropdown(page: Page): Locator {
  return page.locator(SETTLED_DROPDOWN).last();
}

/** Clicks the option (or tree node) with this text in an open dropdown, once it has finished opening. */
export async function chooseOption(page: Page, text: string | RegExp): Promise<void> {
  await page
    .locator(`${SETTLED_DROPDOWN} :is(.ant-select-item-option, .ant-select-tree-node-content-wrapper)`, {
      hasText: text,
    })
    .first()
    .click();
}

/** Opens an antd Select / TreeSelect by its form field id and picks the option with this text. */
export async function pick(page: Page, fieldId: string, text: string | RegExp): Promise<void> {
  await page.locator(`#${fieldId}`).click();
  await chooseOption(page, text);
}

/**
 * A multi-select's dropdown stays open and a closing one still animates over the buttons:
 * clicking the dialog's title closes them (Escape would close the dialog itself if the dropdown
 * had already gone), then wait until none is visible.
 */
export async function closeDropdowns(page: Page): Promise<void> {
  await modal(page).locator('.ant-modal-title').click();
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
}

/** OK in the dialog in front, and wait until it has gone. */
export async function saveModal(page: Page): Promise<void> {
  await closeDropdowns(page);
  await modal(page).locator('.ant-btn-primary').click();
  // Count rather than waitFor: during the close animation two dialogs can match for a moment.
  await expect.poll(() => page.locator('.ant-modal:visible').count(), { timeout: 10_000 }).toBe(0);
}

/** Draws a ticket at the branch's kiosk (asking for priority if told) and returns what it issued. */
export async function drawTicket(
  page: Page,
  branchId: string,
  service: string,
  options: { readonly priority?: boolean } = {},
): Promise<{ number: string; id: string }> {
  await page.goto(`/kiosk/${branchId}`);
  if (options.priority) await page.getByTestId('kiosk-priority').click();
  await page.getByTestId(`kiosk-service-${service}`).click();
  await page.getByTestId('kiosk-ticket').waitFor();
  return { number: await text(page, 'kiosk-number'), id: await attr(page, 'kiosk-ticket', 'data-ticket-id') };
}
