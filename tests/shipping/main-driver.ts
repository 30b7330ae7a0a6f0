import dgram from 'node:dgram';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as FakeElectron from './fake-electron.js';

/**
 * Runs the BUILT main process (dist-electron/main.js) in a plain Node child, as Electron would run
 * it, with `electron` resolved to fake-electron.ts. built-app.test.ts forks this (bundled to .mjs)
 * and drives it over the fork's IPC channel: the test plays the OS (ready, quit) and the page
 * (invokes from the window's frame).
 *
 * Environment: MCCHAT_SHIPPING_MAIN (the built main.js), MCCHAT_SHIPPING_FAKE (the bundled fake).
 * The app's own arguments (--iface …) follow the script, where Electron puts them after the app folder.
 */

export type DriverRequest =
  | { readonly id: number; readonly type: 'snapshot' }
  | { readonly id: number; readonly type: 'invoke'; readonly channel: string; readonly arg?: unknown; readonly frameUrl?: string }
  | { readonly id: number; readonly type: 'fetch'; readonly url: string }
  | { readonly id: number; readonly type: 'quit' };

export type DriverMessage =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly type: 'exit'; readonly code: number; readonly snapshot: FakeElectron.ShippingSnapshot; readonly network: readonly string[] };

const mainPath = process.env.MCCHAT_SHIPPING_MAIN;
const fakePath = process.env.MCCHAT_SHIPPING_FAKE;
if (!mainPath || !fakePath || !process.send) throw new Error('main-driver: run me with fork() and MCCHAT_SHIPPING_MAIN / MCCHAT_SHIPPING_FAKE');
const send = process.send.bind(process);

// Electron would only print these; a test must see them, so they end the run with a code of their own.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`unhandled rejection in the built main: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
  process.exit(70);
});
process.on('uncaughtException', (error) => {
  process.stderr.write(`uncaught exception in the built main: ${error.stack ?? error.message}\n`);
  process.exit(71);
});

// This run never touches a real network: any socket use is recorded and refused. (A fresh profile
// joins nothing before it has a nickname, and --iface 127.0.0.1 pins loopback if it ever did.)
const network: string[] = [];
const socketPrototype = dgram.Socket.prototype as unknown as Record<string, unknown>;
for (const method of ['bind', 'send', 'connect', 'addMembership', 'addSourceSpecificMembership', 'setMulticastInterface']) {
  socketPrototype[method] = function refused(...args: unknown[]): never {
    network.push(`${method} ${JSON.stringify(args.filter((a) => typeof a !== 'function'))}`);
    throw new Error(`tests/shipping: dgram ${method} refused, this run has no network`);
  };
}

// `import 'electron'` (ESM, what the bundle does) goes to the fake through a resolve hook…
const hooks = `
let fake;
export async function initialize(data) { fake = data.fake; }
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: fake, shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { fake: pathToFileURL(fakePath).href } });

// …and `require('electron')` too, as Electron answers both: a CommonJS main would otherwise fail
// here for a reason a user would never meet (it would find the npm package, a path string).
const Module = createRequire(import.meta.url)('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  return request === 'electron' ? fakePath : resolveFilename.call(this, request, ...rest);
};

const fake = (await import('electron')) as unknown as typeof FakeElectron;
fake.shipping.control.exit = (code) => {
  // Report what the app left behind, then end like Electron does once it quit.
  send({ type: 'exit', code, snapshot: fake.shipping.snapshot(), network } satisfies DriverMessage, () => process.exit(code));
};

async function answer(request: DriverRequest): Promise<unknown> {
  switch (request.type) {
    case 'snapshot':
      return { ...fake.shipping.snapshot(), network };
    case 'invoke':
      return fake.shipping.invokeFromWindow(request.channel, request.arg, request.frameUrl);
    case 'fetch':
      return fake.shipping.fetchThroughScheme(request.url);
    case 'quit':
      // Answered at once: the app then holds the quit for its shutdown and exits by itself.
      setImmediate(() => fake.shipping.quit());
      return null;
  }
}

process.on('message', (message: DriverRequest) => {
  answer(message).then(
    (value) => send({ type: 'reply', id: message.id, ok: true, value } satisfies DriverMessage),
    (error: unknown) => send({ type: 'reply', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies DriverMessage),
  );
});

// The bundle runs main() as it loads: arguments, profile folder, lock, sandbox, scheme, then whenReady().
await import(pathToFileURL(mainPath).href);
fake.shipping.emitReady();
