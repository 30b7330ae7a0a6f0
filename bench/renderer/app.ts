/**
 * The renderer figures' window: the end-to-end harness (tests/e2e/harness, used as is) with the
 * benchmark's probes in the page. The production renderer is built once per benchmark process
 * with vite; each app is a real ChatCore pinned to 127.0.0.1 behind the real command dispatcher,
 * an HTTP + WebSocket server on 127.0.0.1, and a fresh headless Chromium profile.
 */
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { chromiumStatus, launchBrowser, type ChromiumStatus, type TestBrowser } from '../../tests/e2e/harness/browser.js';
import { startCoreServer, type CoreServer } from '../../tests/e2e/harness/core-server.js';
import type { SavedRoom } from '../../electron/shell/settings.js';
import { buildRenderer } from '../../tests/e2e/harness/renderer-build.js';
import { BENCH_TTL, nextEndpoint, type Endpoint } from '../lib/endpoints.js';
import { notMeasured, failed } from '../lib/result.js';
import type { FigureResult, Target } from '../lib/types.js';

const PROBES_SOURCE = path.join(import.meta.dirname, 'page-probes.js');
/** The app's default window (electron/shell/settings.ts DEFAULT_WINDOW). */
export const WINDOW = { width: 1100, height: 720 } as const;

export interface FigureSpec {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly target: Target;
}

/**
 * Without /usr/bin/chromium the renderer figures are skipped (a row saying so), unless
 * MCCHAT_REQUIRE_CHROMIUM=1, where that is an error (and `npm run bench` exits 1).
 * Returns the rows to report instead of measuring, or null when Chromium is there.
 */
export function chromiumMissing(specs: readonly FigureSpec[], status: ChromiumStatus = chromiumStatus()): FigureResult[] | null {
  if (status.kind === 'available') return null;
  if (status.kind === 'required-missing') return specs.map((s) => failed(s.id, s.title, s.unit, s.target, new Error(status.reason)));
  return specs.map((s) => notMeasured(s.id, s.title, s.unit, s.target, `skipped: no chromium (${status.reason})`));
}

let built: Promise<string> | null = null;

/** The production renderer (with source maps), built once per process and removed when it exits. */
export function rendererDir(): Promise<string> {
  // With source maps, so a renderer CPU profile maps back to renderer/ files and lines.
  built ??= buildRenderer({ sourcemap: true }).then(({ dir, prebuilt }) => {
    if (!prebuilt) process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  });
  return built;
}

export interface BenchRoom {
  readonly name: string;
  readonly endpoint: Endpoint;
  /** The core's room id, group:port. */
  readonly roomId: string;
}

/** A room on a fresh benchmark endpoint (239.255.77.x, 47000-47999), TTL 0. */
export function benchRoom(name: string): BenchRoom {
  const endpoint = nextEndpoint();
  return { name, endpoint, roomId: `${endpoint.group}:${endpoint.port}` };
}

export interface BenchApp {
  readonly server: CoreServer;
  readonly browser: TestBrowser;
  readonly page: Page;
  readonly cdp: CDPSession;
  close(): Promise<void>;
}

/**
 * The app with `rooms` saved (joined on 127.0.0.1 at start), the page loaded and showing the
 * room list. `load: false` leaves the page blank, for a figure that times the load itself.
 */
export async function openApp(rooms: readonly BenchRoom[], options: { load?: boolean } = {}): Promise<BenchApp> {
  const savedRooms: SavedRoom[] = rooms.map((r) => ({ name: r.name, group: r.endpoint.group, port: r.endpoint.port, ttl: BENCH_TTL, loopback: true }));
  const server = await startCoreServer({ rendererDir: await rendererDir(), nickname: 'bench', savedRooms });
  let browser: TestBrowser | null = null;
  try {
    browser = await launchBrowser({ viewport: { ...WINDOW }, timeoutMs: 30_000 });
    const { page } = browser;
    await page.addInitScript({ content: await readFile(PROBES_SOURCE, 'utf8') });
    const cdp = await browser.context.newCDPSession(page);
    const app: BenchApp = {
      server,
      browser,
      page,
      cdp,
      async close() {
        try {
          await browser?.close();
        } finally {
          await server.close();
        }
      },
    };
    if (options.load !== false) await loadApp(app, rooms);
    return app;
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.close();
    throw error;
  }
}

/** Navigates to the app and waits until every room is joined and shown and main pushes events. */
export async function loadApp(app: BenchApp, rooms: readonly BenchRoom[]): Promise<void> {
  await app.page.goto(app.server.url);
  for (const room of rooms) await app.page.locator(`button[data-room-id="${room.roomId}"]`).waitFor({ state: 'visible' });
  const deadline = Date.now() + 15_000;
  while (!app.server.rendererReady || rooms.some((r) => app.server.core.rooms().find((s) => s.roomId === r.roomId)?.status !== 'joined')) {
    if (Date.now() > deadline) throw new Error('the app did not get ready (rooms joined, rendererReady) within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The page's JS heap after a full garbage collection (CDP), in bytes. */
export async function heapAfterGc(cdp: CDPSession): Promise<{ used: number; total: number }> {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.disable');
  const usage = await cdp.send('Runtime.getHeapUsage');
  return { used: usage.usedSize, total: usage.totalSize };
}

/** Milliseconds on the page's clock (performance.timeOrigin + now()) minus this process's, and how sure that is. */
export interface ClockOffset {
  readonly offsetMs: number;
  /** Half the shortest round trip: the offset is right to within this. */
  readonly uncertaintyMs: number;
}

/** This process's wall clock at sub-millisecond resolution, on the same footing as the page's. */
export const nodeClock = (): number => performance.timeOrigin + performance.now();

export async function clockOffset(page: Page, samples = 25): Promise<ClockOffset> {
  let best: ClockOffset = { offsetMs: Number.NaN, uncertaintyMs: Infinity };
  for (let i = 0; i < samples; i++) {
    const before = nodeClock();
    const pageNow = await page.evaluate('window.__mcbench.clock()');
    const after = nodeClock();
    const half = (after - before) / 2;
    if (half < best.uncertaintyMs) best = { offsetMs: Number(pageNow) - (before + half), uncertaintyMs: half };
  }
  return best;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` is true, or throws naming `what`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs: number, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
