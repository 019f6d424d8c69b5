import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Clock, systemClock } from '@serviceloop/domain';
import { type App, buildApp, loadConfig, migrate, openDatabase, seedDemo } from '@serviceloop/server';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DEMO_PASSWORD = 'ServiceLoop2026';
const WEB_DIST = resolve(fileURLToPath(new URL('.', import.meta.url)), '../packages/web/dist');

export interface Harness {
  readonly baseUrl: string;
  readonly browser: Browser;
  readonly app: App;
  /** A fresh browser context (own cookies and localStorage) and page; `options` e.g. a `timezoneId`. */
  readonly newPage: (options?: BrowserContextOptions) => Promise<{ context: BrowserContext; page: Page }>;
  readonly close: () => Promise<void>;
}

/** Fails loudly (never skips) when the browser or the built web app is missing. */
export function assertPrerequisites(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing: apt-get install -y chromium (looked for ${CHROMIUM_PATH})`);
  }
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error('The web app is not built: run `npm run build:web` (npm run test:e2e does it for you)');
  }
}

/** A real server on a free port with a fresh in-memory database and the demo bank, plus Chromium. */
/** `clock`: inject a manual clock (e.g. `manualClock(...).now`) to move the server's time in a test. */
export async function startHarness(options: { readonly clock?: Clock } = {}): Promise<Harness> {
  assertPrerequisites();
  const database = await openDatabase({});
  await migrate(database);
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: '',
    VALIDATE_RESPONSES: 'true',
  });
  // The server serves packages/web/dist itself (SPA fallback for client routes).
  const app = await buildApp({ database, config, clock: options.clock ?? systemClock });
  await seedDemo(app.ctx);
  await app.fastify.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.fastify.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const contexts: BrowserContext[] = [];
  return {
    baseUrl,
    browser,
    app,
    newPage: async (options = {}) => {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: { width: 1440, height: 900 },
        ...options,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return { context, page };
    },
    close: async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await app.fastify.close();
      await database.close();
    },
  };
}

/** Signs in through the real form. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('button[type="submit"]').click();
}
