import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION_CSP } from '../../electron/shell/security.js';
import { DEFAULT_WINDOW as APP_DEFAULT_WINDOW } from '../../electron/shell/settings.js';
import type { ChatMessage } from '../../shared/events.js';
import { encodeUtf8 } from '../../shared/protocol/codec.js';
import { REPO_ROOT } from '../helpers/mcchat-process.js';
import { testPeer } from '../helpers/signed-frames.js';
import { waitFor } from '../helpers/wait.js';
import { chromiumStatus, launchBrowser, type TestBrowser } from './harness/browser.js';
import { startCoreServer, type CoreServer } from './harness/core-server.js';
import { floodChat, floodHello, mcchatListen, mcchatSend, observeGroup, sendDatagram, stopAllPeers, stopPeer, waitForJsonLine, type Endpoint } from './harness/peers.js';
import { buildRenderer, type BuiltRenderer } from './harness/renderer-build.js';

// The real page (production build, production CSP) in headless Chromium, driving a real
// ChatCore over `window.mcchat`, chatting with mcchat CLI peers over multicast on loopback.
// Network safety: the core, every mcchat and every socket here use 127.0.0.1 only;
// groups 239.255.88.x, ports 48000-48999; the HTTP/WebSocket server listens on 127.0.0.1.

const status = chromiumStatus();
// A random block of ten ports, so a run never collides with a leftover of an earlier one.
const BASE = 48_100 + 10 * Math.floor(Math.random() * 80);
const LOBBY: Endpoint = { group: '239.255.88.1', port: BASE };
const CLASS: Endpoint = { group: '239.255.88.2', port: BASE + 1 };
const FLOOD: Endpoint = { group: '239.255.88.3', port: BASE + 2 };
const STORM: Endpoint = { group: '239.255.88.4', port: BASE + 3 };
const SECRET: Endpoint = { group: '239.255.88.5', port: BASE + 4 };
/** Strong enough that the form has no warning about it; mcchat gets the same one through MCCHAT_PASSPHRASE. */
const PASSPHRASE = 'plum kettle orbit seventeen lantern';
const idOf = (e: Endpoint): string => `${e.group}:${e.port}`;
const SHOTS = path.join(REPO_ROOT, 'screenshots', 'e2e');
const FLOOD_COUNT = 10_000;
const floodText = (i: number): string => `flood #${String(i + 1).padStart(5, '0')}`;
/** The app's default window size (1100×720 today) and a wider one; both have the three-pane layout. */
const DEFAULT_WINDOW = { width: APP_DEFAULT_WINDOW.width, height: APP_DEFAULT_WINDOW.height };
const WIDE_WINDOW = { width: 1280, height: 800 };
/** What the default window shows at 200 % zoom: half the CSS pixels, each drawn twice as large. */
const ZOOMED_200 = { width: DEFAULT_WINDOW.width / 2, height: DEFAULT_WINDOW.height / 2 };
/** The status panel's words for the command-line interface, the same for every room. */
const PINNED = 'Pinned to 127.0.0.1 (--iface)';

/** The little of the DOM the page-side checks below use (this file is compiled without DOM types). */
interface BoxLike {
  readonly textContent: string | null;
  getBoundingClientRect(): { readonly top: number; readonly bottom: number };
  querySelectorAll(selector: string): ArrayLike<BoxLike>;
}

/** A bounding box, as getBoundingClientRect gives it. */
interface Box {
  readonly top: number;
  readonly bottom: number;
}

/** What viewRendered reads of the log (compiled without DOM types, like BoxLike). */
interface LogLike {
  getBoundingClientRect(): Box;
  querySelector(selector: string): { getBoundingClientRect(): Box } | null;
  querySelectorAll(selector: string): ArrayLike<{ getBoundingClientRect(): Box }>;
}

/**
 * True once the rows on screen exist: the log's rows cover its visible box (or as much of it as
 * the content fills) without a hole. After a scroll, the virtualizer renders the new rows a frame
 * or more later (many more on a busy machine): reading rows before that reads the old ones.
 */
function viewRendered(el: LogLike): boolean {
  const view = el.getBoundingClientRect();
  const sizer = el.querySelector('.log__sizer')?.getBoundingClientRect();
  const rows = Array.from(el.querySelectorAll('.log__row'), (row) => row.getBoundingClientRect()).sort((a, b) => a.top - b.top);
  if (!sizer || rows.length === 0) return false;
  const top = Math.max(view.top, sizer.top);
  const bottom = Math.min(view.bottom, sizer.bottom);
  if ((rows[0]?.top ?? Infinity) > top + 1) return false;
  let covered = -Infinity;
  for (const row of rows) {
    if (covered !== -Infinity && row.top > covered + 1) break;
    covered = Math.max(covered, row.bottom);
  }
  return covered >= bottom - 1;
}

interface ScrollBox {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly clientHeight: number;
}

if (status.kind === 'skip') {
  it.skip(status.reason, () => undefined);
} else if (status.kind === 'required-missing') {
  it('chromium is available for the window end-to-end tests', () => {
    throw new Error(status.reason);
  });
}

describe.runIf(status.kind === 'available')('the window in Chromium, chatting over loopback multicast', () => {
  let renderer: BuiltRenderer | undefined;
  let server: CoreServer | undefined;
  let browser: TestBrowser | undefined;
  let page: Page;
  const coreMessages: ChatMessage[] = [];
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const navigations: string[] = [];
  const timings: Record<string, number> = {};
  /** axe-core's findings per view the session visited: every one must be empty. */
  const axeResults: Record<string, string[]> = {};

  const srv = (): CoreServer => {
    if (!server) throw new Error('the core server did not start');
    return server;
  };
  // The viewport only: a full-page capture resizes the page behind the app's back and knocks
  // the message log off its "follow the latest" position.
  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  };
  /** Runs axe-core (WCAG 2.x A and AA, best practices) on the page as it is, and expects no violation. */
  const axe = async (view: string): Promise<void> => {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
    const found = result.violations.map(
      (v) => `${v.id} (${v.impact ?? '?'}): ${v.nodes.map((n) => [n.target.join(' '), ...n.any.flatMap((c) => c.relatedNodes?.map((r) => `related ${r.target.join(' ')}`) ?? [])].join(' ')).join(', ')}`,
    );
    axeResults[view] = found;
    expect(found, `axe violations in ${view}`).toEqual([]);
  };
  const focusedSelector = (): Promise<string> =>
    page.evaluate('(() => { const a = document.activeElement; return a ? a.tagName.toLowerCase() + (a.id ? "#" + a.id : "") + (a.tagName === "BUTTON" && a.dataset.roomId ? "[" + a.dataset.roomId + "]" : "") : "none"; })()') as Promise<string>;
  const log = (): Locator => page.locator('.log__scroller');
  const messageRow = (text: string): Locator => log().locator('.message').filter({ hasText: text });
  const roomButton = (e: Endpoint): Locator => page.locator(`button[data-room-id="${idOf(e)}"]`);
  const composer = (): Locator => page.locator('#composer');
  const systemLine = (text: string | RegExp): Locator => log().locator('.system-line').filter({ hasText: text });
  /** A loss marker by its sentence ("2 messages from carlos missing — …"). */
  const lossMarker = (text: RegExp): Locator => log().locator('.loss-marker').filter({ has: page.locator('.loss-marker__text').filter({ hasText: text }) });
  /** Where a row is in the whole log (1-based), read from the virtualized list's aria-posinset. */
  const rowPosition = async (inRow: Locator): Promise<number> => Number(await inRow.locator('xpath=ancestor::*[@role="listitem"][1]').getAttribute('aria-posinset'));
  const setSize = async (): Promise<number> => Number(await log().locator('.log__row').last().getAttribute('aria-setsize'));
  /**
   * Scrolls the log as a user would: the app lets only the user's wheel, keys, touch or scrollbar
   * take the view away from the latest message (its own scrolling corrections do not), so a wheel
   * event goes first, then the position is set exactly.
   */
  const userScroll = async (to: (box: ScrollBox) => number): Promise<void> => {
    await log().dispatchEvent('wheel', { deltaY: -120, bubbles: true });
    await log().evaluate((el: ScrollBox, target: number) => {
      el.scrollTop = target;
    }, await log().evaluate(to));
  };
  /** Waits until the rows on screen are rendered (see viewRendered): a condition, not a pause. */
  const waitRendered = async (): Promise<void> => {
    await until(() => log().evaluate(viewRendered), 'the rows in view to be rendered', 30_000);
  };
  /**
   * Every row's text, top to bottom, read a screen at a time (only rows on screen exist); for
   * short logs. Each screen is read once it is rendered: read after a fixed pause instead, a
   * busy machine showed the old rows, and the next step went past a row nobody read.
   */
  const allRowTexts = async (): Promise<string[]> => {
    const rows = new Map<number, string>();
    await userScroll(() => 0);
    for (let step = 0; step < 200; step++) {
      await waitRendered();
      const read = await log().evaluate((el: BoxLike) =>
        Array.from(el.querySelectorAll('.log__row'), (row) => [Number((row as unknown as { getAttribute(n: string): string }).getAttribute('aria-posinset')), (row as unknown as { innerText: string }).innerText] as const),
      );
      for (const [at, text] of read) rows.set(at, text);
      const done = await log().evaluate((el: ScrollBox) => {
        const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
        el.scrollTop += el.clientHeight / 2;
        return atEnd;
      });
      if (done) break;
    }
    return [...rows.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
  };

  /** True when the row is inside the log's visible box, not just somewhere in the DOM. */
  const inLogView = async (row: Locator): Promise<boolean> => {
    if ((await row.count()) === 0) return false;
    const [outer, inner] = await Promise.all([log().boundingBox(), row.first().boundingBox()]);
    if (!outer || !inner) return false;
    return inner.y >= outer.y - 1 && inner.y + inner.height <= outer.y + outer.height + 1;
  };
  /** Polls an async check against the page, bounded. */
  const until = async (check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await page.waitForTimeout(25);
    }
  };
  /** inLogView in one step inside the page, for rows that come and go while the log scrolls. */
  const textInLogView = (text: string): Promise<boolean> =>
    log().evaluate(
      (el: BoxLike, wanted: string) => {
        const view = el.getBoundingClientRect();
        return Array.from(el.querySelectorAll('.message__text')).some((row) => {
          const box = row.getBoundingClientRect();
          return row.textContent === wanted && box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
        });
      },
      text,
    );
  const waitInLogView = (row: Locator, what: string, timeoutMs = 10_000): Promise<void> => until(() => inLogView(row), `${what} to be in the log's view`, timeoutMs);
  const distanceFromEnd = (): Promise<number> => log().evaluate((el: ScrollBox) => el.scrollHeight - el.scrollTop - el.clientHeight);
  /** The value the counters panel shows for `label`, as text ("10,000"). */
  const counterText = (label: string): Locator =>
    page.locator('.counters__item').filter({ has: page.locator('dt').getByText(label, { exact: true }) }).locator('dd');

  /** The value the inspector shows for one of its facts ("From", "TTL", …). */
  const fact = (story: Locator, label: string): Locator => story.locator('.wire-facts__item').filter({ has: page.locator('dt').getByText(label, { exact: true }) }).locator('dd');

  const jumpToEnd = async (): Promise<void> => {
    const jump = page.locator('.jump-to-latest');
    if ((await jump.count()) > 0) await jump.click();
    await until(async () => (await distanceFromEnd()) <= 48, 'the log to be back at its latest message');
  };

  const sendFromPage = async (text: string): Promise<void> => {
    await composer().fill(text);
    await composer().press('Enter');
    await messageRow(text).first().waitFor();
  };

  beforeAll(async () => {
    const started = Date.now();
    await mkdir(SHOTS, { recursive: true });
    renderer = await buildRenderer();
    timings['build renderer'] = Date.now() - started;
    // A first run whose settings hold one saved room (the real default is 239.255.42.99:4242;
    // these tests stay on 239.255.88.x).
    server = await startCoreServer({
      rendererDir: renderer.dir,
      nickname: null,
      savedRooms: [{ name: 'Lobby', ...LOBBY, ttl: 1, loopback: true }],
    });
    server.core.subscribe((event) => {
      if (event.type === 'message') coreMessages.push(event.message);
    });
    const launched = Date.now();
    // The screenshots are taken at this size; the default window size (1100×720) and 200 % zoom
    // have their own tests below.
    browser = await launchBrowser({ viewport: WIDE_WINDOW });
    timings['launch chromium'] = Date.now() - launched;
    page = browser.page;
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => undefined);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // CSP violations ("Refused to …") and React errors land here.
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
  });

  afterAll(async () => {
    await stopAllPeers();
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await renderer?.dispose().catch(() => undefined);
    console.info(`e2e timings (ms): ${JSON.stringify(timings)}`);
    console.info(`axe violations per view: ${JSON.stringify(axeResults)}`);
  });

  it('first run: asks for a nickname, then opens the main window in the default room', async () => {
    const response = await page.goto(srv().url);
    // The page runs under the production CSP, as in the app.
    expect(response?.headers()['content-security-policy']).toBe(PRODUCTION_CSP);
    await page.getByRole('heading', { name: 'Welcome to Multicast Chat' }).waitFor();
    const nick = page.getByLabel('Choose a nickname');
    expect(await nick.inputValue()).toBe('guest');
    // Nothing is joined before the user has chosen a name.
    expect(srv().core.rooms()).toEqual([]);
    await shot('01-first-run');
    await axe('first run');

    await nick.fill('alice');
    await page.getByRole('button', { name: 'Start chatting' }).click();

    await page.getByRole('heading', { level: 1, name: /Multicast Chat/ }).waitFor();
    await roomButton(LOBBY).waitFor();
    expect(await roomButton(LOBBY).innerText()).toContain(`Lobby\n${idOf(LOBBY)}`);
    await page.getByRole('heading', { level: 2, name: 'Lobby' }).waitFor();
    // The room is pinned to loopback, and the page says so.
    await log().getByText(`Joined ${idOf(LOBBY)} on lo (127.0.0.1).`).waitFor();
    await page.locator('.room-header .status-badge--joined').waitFor();
    // Saved rooms are rejoined with the pin as their interface; the status panel names the pin.
    await page.locator('.details').getByText(PINNED).waitFor();
    expect(srv().core.nickname).toBe('alice');
    expect(srv().core.rooms().map((r) => [r.roomId, r.interfaces.map((i) => i.address)])).toEqual([[idOf(LOBBY), ['127.0.0.1']]]);
    expect(srv().notices).toEqual([]);
    expect(srv().rendererReady).toBe(true);
    // Saved for the next start: no more first-run screen.
    expect(srv().settings.get().nickname).toBe('alice');
    // Focus is where the user goes on: typing in the room.
    await until(async () => (await focusedSelector()) === 'textarea#composer', 'the composer to have focus after the first run');
    await shot('02-lobby-joined');
    await axe('room, clean');
  });

  it('joins a room through the add-room dialog: first field focused, Escape closes back to the button; joined, it appears in the list with its endpoint and its composer has focus', async () => {
    const opener = page.getByRole('button', { name: '+ Add a room' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Add a room' });
    await dialog.waitFor();
    expect(await page.evaluate('document.activeElement?.closest("label, .field")?.textContent?.startsWith("Name (optional)") ?? false')).toBe(true);
    await axe('add-room dialog');
    await shot('03a-add-room-dialog');
    // Tab stays inside the dialog.
    for (let i = 0; i < 20; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate('!!document.activeElement?.closest("[role=dialog]")')).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await opener.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true);
    await opener.click();
    const form = page.getByRole('form', { name: 'Add a room' });
    await form.getByLabel('Name (optional)').fill('Class');
    await form.getByLabel('Multicast group').fill(CLASS.group);
    await form.getByLabel('Port', { exact: true }).fill(String(CLASS.port));
    await form.getByRole('button', { name: 'Join room' }).click();

    await roomButton(CLASS).waitFor();
    expect(await roomButton(CLASS).innerText()).toContain(`Class\n${idOf(CLASS)}`);
    expect(await page.locator('.room-list button[data-room-id]').evaluateAll((els: Array<{ dataset: Record<string, string> }>) => els.map((b) => b.dataset['roomId']))).toEqual([
      idOf(LOBBY),
      idOf(CLASS),
    ]);
    // The new room is open, and the form closed again.
    await page.getByRole('heading', { level: 2, name: 'Class' }).waitFor();
    expect(await page.locator('.room-header__endpoint').innerText()).toBe(idOf(CLASS));
    expect(await page.getByRole('form', { name: 'Add a room' }).count()).toBe(0);
    await until(async () => (await focusedSelector()) === 'textarea#composer', 'the new room\'s composer to have focus');
    // Added without an interface of its own, and still named pinned, like the saved room.
    expect(await page.locator('.details').getByText(PINNED).count()).toBe(1);
    const room = srv().core.rooms().find((r) => r.roomId === idOf(CLASS));
    expect(room).toMatchObject({ name: 'Class', group: CLASS.group, port: CLASS.port, ttl: 1, status: 'joined' });
    expect(room?.interfaces.map((i) => i.address)).toEqual(['127.0.0.1']);
    // Saved, without the command-line interface (it belongs to this run, not to the room).
    expect(srv().settings.get().rooms.map((r) => [r.name, r.group, r.port, r.iface])).toEqual([
      ['Lobby', LOBBY.group, LOBBY.port, undefined],
      ['Class', CLASS.group, CLASS.port, undefined],
    ]);
    await shot('03-room-added');
  });

  it("the group panel shows the group's Ethernet address and, from the real OS, the interface holding it", async () => {
    const panel = page.getByRole('region', { name: 'Group on the wire' });
    await panel.scrollIntoViewIfNeeded();
    // 239.255.88.2: low 23 bits 7f:58:02.
    await panel.getByText('01:00:5e:7f:58:02').waitFor();
    expect(await panel.innerText()).toContain('Shared with 31 other groups (224.127.88.2, 224.255.88.2, …)');
    expect(await panel.innerText()).toContain('No: routers may forward it');
    // Joined on 127.0.0.1 only: the kernel lists the membership under lo.
    if (process.platform === 'linux') await panel.getByText(/^lo \(from \/proc\/net\/igmp\)$/).waitFor();
    await panel.screenshot({ path: path.join(SHOTS, '03b-group-panel.png') });
  });

  it('sends from the page: mcchat listen --json receives it with the nickname and TTL', async () => {
    const listener = await mcchatListen(CLASS);
    await sendFromPage('hello from the window');
    const line = await waitForJsonLine(listener, (l) => l['text'] === 'hello from the window', 'mcchat listen to print the message');
    await stopPeer(listener);
    expect(line).toMatchObject({ kind: 'chat', text: 'hello from the window', nick: 'alice', peerId: srv().core.peerId, ttl: 1, group: CLASS.group, port: CLASS.port });
    expect(line?.['src']).toMatch(/^127\.0\.0\.1:\d+$/);
    // The page shows it once, as its own, with the TTL it used.
    const own = messageRow('hello from the window');
    expect(await own.count()).toBe(1);
    expect(await own.getAttribute('class')).toContain('message--own');
    expect(await own.locator('.message__nick').innerText()).toBe('alice (you)');
    expect(await own.locator('.badge--ttl').innerText()).toBe('subnet');
    expect(await own.getAttribute('title')).toMatch(/ · TTL 1 · seq \d+ · id /);
    expect(await composer().inputValue()).toBe('');
    expect(await inLogView(own)).toBe(true);
  });

  it('receives: a message from `mcchat send --nick bob` appears with nick bob', async () => {
    await mcchatSend(CLASS, ['--nick', 'bob', 'hello from bob']);
    const row = messageRow('hello from bob');
    await row.waitFor();
    expect(await row.getAttribute('class')).toContain('message--other');
    expect(await row.locator('.message__nick').innerText()).toMatch(/^bob #[0-9a-f]{8}$/);
    expect(await row.locator('.message__text').innerText()).toBe('hello from bob');
    expect(await row.locator('.badge--ttl').innerText()).toBe('subnet');
  });

  it('keeps a draft per room across switches, and puts focus in the composer after a click, Alt+Up/Down and Ctrl+1-9', async () => {
    await roomButton(CLASS).click();
    await composer().fill('half-written for Class');
    await roomButton(LOBBY).click();
    await page.getByRole('heading', { level: 2, name: 'Lobby' }).waitFor();
    await until(async () => (await focusedSelector()) === 'textarea#composer', 'the composer to have focus after a click on a room');
    expect(await composer().inputValue()).toBe('');
    await page.keyboard.type('for the lobby');
    await page.keyboard.press('Alt+ArrowDown');
    await page.getByRole('heading', { level: 2, name: 'Class' }).waitFor();
    await until(async () => (await focusedSelector()) === 'textarea#composer', 'the composer to have focus after Alt+Down');
    expect(await composer().inputValue()).toBe('half-written for Class');
    await page.keyboard.press('Control+1');
    await page.getByRole('heading', { level: 2, name: 'Lobby' }).waitFor();
    await until(async () => (await focusedSelector()) === 'textarea#composer', 'the composer to have focus after Ctrl+1');
    expect(await composer().inputValue()).toBe('for the lobby');
    await composer().fill('');
    await page.keyboard.press('Control+2');
    await page.getByRole('heading', { level: 2, name: 'Class' }).waitFor();
    await composer().fill('');
  });

  it('groups consecutive messages of one sender under one header', async () => {
    await sendFromPage('first of two, grouped');
    await sendFromPage('second of two, grouped');
    const second = messageRow('second of two, grouped');
    expect(await second.getAttribute('class')).toContain('message--continued');
    expect(await second.locator('.message__nick').count()).toBe(0);
    expect(await messageRow('first of two, grouped').locator('.message__nick').innerText()).toBe('alice (you)');
  });

  it('a raw datagram is shown marked raw, with its source ip:port', async () => {
    await mcchatSend(CLASS, ['--raw', 'bare datagram, as the Python snippet sends']);
    const row = messageRow('bare datagram, as the Python snippet sends');
    await row.waitFor();
    expect(await row.getAttribute('class')).toContain('message--raw');
    expect(await row.locator('.badge--raw').innerText()).toBe('raw');
    const src = await row.locator('.message__src').innerText();
    expect(src).toMatch(/^127\.0\.0\.1:\d+$/);
    // The same source the core saw: the page shows the datagram's real origin.
    expect(src).toBe(coreMessages.find((m) => m.kind === 'raw' && m.text.startsWith('bare datagram'))?.src);
    // No nickname, no TTL: a raw datagram carries neither.
    expect(await row.locator('.message__nick').count()).toBe(0);
    expect(await row.locator('.badge', { hasText: 'TTL' }).count()).toBe(0);
    // The status panel's counters follow (pushed about once a second): one chat message, one raw datagram.
    await until(async () => (await counterText('Raw datagrams').innerText()) === '1', 'the raw datagram counter', 5_000);
    expect(await counterText('Chat messages shown').innerText()).toBe('1');
    await shot('04-conversation');
  });

  it('the TTL picker set to "32 – site" makes the next message carry TTL 32', async () => {
    await page.getByLabel('TTL scope').selectOption({ label: '32 – site' });
    await page.locator('.ttl-picker__meaning').filter({ hasText: 'TTL 32 (site)' }).waitFor();
    await waitFor(() => srv().core.rooms().find((r) => r.roomId === idOf(CLASS))?.ttl === 32, 'the core to use TTL 32');
    // The change leaves one line in the log, though the command's answer and the core's event both carry it.
    await systemLine('TTL changed to 32 (site)').waitFor();
    expect(await systemLine('TTL changed to 32 (site)').count()).toBe(1);

    // Joining, the listener also gets recent history (earlier messages, sent at TTL 1): look for ours.
    const listener = await mcchatListen(CLASS);
    await sendFromPage('now at site scope');
    const line = await waitForJsonLine(listener, (l) => l['text'] === 'now at site scope', 'mcchat listen to print the message');
    await stopPeer(listener);
    expect(line).toMatchObject({ kind: 'chat', text: 'now at site scope', nick: 'alice', peerId: srv().core.peerId, ttl: 32 });
    expect(await messageRow('now at site scope').locator('.badge--ttl').innerText()).toBe('site');
    await shot('05-ttl-32');
  });

  it('the inspector: a message picked in the log shows its wire story (source, interface, group, TTL and scope, how it came, the header fields, a hex dump with the parts marked)', async () => {
    const bob = coreMessages.find((m) => m.text === 'hello from bob');
    if (!bob) throw new Error("the core never delivered bob's message");
    await messageRow('hello from bob').click();
    const story = page.getByRole('region', { name: 'Wire story: Message from bob' });
    await story.waitFor();
    await axe('inspector open');
    expect(await page.locator('.details').count()).toBe(0);
    expect(await fact(story, 'From').innerText()).toBe(bob.src);
    expect(await fact(story, 'Arrived on').innerText()).toBe(`${bob.iface ?? ''} (127.0.0.1)`);
    expect(await fact(story, 'To group').innerText()).toBe(idOf(CLASS));
    expect(await fact(story, 'TTL').innerText()).toBe('1 · subnet');
    expect(await fact(story, 'Sequence number').innerText()).toBe(String(bob.seq));
    const journey = await story.getByRole('list', { name: 'How it got here' }).innerText();
    expect(journey).toContain('Came live: it arrived as it was sent.');
    expect(journey).toContain(`Signature verified: key ${(bob.peerId ?? '').replace(/(.{4})(?=.)/g, '$1 ')}.`);
    const fields = story.getByRole('table', { name: 'Header fields' });
    await fields.waitFor();
    const fieldRow = (name: string): Locator => fields.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    expect(await fieldRow('nick').innerText()).toContain('"bob"');
    expect(await fieldRow('seq').innerText()).toContain('sequence number');
    expect(await fieldRow('n').innerText()).toContain('datagram counter');
    // v2: the signature is no header field but the datagram's last line, base64url text.
    expect(await story.locator('.wire-text .wire-part--signature').innerText()).toMatch(/^[A-Za-z0-9_-]{12} … \(86 bytes\)$/);
    // The datagram the core received, byte for byte: as long as it counted, the marker first, the text last.
    expect(await story.locator('.datagram__title').innerText()).toBe(`The datagram · ${bob.bytes} bytes`);
    const dump = story.getByLabel('Hex dump of the datagram');
    expect(await dump.innerText()).toMatch(/^0000 {2}4d 43 43 32 20 7b 22 74 22 3a 22 63 68 61 74 22/);
    expect(await dump.locator('.wire-part--marker').first().innerText()).toBe('4d 43 43 32 20');
    expect(await dump.locator('.wire-part--signature').count()).toBeGreaterThan(0);
    expect(await story.locator('.wire-text .wire-part--body').innerText()).toBe('hello from bob');
    await shot('19-inspector-chat');
    await story.locator('.datagram').scrollIntoViewIfNeeded();
    await story.locator('.datagram').screenshot({ path: path.join(SHOTS, '19a-inspector-chat-datagram.png') });

    await messageRow('hello from the window').click();
    const own = page.getByRole('region', { name: 'Wire story: Your message' });
    await own.waitFor();
    expect(await own.getByRole('list', { name: 'How it got here' }).innerText()).toContain('Sent by you.');
    await own.getByLabel('Hex dump of the datagram').waitFor();

    await messageRow('bare datagram, as the Python snippet sends').click();
    const raw = page.getByRole('region', { name: /^Wire story: Raw datagram from 127\.0\.0\.1:\d+$/ });
    await raw.waitFor();
    expect(await fact(raw, 'TTL').innerText()).toBe('not known');
    expect(await raw.innerText()).toContain('The original bytes of a raw datagram are not kept.');
    expect(await raw.locator('.hexdump .wire-part--raw').first().innerText()).toMatch(/^62 61 72 65 20/);
    await shot('19b-inspector-raw');

    // Escape closes it and puts focus back on the row; the arrows pick messages, Enter opens one.
    await page.keyboard.press('Escape');
    await raw.waitFor({ state: 'detached' });
    expect(await page.evaluate('document.activeElement?.closest(".message")?.querySelector(".message__text")?.textContent')).toBe('bare datagram, as the Python snippet sends');
    await log().focus();
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate('document.activeElement?.querySelector(".message__text")?.textContent')).toBe('now at site scope');
    await page.keyboard.press('Enter');
    await own.waitFor();
    expect(await fact(own, 'TTL').innerText()).toBe('32 · site');
    await page.keyboard.press('Escape');
    await own.waitFor({ state: 'detached' });
    await page.locator('.details').waitFor();
    // Picking a message is reading back: the log may have stopped following the conversation; End
    // in the log goes back to the latest (the "Jump to latest" button can vanish under a click here).
    await log().focus();
    await page.keyboard.press('End');
    await until(async () => (await distanceFromEnd()) <= 48, 'the log to be back at its latest message');
  });

  it('a sender that skips two messages and never repairs them: the marker where they are missing says they were lost', { timeout: 30_000 }, async () => {
    const gappy = testPeer();
    const chat = async (seq: number, text: string): Promise<void> => {
      const now = Date.now();
      for (const frame of gappy.chat({ nick: 'gappy', seq, ttl: 1, ts: now }, text)) await sendDatagram(CLASS, frame);
    };
    await chat(0, 'gappy says one');
    await messageRow('gappy says one').waitFor();
    // 1 and 2 never come: the core asks for them (nobody answers) and gives up after a few seconds.
    await chat(3, 'gappy says four');
    await messageRow('gappy says four').waitFor();
    // About ten unanswered requests a quarter second apart; slower on a loaded machine.
    await waitFor(() => srv().core.counters(idOf(CLASS)).lossGivenUp >= 2, 'the core to give up on the two lost messages', 20_000);
    expect(srv().core.counters(idOf(CLASS)).lossGivenUp).toBe(2);
    await jumpToEnd();
    // In place, not at the end: one marker just before the message whose arrival showed the gap.
    const marker = lossMarker(/^2 messages from gappy missing — lost after \d+ NACKs$/);
    await marker.waitFor({ timeout: 5_000 });
    expect(await marker.getAttribute('class')).toContain('loss-marker--lost');
    expect(await marker.locator('.loss-marker__seqs').innerText()).toBe('seq 1–2');
    expect(await rowPosition(messageRow('gappy says four'))).toBe((await rowPosition(marker)) + 1);
    expect(await rowPosition(messageRow('gappy says one'))).toBeLessThan(await rowPosition(marker));
    // The marker says it: the old line at the end of the log is not written as well.
    expect(await systemLine('could not be recovered').count()).toBe(0);
  });

  it('a sender that skips two messages and resends them when asked: the marker says "asking", then "repaired" in place; the meter counts it', { timeout: 30_000 }, async () => {
    const carlos = testPeer();
    const observer = await observeGroup(CLASS);
    try {
      await sendDatagram(CLASS, carlos.frame({ t: 'hello', nick: 'carlos', app: 'hand-made sender (tests)', ivl: 60_000 }));
      const now = Date.now();
      const texts = ['carlos says one', 'carlos says two', 'carlos says three', 'carlos says four'];
      // Each send is a fresh datagram of the same message (new envelope), as a resend is.
      const send = async (seq: number): Promise<void> => {
        for (const frame of carlos.chat({ nick: 'carlos', seq, ttl: 1, ts: now + seq }, texts[seq] ?? '')) await sendDatagram(CLASS, frame);
      };
      await send(0);
      await messageRow('carlos says one').waitFor();
      await send(3);
      await messageRow('carlos says four').waitFor();
      const asking = lossMarker(/^2 messages from carlos missing — asking \(\d+ NACKs?\)$/);
      await asking.waitFor();
      expect(await asking.getAttribute('class')).toContain('loss-marker--asking');
      expect(await rowPosition(messageRow('carlos says four'))).toBe((await rowPosition(asking)) + 1);
      // The window's core asked the group for them: a NACK naming carlos is on the wire.
      await waitFor(() => observer.frames.some((f) => f.kind === 'frame' && f.header.t === 'nack' && f.header.to === carlos.peerId), 'a NACK for carlos on the group');
      await shot('06a-loss-asking');

      // Duplicates shown for the demo: a copy of a message already had becomes a line.
      const meter = page.getByRole('region', { name: 'Per-peer meter' });
      await meter.getByRole('checkbox', { name: 'Show duplicates in the log' }).check();
      await send(1);
      await send(2);
      const repaired = lossMarker(/^2 messages from carlos missing — repaired after \d+ NACKs?$/);
      await repaired.waitFor();
      expect(await asking.count()).toBe(0);
      expect(await log().locator('.loss-marker').filter({ hasText: 'carlos' }).count()).toBe(1);
      expect(await repaired.getAttribute('class')).toContain('loss-marker--repaired');
      // The repaired messages took their places above the marker and are tagged.
      const [one, two, three, marker, four] = await Promise.all(
        [messageRow('carlos says one'), messageRow('carlos says two'), messageRow('carlos says three'), repaired, messageRow('carlos says four')].map(rowPosition),
      );
      expect([two, three, marker, four]).toEqual([(one ?? 0) + 1, (one ?? 0) + 2, (one ?? 0) + 3, (one ?? 0) + 4]);
      for (const text of ['carlos says two', 'carlos says three']) expect(await messageRow(text).locator('.badge--via').innerText()).toBe('repaired');
      expect(await messageRow('carlos says four').locator('.badge--via').count()).toBe(0);

      await send(3);
      await systemLine('1 duplicate datagram from carlos (already had them: dropped).').waitFor();
      await meter.getByRole('checkbox', { name: 'Show duplicates in the log' }).uncheck();

      // The meter, from the core's once-a-second report: all four received, two gaps, both repaired, one duplicate.
      const carlosCounts = meter.locator('tbody').filter({ has: page.getByRole('rowheader', { name: /^carlos / }) });
      const counts = (): Promise<string[]> => carlosCounts.locator('.meter__count').allInnerTexts();
      await until(async () => (await counts()).join(' ') === '4 2 2 0 1 0', "carlos's meter to read 4 received, 2 gaps, 2 repaired, 0 lost, 1 duplicate, 0 reordered", 10_000);
      expect(await carlosCounts.locator('.meter__detail').innerText()).toMatch(/^heard (just now|\d+ s ago) · 127\.0\.0\.1 · hand-made sender \(tests\)$/);
      // The rates moved, and the graph has something to draw.
      const rates = page.getByRole('region', { name: 'Rates and counters' });
      expect(await rates.getByRole('img', { name: /^Datagrams per second over the last minute: in at most [1-9]/ }).count()).toBe(1);

      // Repairs and a marker went in above the newest message, and still the log follows the conversation.
      await until(async () => (await distanceFromEnd()) <= 48, 'the log to stay at its latest message');
      expect(await page.locator('.jump-to-latest').count()).toBe(0);
      await shot('06-loss-repaired');
      await repaired.screenshot({ path: path.join(SHOTS, '06b-loss-marker.png') });
      await meter.scrollIntoViewIfNeeded();
      await meter.screenshot({ path: path.join(SHOTS, '06c-meter.png') });
      // The panel is taller than the window: its top at the top of the details column, and that column shot.
      await rates.evaluate((el: { scrollIntoView(options: { block: 'start' }): void }) => el.scrollIntoView({ block: 'start' }));
      await page.locator('.details').screenshot({ path: path.join(SHOTS, '06d-rates-counters.png') });
    } finally {
      observer.close();
    }
  });

  it('"How far does my TTL reach?": a probe on loopback finds a listening member at TTL 1, nobody new beyond, and compares with the room\'s TTL', { timeout: 30_000 }, async () => {
    // A member that answers probes (listen, not passive), on 127.0.0.1 like everything here. Her
    // own name: the core remembers which key each name came with, and later tests use dave and carol.
    const erin = await mcchatListen(CLASS, ['--nick', 'erin']);
    try {
      await page.getByRole('list', { name: 'People in this room' }).getByText('erin', { exact: true }).waitFor();
      const panel = page.getByRole('region', { name: 'How far does my TTL reach?' });
      await panel.scrollIntoViewIfNeeded();
      expect(await panel.getByLabel('TTL limit').inputValue()).toBe('8');
      const probe = panel.getByRole('button', { name: 'Probe' });
      await probe.click();
      // About 2.6 s: 8 TTLs 200 ms apart, then a second for the last answers.
      expect(await probe.isDisabled()).toBe(true);
      await panel.locator('.reach__progress').filter({ hasText: /^(Probing TTL [1-8] of 8|Waiting for the last answers)…$/ }).waitFor();
      await panel.screenshot({ path: path.join(SHOTS, '06e-reach-probing.png') });
      const lines = panel.getByRole('list', { name: 'Who answered, per TTL' }).getByRole('listitem');
      await lines.first().waitFor({ timeout: 10_000 });
      expect(await lines.allInnerTexts()).toEqual(['TTL 1 (subnet): erin', 'TTL 2–8: nobody new']);
      expect(await probe.isEnabled()).toBe(true);
      expect(await panel.locator('.reach__progress').count()).toBe(0);
      const text = await panel.innerText();
      expect(text).toContain('1 peer answered; the farthest is on this subnet (first reached at TTL 1).');
      // The room is at TTL 32 since the picker test.
      expect(text).toContain("The room's TTL 32 reaches the one peer that answered.");
      expect(await panel.locator('[aria-live="polite"]').innerText()).toContain('TTL 1 (subnet): erin');
      // erin's answer came from her socket on loopback.
      expect(await panel.getByText('erin', { exact: true }).getAttribute('title')).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(srv().commands.filter((c) => c.name === 'probeReach')).toEqual([{ name: 'probeReach', ok: true }]);
      await panel.screenshot({ path: path.join(SHOTS, '06f-reach-probe.png') });
      await shot('06g-reach-probe-window');
    } finally {
      await stopPeer(erin);
    }
  });

  it('hostile text renders inert: no markup, no script, no javascript: links, no horizontal overflow', async () => {
    // A signed sender: the core shows no unsigned frames, and hostile text must get past that to be tested.
    const mallory = testPeer();
    let seq = 0;
    const chat = async (text: string): Promise<void> => {
      seq++;
      for (const frame of mallory.chat({ nick: 'mallory', seq, ttl: 1, ts: Date.now() }, text)) await sendDatagram(CLASS, frame);
    };
    const long = `${'A'.repeat(4_000)}${'ж'.repeat(500)}${'B'.repeat(500)}`;
    expect(long).toHaveLength(5_000);
    await chat('<img src=x onerror=alert(1)>');
    await sendDatagram(CLASS, encodeUtf8('<img src=y onerror=alert(2)><script>alert(3)</script>'));
    await chat('javascript:alert(1)');
    await chat('docs at https://example.com/docs?a=1 and <a href="javascript:alert(4)">click</a>');
    await chat(long);
    const longRow = log().locator('.message').filter({ hasText: 'AAAAAAAAAA' });
    await longRow.waitFor();
    await messageRow('<img src=x onerror=alert(1)>').waitFor();
    await messageRow('<script>alert(3)</script>').waitFor();

    // The markup is text: shown literally, never parsed.
    expect(await messageRow('<img src=x onerror=alert(1)>').locator('.message__text').innerText()).toBe('<img src=x onerror=alert(1)>');
    expect(await messageRow('javascript:alert(1)').locator('.message__text').innerText()).toBe('javascript:alert(1)');
    expect(await log().locator('img, script, iframe, object, embed').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    // Only the http(s) URL became a link.
    const links = messageRow('docs at').locator('a');
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe('https://example.com/docs?a=1');
    expect(await longRow.locator('.message__text').innerText()).toBe(long);
    expect(await longRow.locator('.badge', { hasText: 'fragments' }).innerText()).toMatch(/^\d+ fragments$/);

    // The 5,000 characters wrap: nothing is wider than the log or the window.
    const box = await log().evaluate((el: ScrollBox) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(box.scrollWidth).toBeLessThanOrEqual(box.clientWidth + 1);
    const rowWidth = await longRow.evaluate((el: ScrollBox) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(rowWidth.scrollWidth).toBeLessThanOrEqual(rowWidth.clientWidth + 1);
    const docBox = await page.locator('html').evaluate((el: ScrollBox) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(docBox.scrollWidth).toBeLessThanOrEqual(docBox.clientWidth + 1);
    // As the user would (a wheel first): the log keeps following the latest message otherwise.
    await log().dispatchEvent('wheel', { deltaY: -120, bubbles: true });
    await messageRow('<img src=x onerror=alert(1)>').scrollIntoViewIfNeeded();
    await shot('06-hostile-text');

    // A click on the web link goes to main's openExternal; the window itself stays put.
    const before = page.url();
    await links.click();
    await waitFor(() => srv().openedUrls.length > 0, 'openExternal');
    expect(srv().openedUrls).toEqual(['https://example.com/docs?a=1']);
    expect(page.url()).toBe(before);
    expect(dialogs).toEqual([]);
  });

  it('leaving a room removes it from the list, and the group hears a goodbye', async () => {
    const observer = await observeGroup(LOBBY);
    try {
      await roomButton(LOBBY).click();
      await page.getByRole('heading', { level: 2, name: 'Lobby' }).waitFor();
      // Left at once, with a few seconds to undo; focus goes back to the room list.
      await page.getByRole('button', { name: 'Leave room' }).click();
      await roomButton(LOBBY).waitFor({ state: 'detached' });
      await page.getByRole('status').filter({ hasText: 'Left Lobby.' }).waitFor();
      await until(async () => (await focusedSelector()) === `button[${idOf(CLASS)}]`, 'the room list to have focus after leaving');
      await shot('07a-left-with-undo');
      await axe('left a room, undo showing');
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Undo: join Lobby again');
      await page.keyboard.press('Enter');
      await roomButton(LOBBY).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Lobby' }).waitFor();
      await until(async () => (await focusedSelector()) === 'textarea#composer', 'the composer to have focus after Undo');
      expect(srv().core.rooms().find((r) => r.roomId === idOf(LOBBY))).toMatchObject({ status: 'joined', ttl: 1 });
      // And gone for good this time.
      await page.getByRole('button', { name: 'Leave room' }).click();
      await roomButton(LOBBY).waitFor({ state: 'detached' });
      expect(await page.locator('.room-list button[data-room-id]').count()).toBe(1);
      // The remaining room opens instead.
      await page.getByRole('heading', { level: 2, name: 'Class' }).waitFor();
      expect(srv().core.rooms().map((r) => r.roomId)).toEqual([idOf(CLASS)]);
      expect(srv().settings.get().rooms.map((r) => r.name)).toEqual(['Class']);
      await waitFor(
        () => observer.frames.some((f) => f.kind === 'frame' && f.header.t === 'bye' && f.header.peer === srv().core.peerId && f.header.nick === 'alice'),
        'the goodbye frame on the Lobby group',
      );
      await shot('07-after-leave');
    } finally {
      observer.close();
    }
  });

  it('one source over the flood limit: the log says who floods and what was dropped, the peer list flags it until it stops', { timeout: 30_000 }, async () => {
    await srv().core.joinRoom({ name: 'Storm', ...STORM, ttl: 1, loopback: true });
    await roomButton(STORM).click();
    await page.getByRole('heading', { level: 2, name: 'Storm' }).waitFor();
    const stormId = idOf(STORM);
    // One peer, one socket, 6,000 announcements as fast as it can: far over the core's per-source
    // limit (a burst of 2,000, then 500 a second). Presence makes no rows, so the lines about the
    // flood are the newest in the log.
    await floodHello(STORM, { count: 6_000, nick: 'flooder-1' });
    await waitFor(() => srv().core.counters(stormId).floodDropped > 0, 'the core to drop datagrams over the limit', 10_000);
    const started = systemLine(/flooder-1 \(127\.0\.0\.1:\d+\) is flooding the room: [\d,]+ datagrams? dropped\.$/);
    await started.waitFor();
    // Flagged from the core's report (about once a second) until a report finds no more drops.
    const flag = page.locator('.peer--flooding').filter({ hasText: 'flooder-1' }).locator('.peer__flag');
    await flag.waitFor();
    expect(await flag.innerText()).toMatch(/flooding/);
    await shot('08a-storm-flooding');
    await flag.waitFor({ state: 'detached' });
    const ended = systemLine(/flooder-1 \(127\.0\.0\.1:\d+\) stopped flooding the room: [\d,]+ datagrams? dropped in all\.$/);
    await ended.waitFor();
    const total = Number((await ended.innerText()).match(/([\d,]+) datagrams? dropped in all/)?.[1]?.replaceAll(',', ''));
    expect(total).toBe(srv().core.counters(stormId).floodDropped);
    // Rate-limited: one line when it began, one when it ended (the flood lasted less than ten seconds).
    expect(await systemLine(/flooder-1 .*flooding the room/).count()).toBe(2);
  });

  it(`${FLOOD_COUNT.toLocaleString('en')} messages: the log stays virtualized, scrolls to the first and back, and Home reaches the first at once`, { timeout: 120_000 }, async () => {
    // A room joined from main's side (as a saved room would be): the page learns of it by event.
    await srv().core.joinRoom({ name: 'Flood', ...FLOOD, ttl: 1, loopback: true });
    await roomButton(FLOOD).click();
    await page.getByRole('heading', { level: 2, name: 'Flood' }).waitFor();

    const floodId = idOf(FLOOD);
    const started = Date.now();
    // Ten busy peers: one source alone would (rightly) hit the core's per-source flood limit.
    const result = await floodChat(FLOOD, { count: FLOOD_COUNT, peers: 10, text: floodText, received: () => srv().core.counters(floodId).chatMessagesIn });
    timings['flood: send 10k'] = result.ms;
    await waitFor(() => srv().core.counters(floodId).chatMessagesIn >= FLOOD_COUNT, 'the core to receive every message', 30_000).catch(() => undefined);
    const counters = srv().core.counters(floodId);
    expect({ stalls: result.stalls, shown: counters.chatMessagesIn, floodDropped: counters.floodDropped, duplicates: counters.duplicates }).toEqual({
      stalls: 0,
      shown: FLOOD_COUNT,
      floodDropped: 0,
      duplicates: 0,
    });

    // The view follows the conversation to the very last message.
    await waitInLogView(messageRow(floodText(FLOOD_COUNT - 1)), 'the last flood message', 30_000);
    timings['flood: last message on screen'] = Date.now() - started;
    const rows = await log().locator('.log__row').count();
    expect(rows).toBeGreaterThan(3);
    expect(rows).toBeLessThan(100);
    await until(async () => (await counterText('Chat messages shown').innerText()) === FLOOD_COUNT.toLocaleString('en'), 'the counters panel to count every message', 15_000);
    expect(await counterText('Dropped (flood limit)').innerText()).toBe('0');
    const setSize = Number(await log().locator('.log__row').last().getAttribute('aria-setsize'));
    // Every message, plus a few system lines ("Joined …", "flooder-3 joined from …").
    expect(setSize).toBeGreaterThanOrEqual(FLOOD_COUNT);
    expect(setSize).toBeLessThanOrEqual(FLOOD_COUNT + 20);
    await shot('08-flood-latest');

    // Scroll to the top, as often as it takes: each visit to the top takes older entries in (and
    // keeps stepping back while the view stays there); the first message is there in the end,
    // and still only a screenful of rows. The deadline is for a hang: no scroll event comes from
    // scrollTop 0, and the log used to stop there at the top of its window, not of the room.
    const toTop = Date.now();
    const first = messageRow(floodText(0));
    await until(
      async () => {
        if (await inLogView(first)) return true;
        await userScroll(() => 0);
        return false;
      },
      'the first flood message to come into view at the top',
      60_000,
    );
    timings['flood: scroll to top'] = Date.now() - toTop;
    expect(await log().evaluate((el: ScrollBox) => el.scrollTop)).toBeLessThan(5);
    expect(await messageRow(floodText(FLOOD_COUNT - 1)).count()).toBe(0);
    expect(await log().locator('.log__row').count()).toBeLessThan(100);
    await shot('09-flood-top');

    // Back down with the "jump to latest" button the log offers while scrolled up.
    const jump = page.locator('.jump-to-latest');
    await jump.waitFor();
    await jump.click();
    await waitInLogView(messageRow(floodText(FLOOD_COUNT - 1)), 'the last flood message after "jump to latest"');
    await jump.waitFor({ state: 'detached' });
    expect(await distanceFromEnd()).toBeLessThanOrEqual(48);
    expect(await messageRow(floodText(0)).count()).toBe(0);
    await shot('10-flood-back-to-latest');

    // Home, once, from the latest: the first of the 10,000 comes into view at the top (the log's
    // window holds only the newest entries until then), still a screenful of rows; End goes back.
    await until(async () => (await log().evaluate(viewRendered)) && (await messageRow(floodText(0)).count()) === 0, 'the log to settle at its latest rows', 30_000);
    const home = Date.now();
    await log().press('Home');
    await waitInLogView(first, 'the first flood message after Home', 30_000);
    timings['flood: Home to the first message'] = Date.now() - home;
    expect(await log().evaluate((el: ScrollBox) => el.scrollTop)).toBeLessThan(5);
    expect(await log().locator('.log__row').count()).toBeLessThan(100);
    await log().press('End');
    await waitInLogView(messageRow(floodText(FLOOD_COUNT - 1)), 'the last flood message after End', 30_000);
    await jump.waitFor({ state: 'detached' });
  });

  it('after a reload, the rooms come back from their stored history, each message once, and the draft is still there', { timeout: 30_000 }, async () => {
    // Half a sentence in Class: kept in localStorage, so a reload (or a restart) keeps it.
    await roomButton(CLASS).click();
    await page.getByRole('heading', { level: 2, name: 'Class' }).waitFor();
    await composer().fill('still typing when the window went away');
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Class' }).waitFor();
    expect(await composer().inputValue()).toBe('still typing when the window went away');
    await composer().fill('');
    await until(async () => (await setSize()) > 5, 'the stored messages of Class');
    // Everything said in Class before the reload, loaded from disk: once each, not doubled by events held over the reload.
    // Every row was read: as many as the log says it has. A line written while reading (a peer
    // timing out, a loss marker) changes both; read again until one read agrees with itself.
    let size = await setSize();
    let rows = await allRowTexts();
    await until(async () => {
      if (rows.length === size && (await setSize()) === size) return true;
      size = await setSize();
      rows = await allRowTexts();
      return false;
    }, 'one read of the log that agrees with its size');
    for (const text of ['hello from the window', 'hello from bob', 'now at site scope', 'gappy says one', 'gappy says four']) {
      expect(rows.filter((row) => row.endsWith(`\n${text}`)), text).toHaveLength(1);
    }
    // Stored messages are not news.
    expect(await page.locator('.room-list .unread-badge').count()).toBe(0);
    await jumpToEnd();

    // The flood room shows its newest page; the 10,000 are on disk, not in the window.
    await roomButton(FLOOD).click();
    await page.getByRole('heading', { level: 2, name: 'Flood' }).waitFor();
    await waitInLogView(messageRow(floodText(FLOOD_COUNT - 1)), 'the last flood message, from history');
    const firstPage = await setSize();
    expect(firstPage).toBeGreaterThanOrEqual(200);
    expect(firstPage).toBeLessThan(260);
    await shot('11-after-reload-flood');
  });

  it('scrolled to the top, the log loads the previous page above and keeps the rows in view where they were', { timeout: 90_000 }, async () => {
    const before = await setSize();
    const oldFirst = floodText(FLOOD_COUNT - 200);
    const newFirst = floodText(FLOOD_COUNT - 400);
    // One jump to the very top, where the oldest loaded message is: that asks for the previous page.
    await userScroll(() => 0);
    await until(async () => (await setSize()) >= before + 200, 'the previous page to go in', 30_000);
    // The reader still sees the message that was at the top, still at the top; the page went in above it.
    await until(async () => (await log().evaluate(viewRendered)) && (await textInLogView(oldFirst)), 'the row that was at the top to be in view again', 30_000);
    const [logBox, rowBox] = await Promise.all([log().boundingBox(), messageRow(oldFirst).boundingBox()]);
    expect((rowBox?.y ?? Number.NaN) - (logBox?.y ?? Number.NaN)).toBeLessThan(80);
    expect(await log().evaluate((el: ScrollBox) => el.scrollTop)).toBeGreaterThan(1_000);
    expect(await textInLogView(newFirst)).toBe(false);
    // Scrolling up further, half a screen at a time, each screen looked at once it is rendered
    // (so no row is skipped), reaches the new page's first message. The deadline is for a hang.
    await until(
      async () => {
        await userScroll((el) => Math.max(0, el.scrollTop - el.clientHeight / 2));
        await waitRendered();
        return textInLogView(newFirst);
      },
      'the first message of the older page',
      60_000,
    );
    await shot('12-history-older-page');
  });

  it('searches the saved history from the room header', async () => {
    await roomButton(CLASS).click();
    await page.getByRole('heading', { level: 2, name: 'Class' }).waitFor();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByLabel('Search saved messages').fill('SITE scope');
    await page.getByLabel('Search saved messages').press('Enter');
    const results = page.getByRole('list', { name: 'Messages containing “SITE scope”' });
    await results.waitFor();
    expect(await results.locator('.message__text').allInnerTexts()).toEqual(['now at site scope']);
    await page.getByLabel('Search saved messages').press('Escape');
    await results.waitFor({ state: 'detached' });
  });

  it('joins a passphrase room from the form: an mcchat peer with the same passphrase is read, the room shows its lock and key', { timeout: 30_000 }, async () => {
    await page.getByRole('button', { name: '+ Add a room' }).click();
    const form = page.getByRole('form', { name: 'Add a room' });
    await form.getByLabel('Name (optional)').fill('Secret');
    await form.getByLabel('Multicast group').fill(SECRET.group);
    await form.getByLabel('Port', { exact: true }).fill(String(SECRET.port));
    const passphrase = form.getByLabel('Passphrase (optional)');
    expect(await passphrase.getAttribute('type')).toBe('password');
    await passphrase.fill('hunter2');
    // Main's strength check, shown under the field; a weak passphrase is advice, not a refusal.
    await form.locator('[id$="-passphrase-warnings"]').waitFor();
    await passphrase.fill(PASSPHRASE);
    await form.getByRole('button', { name: 'Join room' }).click();

    await roomButton(SECRET).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Secret' }).waitFor();
    const room = srv().core.rooms().find((r) => r.roomId === idOf(SECRET));
    expect(room).toMatchObject({ status: 'joined', encrypted: true });
    expect(room?.keyId).toMatch(/^[0-9a-f]{8}$/);
    // The lock, with words, in the list and in the header with the key id.
    expect(await roomButton(SECRET).locator('.lock svg').count()).toBe(1);
    expect(await roomButton(SECRET).innerText()).toContain('Private room, encrypted with a passphrase');
    expect(await page.locator('.room-header .lock').innerText()).toContain(`key ${room?.keyId ?? ''}`);
    expect(await roomButton(CLASS).locator('.lock').count()).toBe(0);

    // A member with the same passphrase: its message is decrypted and shown; it stays to show in People.
    const env = { MCCHAT_PASSPHRASE: PASSPHRASE };
    const listener = await mcchatListen(SECRET, ['--nick', 'dave'], env);
    await mcchatSend(SECRET, ['--nick', 'carol', 'only members read this'], 15_000, env);
    const row = messageRow('only members read this');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('.message__nick').innerText()).toMatch(/^carol #[0-9a-f]{8}$/);
    const dave = page.locator('.peer').filter({ has: page.locator('.peer__nick', { hasText: 'dave' }) });
    await dave.waitFor({ timeout: 10_000 });
    await dave.getByRole('button', { name: 'Details: dave' }).click();
    expect(await dave.locator('.peer__fingerprint code').innerText()).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
    // Nothing in this room came in clear or under another key.
    expect(srv().core.counters(idOf(SECRET))).toMatchObject({ plainInPrivate: 0, wrongKey: 0, decryptFailed: 0, badSignature: 0 });

    // The new parts of the window, at the default size, in both colour schemes.
    try {
      await page.setViewportSize(DEFAULT_WINDOW);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await shot(`17-private-room-${scheme}`);
      }
      await page.getByRole('button', { name: '+ Add a room' }).click();
      await page.getByRole('form', { name: 'Add a room' }).getByLabel('Passphrase (optional)').fill('cats');
      await page.getByRole('form', { name: 'Add a room' }).locator('[id$="-passphrase-warnings"]').waitFor();
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.locator('[id$="-passphrase-warnings"]').scrollIntoViewIfNeeded();
        await shot(`18-add-room-passphrase-${scheme}`);
      }
      await page.keyboard.press('Escape');
    } finally {
      await page.emulateMedia({ colorScheme: null });
      await page.setViewportSize(WIDE_WINDOW);
      await stopPeer(listener);
    }
  });

  it("the inspector in a passphrase room: decrypted with the room's key id; on the wire only the clear header, the key id, the ciphertext and its tag", async () => {
    const keyId = srv().core.rooms().find((r) => r.roomId === idOf(SECRET))?.keyId ?? '';
    expect(keyId).toMatch(/^[0-9a-f]{8}$/);
    await roomButton(SECRET).click();
    await messageRow('only members read this').click();
    const story = page.getByRole('region', { name: 'Wire story: Message from carol' });
    await story.waitFor();
    expect(await story.getByRole('list', { name: 'How it got here' }).innerText()).toContain(`Decrypted with key ${keyId}.`);
    const dump = story.getByLabel('Hex dump of the datagram');
    await dump.waitFor();
    const legend = await story.getByRole('list', { name: 'Parts of the datagram' }).innerText();
    expect(legend).toContain('key id 16 B');
    expect(legend).toContain('GCM tag 16 B');
    expect(await dump.locator('.wire-part--key-id').count()).toBeGreaterThan(0);
    expect(await dump.locator('.wire-part--ciphertext').count()).toBeGreaterThan(0);
    expect(await dump.innerText()).not.toContain('only members');
    expect(await story.getByRole('table', { name: 'Header fields' }).innerText()).toContain(`"${keyId}"`);
    await shot('19c-inspector-passphrase');
    await story.locator('.datagram').scrollIntoViewIfNeeded();
    await story.locator('.datagram').screenshot({ path: path.join(SHOTS, '19d-inspector-passphrase-datagram.png') });
    await page.keyboard.press('Escape');
    await story.waitFor({ state: 'detached' });
  });

  it('notices sit in their room, one line each, foldable, and stay out of other rooms: at 1100×720 and at 200 % zoom', { timeout: 40_000 }, async () => {
    await roomButton(SECRET).click();
    await page.getByRole('heading', { level: 2, name: 'Secret' }).waitFor();
    // Someone under another passphrase, and a plain datagram (the lecture's snippet) in the private room.
    await mcchatSend(SECRET, ['--nick', 'eve', 'under another key'], 15_000, { MCCHAT_PASSPHRASE: 'violet anchor marble ninety window' });
    await sendDatagram(SECRET, encodeUtf8('plain words in a private room'));
    const list = page.getByRole('list', { name: 'Notices in Secret' });
    await list.getByText(/another passphrase than yours/).waitFor({ timeout: 15_000 });
    await list.getByText(/Unencrypted datagrams arrive/).waitFor({ timeout: 15_000 });
    const lines = list.getByRole('listitem');
    expect(await lines.count()).toBe(2);
    try {
      await page.setViewportSize(DEFAULT_WINDOW);
      for (const box of await lines.evaluateAll((els: Array<{ getBoundingClientRect(): Box }>) => els.map((el) => el.getBoundingClientRect()))) {
        expect(box.bottom - box.top, 'a notice takes one line').toBeLessThan(32);
      }
      // Two notices and their bar take less than three lines; three banners used to take ~180 px.
      expect((await page.locator('.room-notices').boundingBox())?.height ?? Infinity).toBeLessThan(90);
      const logHeight = (await log().boundingBox())?.height ?? 0;
      console.info(`1100×720, Secret with two notices: log ${logHeight} px`);
      expect(logHeight).toBeGreaterThan(150);
      await shot('21a-notices-1100x720');
      await axe('room with notices (1100×720)');
      await page.getByRole('button', { name: /2 notices/ }).click();
      await list.waitFor({ state: 'detached' });
      await shot('21b-notices-folded-1100x720');
      await page.getByRole('button', { name: /2 notices/ }).click();
      await list.waitFor();

      const cdp = await page.context().newCDPSession(page);
      try {
        await cdp.send('Emulation.setDeviceMetricsOverride', { ...ZOOMED_200, deviceScaleFactor: 2, mobile: false });
        await until(async () => ((await composer().boundingBox())?.width ?? 0) > 0, 'the composer to be laid out');
        // Opened short, the room starts with its notices folded to one line, and the short-window
        // layout (short-window.css) leaves the log room for a few lines: see 21c.
        await page.getByRole('button', { name: 'Presenter mode' }).waitFor();
        await roomButton(CLASS).click();
        await roomButton(SECRET).click();
        await page.getByRole('button', { name: /2 notices/ }).waitFor();
        expect(await page.getByRole('button', { name: /2 notices/ }).getAttribute('aria-expanded')).toBe('false');
        expect(await page.getByRole('list', { name: 'Notices in Secret' }).count()).toBe(0);
        // The room list sits under the chat in one column: clicking it scrolled the column there.
        await page.evaluate("document.querySelector('.app-body')?.scrollTo(0, 0)");
        const input = await composer().boundingBox();
        expect((input?.y ?? Infinity) + (input?.height ?? 0)).toBeLessThanOrEqual(ZOOMED_200.height);
        expect((await page.getByRole('heading', { level: 2, name: 'Secret' }).boundingBox())?.y ?? -1).toBeGreaterThanOrEqual(0);
        const zoomedLog = (await log().boundingBox())?.height ?? 0;
        const heights: string[] = [];
        for (const part of ['.app-header', '.room-header', '.room-notices', '.composer']) heights.push(`${part} ${Math.round((await page.locator(part).first().boundingBox())?.height ?? 0)}`);
        console.info(`200 % zoom, Secret with its notices folded: log ${Math.round(zoomedLog)} CSS px of 360 (${heights.join(', ')})`);
        // 52 px before short-window.css (the headers wrapped to five rows), 100 after.
        expect(zoomedLog).toBeGreaterThan(80);
        const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' });
        await writeFile(path.join(SHOTS, '21c-notices-zoom-200.png'), Buffer.from(data, 'base64'));
      } finally {
        await cdp.send('Emulation.clearDeviceMetricsOverride').catch(() => undefined);
        await cdp.detach().catch(() => undefined);
      }
    } finally {
      await page.setViewportSize(WIDE_WINDOW);
    }
    // Another room does not carry them.
    await roomButton(CLASS).click();
    await page.getByRole('heading', { level: 2, name: 'Class' }).waitFor();
    expect(await page.locator('.room-notices .notice-line').count()).toBe(0);
  });

  it('the default window size (1100×720): rooms, log and details side by side, nothing wider than the window, the open room at its latest message', async () => {
    await page.setViewportSize(DEFAULT_WINDOW);
    await roomButton(CLASS).click();
    await page.getByRole('heading', { level: 2, name: 'Class' }).waitFor();
    const [sidebar, main, details] = await Promise.all([page.locator('.sidebar').boundingBox(), page.locator('.main').boundingBox(), page.locator('.details').boundingBox()]);
    if (!sidebar || !main || !details) throw new Error('a pane of the window is missing');
    expect(sidebar.x + sidebar.width).toBeLessThanOrEqual(main.x + 1);
    expect(main.x + main.width).toBeLessThanOrEqual(details.x + 1);
    expect(Math.abs(sidebar.y - main.y)).toBeLessThan(2);
    // The conversation keeps the larger part of the width.
    expect(main.width).toBeGreaterThan(DEFAULT_WINDOW.width / 2);
    for (const el of [log(), page.locator('html')]) {
      const box = await el.evaluate((e: ScrollBox) => ({ scrollWidth: e.scrollWidth, clientWidth: e.clientWidth }));
      expect(box.scrollWidth).toBeLessThanOrEqual(box.clientWidth + 1);
    }
    await until(async () => (await distanceFromEnd()) <= 48, 'the reopened room to sit at its latest message');
    expect(await page.locator('.jump-to-latest').count()).toBe(0);
    await shot('13-default-window-size');
  });

  it('at the default window size (1100×720) the composer is on screen without scrolling the page; the log scrolls inside', async () => {
    await page.setViewportSize(DEFAULT_WINDOW);
    await page.evaluate('window.scrollTo(0, 0)');
    const box = await composer().boundingBox();
    expect(box ? box.y + box.height : Infinity, 'composer bottom edge vs window height').toBeLessThanOrEqual(DEFAULT_WINDOW.height);
    expect(await page.locator('html').evaluate((el: ScrollBox) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
    const scroller = await log().evaluate((el: ScrollBox) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
    expect(scroller.clientHeight).toBeGreaterThan(250);
    expect(scroller.scrollHeight).toBeGreaterThan(scroller.clientHeight);
  });

  it('at 200 % zoom (the default window showing 550×360 CSS px): one column, the chat first, the composer on screen', async () => {
    // What Chromium's zoom does to layout: fewer CSS pixels, each drawn on two device pixels.
    const cdp = await page.context().newCDPSession(page);
    try {
      await cdp.send('Emulation.setDeviceMetricsOverride', { ...ZOOMED_200, deviceScaleFactor: 2, mobile: false });
      await page.evaluate('window.scrollTo(0, 0)');
      expect(await page.evaluate('[window.innerWidth, window.innerHeight, window.devicePixelRatio]')).toEqual([ZOOMED_200.width, ZOOMED_200.height, 2]);
      await until(async () => ((await composer().boundingBox())?.width ?? 0) > 0, 'the composer to be laid out');
      const [input, send, logBox, main, sidebar] = await Promise.all([
        composer().boundingBox(),
        page.getByRole('button', { name: 'Send', exact: true }).boundingBox(),
        log().boundingBox(),
        page.locator('.main').boundingBox(),
        page.locator('.sidebar').boundingBox(),
      ]);
      if (!input || !send || !logBox || !main || !sidebar) throw new Error('a part of the window is missing');
      for (const part of [input, send]) {
        expect(part.y).toBeGreaterThanOrEqual(0);
        expect(part.y + part.height).toBeLessThanOrEqual(ZOOMED_200.height);
      }
      // Some of the conversation is still there to read, above the composer.
      expect(logBox.height).toBeGreaterThanOrEqual(40);
      expect(main.y).toBeLessThan(sidebar.y);
      const doc = await page.locator('html').evaluate((el: ScrollBox) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
      expect(doc.scrollWidth).toBeLessThanOrEqual(doc.clientWidth + 1);
      // The page itself never scrolls (its columns do): screen-reader-only text once made it 922 px
      // tall, and a wheel over the header scrolled the whole window to blank.
      expect(doc.scrollHeight).toBeLessThanOrEqual(doc.clientHeight + 1);
      // Through the same CDP session: Playwright's own screenshot would put its viewport back first.
      const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' });
      await writeFile(path.join(SHOTS, '14-zoom-200.png'), Buffer.from(data, 'base64'));
    } finally {
      await cdp.send('Emulation.clearDeviceMetricsOverride').catch(() => undefined);
      await cdp.detach().catch(() => undefined);
      await page.setViewportSize(WIDE_WINDOW);
    }
  });

  it('a wide window (1280×800): rooms, log and details side by side, everything on one screen', async () => {
    await page.setViewportSize(WIDE_WINDOW);
    await page.evaluate('window.scrollTo(0, 0)');
    const [sidebar, main, details, input] = await Promise.all([
      page.locator('.sidebar').boundingBox(),
      page.locator('.main').boundingBox(),
      page.locator('.details').boundingBox(),
      composer().boundingBox(),
    ]);
    if (!sidebar || !main || !details || !input) throw new Error('a pane of the window is missing');
    expect(sidebar.x + sidebar.width).toBeLessThanOrEqual(main.x + 1);
    expect(main.x + main.width).toBeLessThanOrEqual(details.x + 1);
    expect(Math.abs(sidebar.y - main.y)).toBeLessThan(2);
    expect(input.y + input.height).toBeLessThanOrEqual(WIDE_WINDOW.height);
    expect(await page.locator('html').evaluate((el: ScrollBox) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
    await shot('15-wide-window');
  });

  it('light and dark, at 1100×720 and 1280×800: the colours follow the system setting', async () => {
    const colours: Record<string, string> = {};
    try {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const size of [DEFAULT_WINDOW, WIDE_WINDOW]) {
          await page.setViewportSize(size);
          await shot(`16-${size.width}x${size.height}-${scheme}`);
        }
        colours[scheme] = await page.evaluate('getComputedStyle(document.body).backgroundColor');
      }
    } finally {
      await page.emulateMedia({ colorScheme: null });
      await page.setViewportSize(WIDE_WINDOW);
    }
    expect(colours).toEqual({ light: 'rgb(246, 247, 249)', dark: 'rgb(15, 20, 25)' });
  });

  it('presenter mode on a 1280×720 projector: messages at 24 px or more, the newest on the wire in large type, no fingerprints or key ids, everything on one screen', { timeout: 30_000 }, async () => {
    const PROJECTOR = { width: 1280, height: 720 };
    const toggle = page.getByRole('button', { name: 'Presenter mode' });
    const latest = page.getByRole('region', { name: 'On the wire: the latest message' });
    const fingerprint = /[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}/;
    const smallestMessageText = (): Promise<number> =>
      page.evaluate('Math.min(...Array.from(document.querySelectorAll(".message__text"), (el) => parseFloat(getComputedStyle(el).fontSize)))') as Promise<number>;
    try {
      await page.setViewportSize(PROJECTOR);
      // The passphrase room first: its key id and everyone's fingerprints stay off the projector.
      await roomButton(SECRET).click();
      const keyId = srv().core.rooms().find((r) => r.roomId === idOf(SECRET))?.keyId ?? '';
      expect(await page.locator('body').innerText()).toContain(keyId);
      await toggle.click();
      expect(await toggle.getAttribute('aria-pressed')).toBe('true');
      await latest.getByText('Decrypted with the room key.').waitFor();
      await latest.locator('.wire-text .wire-part--key-id').waitFor();
      expect(await latest.locator('.wire-text .wire-part--key-id').innerText()).toBe('"kid":"…"');
      const visible = await page.locator('body').innerText();
      expect(visible).not.toContain(keyId);
      expect(visible).not.toMatch(fingerprint);
      expect(await page.locator('.room-header .lock').innerText()).toContain('private');
      await shot('20b-presenter-passphrase-1280x720');

      await toggle.click();
      await roomButton(CLASS).click();
      await toggle.click();
      await sendFromPage('Can the back row read this?');
      await latest.locator('.wire-text .wire-part--body', { hasText: 'Can the back row read this?' }).waitFor();
      await jumpToEnd();
      expect(await smallestMessageText()).toBeGreaterThanOrEqual(24);
      expect(await page.locator('.sidebar').isVisible()).toBe(false);
      expect(await page.locator('body').innerText()).not.toMatch(fingerprint);
      const [input, wire, logBox] = await Promise.all([composer().boundingBox(), latest.boundingBox(), log().boundingBox()]);
      if (!input || !wire || !logBox) throw new Error('a part of the presenter window is missing');
      expect(input.y + input.height).toBeLessThanOrEqual(PROJECTOR.height);
      expect(wire.x + wire.width).toBeLessThanOrEqual(PROJECTOR.width + 1);
      // The conversation and the wire story share the screen.
      expect(logBox.width).toBeGreaterThan(PROJECTOR.width / 3);
      expect(wire.width).toBeGreaterThan(PROJECTOR.width / 3);
      expect(await page.locator('html').evaluate((el: ScrollBox) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await shot(`20-presenter-1280x720-${scheme}`);
        await axe(`presenter mode, ${scheme}`);
      }
    } finally {
      await page.emulateMedia({ colorScheme: null });
      if ((await toggle.getAttribute('aria-pressed')) === 'true') await toggle.click();
      await page.setViewportSize(WIDE_WINDOW);
    }
    await page.locator('.sidebar').waitFor();
  });

  it('a passphrase room asks before leaving; with no room left, the skip link has a target and the empty state passes axe', { timeout: 30_000 }, async () => {
    await roomButton(SECRET).click();
    await page.getByRole('heading', { level: 2, name: 'Secret' }).waitFor();
    await page.getByRole('button', { name: 'Leave room' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Leave Secret?' });
    await confirm.waitFor();
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Stay');
    await shot('22a-confirm-leave');
    await axe('confirm leaving a passphrase room');
    await confirm.getByRole('button', { name: 'Leave Secret', exact: true }).click();
    await roomButton(SECRET).waitFor({ state: 'detached' });
    const rooms = page.locator('.room-list button[data-room-id]');
    for (let left = await rooms.count(); left > 0; left--) {
      await rooms.first().click();
      await page.getByRole('button', { name: 'Leave room' }).click();
      const ask = page.getByRole('alertdialog');
      if ((await ask.count()) > 0) await ask.getByRole('button', { name: /^Leave [^?]*$/ }).click();
      await until(async () => (await rooms.count()) < left, 'the room to go');
    }
    await page.getByRole('heading', { level: 2, name: 'No room open' }).waitFor();
    const href = await page.locator('.skip-link').getAttribute('href');
    expect(href).toBe('#main');
    expect(await page.locator(href ?? '').count()).toBe(1);
    await until(async () => (await focusedSelector()) === 'button', 'the add-room button to have focus');
    await shot('22b-no-rooms');
    await axe('no rooms (empty state)');
  });

  it('the whole session: no page errors, no console errors (CSP violations), no dialogs, no navigation', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
    // The first visit and the reload.
    expect(navigations).toEqual([srv().url, srv().url]);
    expect(srv().commands.filter((c) => !c.ok)).toEqual([]);
  });
});
