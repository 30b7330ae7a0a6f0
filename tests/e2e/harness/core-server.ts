import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock } from '../../../electron/core/clock.js';
import { createEventBatcher } from '../../../electron/core/event-batcher.js';
import type { ChatCore } from '../../../electron/core/types.js';
import { BATCH_MAX_SIZE, BATCH_WAIT_MS, MAX_HELD_EVENTS } from '../../../electron/shell/ipc-bridge.js';
import { PRODUCTION_CSP } from '../../../electron/shell/security.js';
import type { SavedRoom, SettingsStore } from '../../../electron/shell/settings.js';
import { COMMAND_NAMES, type AppNotice, type CommandName, type EventName, type EventPayloads } from '../../../shared/ipc/contract.js';
import { createMainSide } from './commands.js';

/** Network safety: the page's core only ever uses loopback. */
export const LOOPBACK = '127.0.0.1';
const PRELOAD_PATH = '/e2e-preload.js';
const SOCKET_PATH = '/mcchat';
const PRELOAD_SOURCE = path.join(import.meta.dirname, 'page-preload.js');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface CoreServerOptions {
  /** The built renderer (index.html and assets/). */
  readonly rendererDir: string;
  /** The saved nickname; null is a first run (the page asks; saved rooms wait for the answer). */
  readonly nickname: string | null;
  /** The rooms in the settings file, joined (on 127.0.0.1) once there is a nickname. */
  readonly savedRooms: readonly SavedRoom[];
}

export interface CommandRecord {
  readonly name: CommandName;
  readonly ok: boolean;
}

export interface CoreServer {
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  readonly core: ChatCore;
  /** The real settings store, on a settings.json in a temp user data folder. */
  readonly settings: SettingsStore;
  /** URLs the page asked to open in the browser (never opened). */
  readonly openedUrls: readonly string[];
  /** Every command the page ran, in order. */
  readonly commands: readonly CommandRecord[];
  /** Notices main sent (or would send) to the page, e.g. a saved room that could not be rejoined. */
  readonly notices: readonly AppNotice[];
  /** True between the page's rendererReady and its socket closing. */
  readonly rendererReady: boolean;
  notice(notice: AppNotice): void;
  close(): Promise<void>;
}

/** The browser script with the contract's command names in place of its placeholder. */
function fillPreload(source: string): string {
  const placeholder = 'const COMMANDS = __COMMAND_NAMES__;';
  if (!source.includes(placeholder)) throw new Error(`page-preload.js lost its placeholder "${placeholder}"`);
  return source.replace(placeholder, `const COMMANDS = ${JSON.stringify(COMMAND_NAMES)};`);
}

/** index.html with the test preload as the first script, before the app's module. */
export function injectPreload(html: string): string {
  const tag = `<script src="${PRELOAD_PATH}"></script>`;
  const at = html.search(/<script\b/i);
  if (at === -1) throw new Error('index.html has no <script>: cannot place the test preload before the app');
  return `${html.slice(0, at)}${tag}\n    ${html.slice(at)}`;
}

/**
 * One page's main process, minus Electron: settings, a real ChatCore pinned to 127.0.0.1 and
 * the real command dispatcher (commands.ts), an HTTP server on 127.0.0.1 serving the built page
 * with the production CSP, and `window.mcchat` over a WebSocket on the same origin. Core events
 * are batched like the IPC bridge does and held until the page says rendererReady.
 */
export async function startCoreServer(options: CoreServerOptions): Promise<CoreServer> {
  const rendererDir = path.resolve(options.rendererDir);
  const preloadJs = fillPreload(await readFile(PRELOAD_SOURCE, 'utf8'));
  const indexHtml = injectPreload(await readFile(path.join(rendererDir, 'index.html'), 'utf8'));

  const clients = new Set<WebSocket>();
  const openedUrls: string[] = [];
  const commands: CommandRecord[] = [];
  const notices: AppNotice[] = [];
  const heldNotices: AppNotice[] = [];
  let ready = false;

  const pushEvent = <E extends EventName>(event: E, payload: EventPayloads[E]): void => {
    const text = JSON.stringify({ event, payload });
    for (const client of clients) if (client.readyState === client.OPEN) client.send(text);
  };
  const batcher = createEventBatcher({
    waitMs: BATCH_WAIT_MS,
    maxSize: BATCH_MAX_SIZE,
    maxQueued: MAX_HELD_EVENTS,
    clock: systemClock,
    flush: (events) => pushEvent('core', events),
  });
  batcher.setPaused(true);

  const setReady = (next: boolean): void => {
    ready = next;
    batcher.setPaused(!next);
    if (next) for (const held of heldNotices.splice(0)) pushEvent('notice', held);
  };

  const notice = (value: AppNotice): void => {
    notices.push(value);
    if (ready) pushEvent('notice', value);
    else heldNotices.push(value);
  };

  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'mcchat-e2e-userdata-'));
  const mainSide = await createMainSide({
    userDataDir,
    nickname: options.nickname,
    savedRooms: options.savedRooms,
    pinnedIface: LOOPBACK,
    openExternal: (url) => {
      // Recorded, never opened.
      openedUrls.push(url);
      return Promise.resolve();
    },
    notice,
    onRendererReady: () => setReady(true),
  }).catch(async (error: unknown) => {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  });
  const { core, settings, dispatch } = mainSide;
  const unsubscribe = core.subscribe((event) => batcher.add(event));

  const serveFile = async (urlPath: string, res: http.ServerResponse): Promise<void> => {
    const relative = decodeURIComponent(urlPath).replace(/^\/+/, '');
    const file = path.resolve(rendererDir, relative);
    if (file !== rendererDir && !file.startsWith(rendererDir + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  };

  const server = http.createServer((req, res) => {
    // The real app sends this CSP with every app:// response.
    res.setHeader('Content-Security-Policy', PRODUCTION_CSP);
    res.setHeader('Cache-Control', 'no-store');
    const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET') {
      res.writeHead(405).end();
    } else if (urlPath === '/' || urlPath === '/index.html') {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.html'] }).end(indexHtml);
    } else if (urlPath === '/favicon.ico') {
      // Chromium asks for one by itself (Electron does not); no 404 noise in the console.
      res.writeHead(204).end();
    } else if (urlPath === PRELOAD_PATH) {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.js'] }).end(preloadJs);
    } else {
      void serveFile(urlPath, res);
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  let origin = '';
  server.on('upgrade', (req, socket, head) => {
    // Only the page served here may drive the core (the real bridge checks its sender too).
    if (req.url !== SOCKET_PATH || req.headers.origin !== origin) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (client) => {
      clients.add(client);
      client.on('message', (data) => {
        let request: { id?: unknown; name?: unknown; arg?: unknown };
        try {
          request = JSON.parse(String(data)) as typeof request;
        } catch {
          return;
        }
        const { id, name, arg } = request;
        if (typeof id !== 'number' || typeof name !== 'string') return;
        void dispatch(name as CommandName, arg).then((result) => {
          commands.push({ name: name as CommandName, ok: result.ok });
          if (client.readyState === client.OPEN) client.send(JSON.stringify({ id, result }));
        });
      });
      client.on('close', () => {
        clients.delete(client);
        // Like a reload in Electron: hold events until the next page is ready.
        if (clients.size === 0) setReady(false);
      });
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, LOOPBACK, () => resolve());
    });
  } catch (error) {
    unsubscribe();
    batcher.dispose();
    await core.close();
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  origin = `http://${LOOPBACK}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/`,
    core,
    settings,
    openedUrls,
    commands,
    notices,
    get rendererReady() {
      return ready;
    },
    notice,
    close() {
      closing ??= (async () => {
        unsubscribe();
        batcher.dispose();
        for (const client of clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await core.close();
        await settings.flush();
        await rm(userDataDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
