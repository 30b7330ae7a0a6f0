import { createChatCore } from '../../electron/core/chat-core.js';
import { identityFromSeed } from '../../electron/core/crypto/identity.js';
import type { ChatCore, ChatCoreOptions } from '../../electron/core/types.js';
import type { CoreEvent, RoomSnapshot } from '../../shared/events.js';
import type { RoomConfigInput } from '../../shared/room-config.js';

/**
 * What collect.ts and bulk-send.ts share: their common options, the core they make, and the
 * JSON lines they print. Every stdout line is one JSON object with a `type`; core events are
 * printed as the core emits them (`{"type":"message","message":{...}}`), so event types the
 * core gains later come through without a change here. Lines of the scripts themselves:
 * ready, snapshot (on SIGUSR2), final (on SIGTERM/SIGINT), and bulk-send's sent/done.
 */

export const APP_VERSION = 'mclab/1';

export const peerOptionSpec = {
  iface: { type: 'string' },
  group: { type: 'string', default: '239.255.42.99' },
  port: { type: 'string', default: '4242' },
  ttl: { type: 'string', default: '1' },
  nick: { type: 'string' },
  'identity-seed': { type: 'string' },
  'presence-interval-ms': { type: 'string' },
  'presence-timeout-ms': { type: 'string' },
  /** JSON merged into createChatCore's options: for options the core gains later (e.g. a data dir). */
  'core-options': { type: 'string' },
  /** JSON merged into joinRoom's config. */
  'room-options': { type: 'string' },
  /** Also print the core's own-message events (default: only other peers' messages). */
  'print-own': { type: 'boolean', default: false },
} as const;

export interface PeerOptions {
  /** Absent: the core picks the interfaces itself (and follows an address change). */
  readonly iface: string | undefined;
  readonly group: string;
  readonly port: number;
  readonly ttl: number;
  readonly nick: string;
  /** 64 hex: the signing identity (its key makes the peer id), to stay the same peer across restarts. */
  readonly identitySeed?: string;
  readonly presenceIntervalMs?: number;
  readonly presenceTimeoutMs?: number;
  readonly coreOptions: Record<string, unknown>;
  readonly roomOptions: Record<string, unknown>;
  readonly printOwn: boolean;
}

export function fail(message: string): never {
  process.stderr.write(`${process.argv[1] ?? 'lab script'}: ${message}\n`);
  process.exit(2);
}

export function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) fail(`--${name} must be a number, not ${JSON.stringify(value)}`);
  return n;
}

function jsonObject(value: string | undefined, name: string): Record<string, unknown> {
  if (value === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  fail(`--${name} must be a JSON object`);
}

type PeerValues = { [K in keyof typeof peerOptionSpec]?: string | boolean };

export function peerOptions(values: PeerValues, defaultNick: string): PeerOptions {
  const str = (key: keyof typeof peerOptionSpec): string | undefined => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  return {
    iface: str('iface'),
    group: str('group') ?? '239.255.42.99',
    port: integer(str('port'), 'port') ?? 4242,
    ttl: integer(str('ttl'), 'ttl') ?? 1,
    nick: str('nick') ?? defaultNick,
    identitySeed: str('identity-seed'),
    presenceIntervalMs: integer(str('presence-interval-ms'), 'presence-interval-ms'),
    presenceTimeoutMs: integer(str('presence-timeout-ms'), 'presence-timeout-ms'),
    coreOptions: jsonObject(str('core-options'), 'core-options'),
    roomOptions: jsonObject(str('room-options'), 'room-options'),
    printOwn: values['print-own'] === true,
  };
}

/** One JSON line on stdout (a pipe: synchronous on Linux, so nothing is lost at exit). */
export function printLine(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...line, at: Date.now() })}\n`);
}

/** `extra`: options that cannot travel as JSON (functions such as openHistory). */
export function makeCore(options: PeerOptions, extra: Partial<ChatCoreOptions> = {}): ChatCore {
  const coreOptions: ChatCoreOptions = {
    ...options.coreOptions,
    ...extra,
    nickname: options.nick,
    appVersion: APP_VERSION,
    ...(options.iface !== undefined ? { defaultIface: options.iface } : {}),
    ...(options.identitySeed !== undefined ? { identity: identityFromSeed(Buffer.from(options.identitySeed, 'hex')) } : {}),
    ...(options.presenceIntervalMs !== undefined ? { presenceIntervalMs: options.presenceIntervalMs } : {}),
    ...(options.presenceTimeoutMs !== undefined ? { presenceTimeoutMs: options.presenceTimeoutMs } : {}),
  };
  return createChatCore(coreOptions);
}

export function roomConfig(options: PeerOptions): RoomConfigInput {
  return { ...options.roomOptions, group: options.group, port: options.port, ttl: options.ttl, ...(options.iface !== undefined ? { iface: options.iface } : {}) } as RoomConfigInput;
}

/** Prints core events: other peers' messages always, own ones with --print-own, everything else as is. */
export function printEvents(core: ChatCore, options: PeerOptions, printMessages = true): void {
  core.subscribe((event: CoreEvent) => {
    if (event.type === 'message') {
      if (!printMessages || (event.message.own && !options.printOwn)) return;
    }
    printLine({ ...event });
  });
}

/** Prints a snapshot line on SIGUSR2, and on SIGTERM/SIGINT the final counters, then leaves and exits 0. */
export function handleSignals(core: ChatCore, room: () => RoomSnapshot | null, extra: () => Record<string, unknown> = () => ({})): void {
  const state = (): Record<string, unknown> => {
    const current = room();
    if (!current) return { ...extra(), counters: null, peers: [], rooms: core.rooms() };
    let counters: unknown = null;
    let peers: unknown = [];
    try {
      counters = core.counters(current.roomId);
      peers = core.peers(current.roomId);
    } catch {
      // The room is gone (left after an error): say so rather than fail.
    }
    return { ...extra(), counters, peers, rooms: core.rooms() };
  };
  process.on('SIGUSR2', () => printLine({ type: 'snapshot', ...state() }));
  // The core's timers are unref'd: while a room is reconnecting (interface down) it has no open
  // socket either, and without this the process would end quietly with code 0.
  setInterval(() => undefined, 60_000);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    printLine({ type: 'final', signal, ...state() });
    const timer = setTimeout(() => process.exit(0), 1_000);
    void core.close().finally(() => {
      clearTimeout(timer);
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
