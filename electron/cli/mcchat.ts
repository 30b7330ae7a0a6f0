#!/usr/bin/env node
import { rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { isChatError, type ChatErrorCode } from '../../shared/errors.js';
import type { CoreEvent, RoomSnapshot } from '../../shared/events.js';
import { describeTtl } from '../../shared/ttl-scopes.js';
import { createChatCore } from '../core/chat-core.js';
import { deriveRoomKey, passphraseStrength } from '../core/crypto/room-key.js';
import { openRoomHistory } from '../core/history/index.js';
import { TrustStore } from '../core/crypto/trust-store.js';
import type { ChatCore } from '../core/types.js';
import { parseCli, USAGE, UsageError, type CliOptions } from './args.js';
import { countersLine, messageJson, messageLine, peerLine, roomLine } from './output.js';
import { APP_VERSION } from '../core/version.js';

/** Errors that are about what the user typed: exit 2 like any bad option. */
const USAGE_CODES: readonly ChatErrorCode[] = [
  'INVALID_GROUP',
  'INVALID_PORT',
  'INVALID_TTL',
  'INVALID_INTERFACE',
  'INVALID_NICKNAME',
  'INVALID_ARGUMENT',
  'INTERFACE_NOT_FOUND',
  'TEXT_TOO_LONG',
  'EMPTY_TEXT',
];

function defaultNick(): string {
  try {
    return os.userInfo().username.slice(0, 32) || 'mcchat';
  } catch {
    return 'mcchat';
  }
}

function fail(message: string, code: number): never {
  process.stderr.write(`mcchat: ${message}\n`);
  process.exit(code);
}

/**
 * Who first used which nickname, so an impostor is flagged: kept with the history when there is
 * one (it survives restarts), else for this run only in a temporary file.
 */
async function openTrust(options: CliOptions): Promise<TrustStore> {
  const file = options.history ? path.join(options.history, 'trust.json') : path.join(os.tmpdir(), `mcchat-trust-${process.pid}-${Date.now()}.json`);
  if (options.history) await mkdir(options.history, { recursive: true });
  else process.once('exit', () => rmSync(file, { force: true }));
  return TrustStore.open(file);
}

async function makeCore(options: CliOptions): Promise<ChatCore> {
  const dir = options.history;
  const trust = options.command === 'send' ? undefined : await openTrust(options);
  return createChatCore({
    ...(trust ? { trust } : {}),
    nickname: options.nick,
    appVersion: `mcchat/${APP_VERSION}`,
    defaultIface: options.iface,
    ...(dir !== undefined ? { openHistory: (roomId: string) => openRoomHistory(dir, roomId) } : {}),
  });
}

async function join(core: ChatCore, options: CliOptions, sendOnly = false): Promise<RoomSnapshot> {
  const config = { group: options.group, port: options.port, ttl: options.ttl, loopback: options.loopback };
  core.checkRoom(config);
  let key;
  if (options.passphrase !== undefined) {
    const strength = passphraseStrength(options.passphrase);
    if (strength.weak) process.stderr.write(`mcchat: warning: weak passphrase: ${strength.reason ?? ''}\n`);
    key = await deriveRoomKey(options.passphrase, options.group, options.port);
  }
  const room = await core.joinRoom(config, { mode: sendOnly ? 'sender' : 'member', ...(key ? { key } : {}) });
  for (const warning of room.warnings) process.stderr.write(`mcchat: warning: ${warning.message}\n`);
  return room;
}

/** Leaves rooms (saying goodbye) on Ctrl+C or kill, so peers see us go at once. */
function leaveOnSignals(core: ChatCore): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void core.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function listen(options: CliOptions): Promise<void> {
  const core = await makeCore(options);
  let received = 0;
  let room: RoomSnapshot | null = null;
  core.subscribe((event) => {
    // Failures while joining are thrown by join and printed once, below.
    if (event.type === 'error' && room) process.stderr.write(`mcchat: ${event.error.message}\n`);
    // A listener prints what is said from now on, like the lecture's Python receiver.
    if (event.type !== 'message' || event.message.own || event.message.history || !room) return;
    if (options.count !== undefined && received >= options.count) return; // exactly N lines, even mid-exit
    process.stdout.write(`${options.json ? messageJson(event.message, room) : messageLine(event.message)}\n`);
    received++;
    if (options.count !== undefined && received >= options.count) {
      void core.close().finally(() => process.exit(0));
    }
  });
  room = await join(core, options);
  // The core's timers do not hold the process: while the network is away (no socket open), this does.
  setInterval(() => undefined, 60_000);
  leaveOnSignals(core);
  process.stderr.write(`${roomLine(room)}\n`);
}

async function send(options: CliOptions): Promise<void> {
  const core = await makeCore(options);
  const room = await join(core, options, true);
  try {
    await core.send(room.roomId, options.text ?? '', { raw: options.raw });
  } finally {
    await core.close();
  }
}

const CHAT_HELP = `/nick <name>  change nickname     /ttl <0-255>  TTL of the next messages
/raw <text>   send bare text       /peers        who is here
/stats        counters             /quit         leave`;

function presenceLine(event: CoreEvent): string | null {
  if (event.type === 'peer-joined') return `* ${peerLine(event.peer)} joined`;
  if (event.type === 'peer-left') return `* ${event.peer.nick} left (${event.reason === 'bye' ? 'said goodbye' : 'timed out'})`;
  if (event.type === 'peer-updated') return `* ${peerLine(event.peer)}`;
  if (event.type === 'error') return `! ${event.error.message}`;
  if (event.type === 'impersonation') return `! ${event.peer.nick} [${event.peer.fingerprint}] uses a nickname first seen with another key: maybe not who they say`;
  if (event.type === 'gap') return `! ${event.count} message${event.count === 1 ? '' : 's'} from ${event.nick} could not be recovered`;
  if (event.type === 'flood') return `! ${event.nick ?? 'someone'} (${event.src}) is flooding the room: ${event.dropped} datagrams dropped`;
  if (event.type === 'room' && event.room.status === 'reconnecting') return `* reconnecting${event.room.error ? `: ${event.room.error.message}` : ''}`;
  return null;
}

async function chat(options: CliOptions): Promise<void> {
  const core = await makeCore(options);
  core.subscribe((event) => {
    const line = event.type === 'message' ? (event.message.own ? null : `${event.message.history ? '(earlier) ' : ''}${messageLine(event.message)}`) : presenceLine(event);
    if (line) process.stdout.write(`${line}\n`);
  });
  const room = await join(core, options);
  process.stderr.write(`${roomLine(room)}\nType a message and press Enter; /help for commands.\n`);
  const input = createInterface({ input: process.stdin, terminal: false });
  let quitting = false;
  const quit = (): void => {
    if (quitting) return;
    quitting = true;
    input.close();
    void core.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
  input.on('close', quit);
  for await (const line of input) {
    const [word = '', ...rest] = line.trim().split(/\s+/);
    const arg = line.trim().slice(word.length).trim();
    try {
      if (line.trim() === '') continue;
      if (word === '/quit') break;
      else if (word === '/help') process.stdout.write(`${CHAT_HELP}\n`);
      else if (word === '/nick') process.stdout.write(`* you are now ${core.setNickname(arg)}\n`);
      else if (word === '/ttl') {
        const ttl = Number(rest[0]);
        const updated = core.setTtl(room.roomId, Number.isInteger(ttl) ? ttl : Number.NaN);
        process.stdout.write(`* ${describeTtl(updated.ttl, updated.group)}\n`);
      } else if (word === '/raw') await core.send(room.roomId, arg, { raw: true });
      else if (word === '/peers') process.stdout.write(`${core.peers(room.roomId).map((p) => `* ${peerLine(p)}`).join('\n') || '* nobody else yet'}\n`);
      else if (word === '/stats') process.stdout.write(`* ${countersLine(core.counters(room.roomId))}\n`);
      else await core.send(room.roomId, line);
    } catch (error) {
      process.stdout.write(`! ${isChatError(error) ? error.message : String(error)}\n`);
    }
  }
  quit();
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCli(process.argv.slice(2), process.env, defaultNick());
  } catch (error) {
    if (error instanceof UsageError) fail(error.message, 2);
    throw error;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`mcchat ${APP_VERSION}\n`);
    return;
  }
  const options = parsed.options;
  try {
    if (options.command === 'listen') await listen(options);
    else if (options.command === 'send') await send(options);
    else await chat(options);
  } catch (error) {
    if (isChatError(error)) fail(error.message, USAGE_CODES.includes(error.code) ? 2 : 1);
    fail(`unexpected error: ${error instanceof Error ? error.message : String(error)}`, 1);
  }
}

void main();
