import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export type ChromiumStatus = { readonly kind: 'available' } | { readonly kind: 'skip'; readonly reason: string } | { readonly kind: 'required-missing'; readonly reason: string };

/** Chromium is optional locally (the tests skip) and required in CI (MCCHAT_REQUIRE_CHROMIUM=1). */
export function chromiumStatus(env: NodeJS.ProcessEnv = process.env, executable = CHROMIUM_PATH): ChromiumStatus {
  if (existsSync(executable)) return { kind: 'available' };
  if (env['MCCHAT_REQUIRE_CHROMIUM'] === '1') {
    return {
      kind: 'required-missing',
      reason: `MCCHAT_REQUIRE_CHROMIUM=1 but ${executable} does not exist: install Debian's chromium package (apt-get install chromium) so the window end-to-end tests can run.`,
    };
  }
  return { kind: 'skip', reason: `skipped: needs chromium (${executable} not found; set MCCHAT_REQUIRE_CHROMIUM=1 to make this a failure)` };
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface TestBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile in a temp folder, removed again on close. */
export async function launchBrowser(options: { viewport?: { width: number; height: number }; timeoutMs?: number } = {}): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'mcchat-e2e-chromium-'));
  const timeout = options.timeoutMs ?? 10_000;
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      timeout: 30_000,
      viewport: options.viewport ?? { width: 1100, height: 720 },
      // Both hold back DOM-time differences between machines; nothing else depends on them.
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  context.setDefaultTimeout(timeout);
  context.setDefaultNavigationTimeout(timeout);
  const page = context.pages()[0] ?? (await context.newPage());
  let closing: Promise<void> | null = null;
  return {
    context,
    page,
    close() {
      closing ??= (async () => {
        try {
          await context.close();
        } finally {
          await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
        }
      })();
      return closing;
    },
  };
}
