#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { isChatError, type ChatErrorCode } from '../../shared/errors.js';
import type { CoreEvent, RoomSnapshot } from '../../shared/events.js';
import { buildGroupView } from '../../shared/group-view.js';
import { ttlChangedText } from '../../shared/ttl-scopes.js';
import { createChatCore } from '../core/chat-core.js';
import { deriveRoomKey, passphraseStrength } from '../core/crypto/room-key.js';
import { openRoomHistory } from '../core/history/index.js';
import { readSystemMemberships } from '../core/os-memberships/system.js';
import { DEFAULT_LINGER } from '../core/linger.js';
import type { ChatCore, RoomMode } from '../core/types.js';
import { APP_VERSION } from '../core/version.js';
import { parseCli, USAGE, UsageError, type CliOptions } from './args.js';
import { parseChatLine, CHAT_HELP } from './chat-commands.js';
import { groupViewLines } from './group-lines.js';
import { doctorJson, doctorLines } from './doctor/report.js';
import { runDoctor, systemDoctorDeps } from './doctor/doctor.js';
import { peerStats, peerTableLines, statsJson } from './meter-output.js';
import { countersLines, messageJson, messageLine, peerLine, roomLine } from './output.js';
import { probingLine, reachJson, reachLines } from './probe-output.js';
import { openProfile, type CliProfile } from './profile.js';
import { terminalSafe } from './terminal-text.js';
import { refusalSourcesText } from '../../shared/refusal-text.js';

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

/** What went wrong, and the exit code: 2 for what the user typed, 1 for the network. */
function describeFailure(error: unknown): { message: string; code: number } {
  if (isChatError(error)) return { message: error.message, code: USAGE_CODES.includes(error.code) ? 2 : 1 };
  return { message: `unexpected error: ${error instanceof Error ? error.message : String(error)}`, code: 1 };
}

/** Error text may carry a peer's nickname: escaped like everything else from the wire. */
function fail(message: string, code: number): never {
  process.stderr.write(`mcchat: ${terminalSafe(message)}\n`);
  process.exit(code);
}

function warn(message: string): void {
  process.stderr.write(`mcchat: warning: ${terminalSafe(message)}\n`);
}

interface Session {
  readonly core: ChatCore;
  readonly profile: CliProfile;
}

/** Opens this user's key and trust store (kept between runs), then the core with them. */
async function startCore(options: CliOptions): Promise<Session> {
  const profile = await openProfile(options.profile);
  for (const notice of profile.notices) warn(notice);
  const dir = options.history;
  const core = createChatCore({
    identity: profile.identity,
    trust: profile.trust,
    nickname: options.nick ?? profile.defaultNick(),
    appVersion: `mcchat/${APP_VERSION}`,
    defaultIface: options.iface,
    // Leaving after sending, stay until the room is quiet so lost messages can be repaired.
    linger: DEFAULT_LINGER,
    ...(dir !== undefined ? { openHistory: (roomId: string, historyOptions) => openRoomHistory(dir, roomId, historyOptions) } : {}),
  });
  // `send` in a script stays quiet about it; a person at a terminal learns why it waits.
  const sayFinishing = options.command !== 'send' || process.stderr.isTTY;
  core.subscribe((event) => {
    if (sayFinishing && event.type === 'room' && event.room.status === 'leaving') {
      process.stderr.write(`mcchat: finishing: staying while others ask for what they missed (2 s after the last ask, at most ${DEFAULT_LINGER.maxMs / 1000} s; Ctrl+C again to quit now)\n`);
    }
  });
  return { core, profile };
}

function whoLine({ core, profile }: Session): string {
  const slot = profile.slot > 1 ? `, key ${profile.slot}: another mcchat uses the first` : '';
  return `mcchat: you are ${terminalSafe(core.nickname)} [${core.fingerprint}] (kept in ${profile.dir}${slot})`;
}

async function join(core: ChatCore, options: CliOptions, mode: RoomMode): Promise<RoomSnapshot> {
  const config = { group: options.group, port: options.port, ttl: options.ttl, loopback: options.loopback };
  core.checkRoom(config);
  let key;
  if (options.passphrase !== undefined) {
    const strength = passphraseStrength(options.passphrase);
    if (strength.weak) warn(`weak passphrase: ${strength.reason ?? ''}`);
    key = await deriveRoomKey(options.passphrase, options.group, options.port);
  }
  const room = await core.joinRoom(config, { mode, ...(key ? { key } : {}) });
  for (const warning of room.warnings) warn(warning.message);
  return room;
}

/** Signals closer together than this are one Ctrl+C (a person cannot press it twice this fast). */
const SAME_CTRL_C_MS = 300;

/**
 * The one way out of a running command: Ctrl+C, kill, end of input, /quit, --count reached.
 * `beforeClose` runs once, while the room is still there (listen --stats reads the counters).
 * A second Ctrl+C leaves at once; one that comes within SAME_CTRL_C_MS of the first is the same
 * keypress: the terminal signals the whole process group, and `npm run` or tsx forward it to
 * us once more (a new user's single Ctrl+C quit at once, without goodbye or repairs).
 */
function exitPath(core: ChatCore, beforeClose: () => void = () => undefined): (code?: number) => void {
  let leaving = false;
  let signalledAt = -Infinity;
  const leave = (code = 0): void => {
    if (leaving) return;
    leaving = true;
    beforeClose();
    void core.close().finally(() => process.exit(code));
  };
  const onSignal = (): void => {
    const now = performance.now();
    if (now - signalledAt < SAME_CTRL_C_MS) return;
    signalledAt = now;
    if (leaving) process.exit(130);
    leave(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return leave;
}

async function listen(options: CliOptions): Promise<void> {
  const session = await startCore(options);
  const { core } = session;
  let received = 0;
  let room: RoomSnapshot | null = null;
  /** Nicknames of senders heard, for the per-peer stats of peers that have left since. */
  const nicks = new Map<string, string>();
  const printStats = (): void => {
    if (!options.stats || !room) return;
    const roomId = room.roomId;
    const counters = core.counters(roomId);
    const present = new Map(core.peers(roomId).map((p) => [p.peerId, p.nick]));
    const peers = peerStats(core.meter(roomId), (peerId) => present.get(peerId) ?? nicks.get(peerId) ?? null);
    const text = options.json ? statsJson(peers, counters) : [...countersLines(counters), ...peerTableLines(peers)].join('\n');
    process.stdout.write(`${text}\n`);
  };
  const leave = exitPath(core, printStats);
  core.subscribe((event) => {
    // Failures while joining are thrown by join and printed once, below.
    if (event.type === 'error' && room) process.stderr.write(`mcchat: ${terminalSafe(event.error.message + refusalSourcesText(event.sources, event.moreSources))}\n`);
    // A listener prints what is said from now on, like the lecture's Python receiver.
    if (event.type !== 'message' || event.message.own || !room) return;
    if (event.message.peerId !== null && event.message.nick !== null) nicks.set(event.message.peerId, event.message.nick);
    if (event.message.history) return;
    if (options.count !== undefined && received >= options.count) return; // exactly N lines, even mid-exit
    process.stdout.write(`${options.json ? messageJson(event.message, room) : messageLine(event.message)}\n`);
    received++;
    if (options.count !== undefined && received >= options.count) leave(0);
  });
  room = await join(core, options, options.passive ? 'passive' : 'member');
  // The core's timers do not hold the process: while the network is away (no socket open), this does.
  setInterval(() => undefined, 60_000);
  const what = options.passive
    ? 'passive: sends nothing, not even a hello'
    : 'announcing itself (hello) and asking for recent history; --passive only listens';
  process.stderr.write(`${roomLine(room)}; ${what}\n${whoLine(session)}\n`);
}

async function send(options: CliOptions): Promise<void> {
  const { core } = await startCore(options);
  const room = await join(core, options, 'sender');
  const leave = exitPath(core);
  try {
    await core.send(room.roomId, options.text ?? '', { raw: options.raw });
    leave(0);
  } catch (error) {
    const { message, code } = describeFailure(error);
    process.stderr.write(`mcchat: ${terminalSafe(message)}\n`);
    leave(code);
  }
}

/**
 * Joins like `send` (a receive socket for the answers, no hello, no history request), probes
 * TTL 1..--ttl-max, prints who answered at each, leaves.
 */
async function probe(options: CliOptions): Promise<void> {
  const { core } = await startCore(options);
  const room = await join(core, options, 'sender');
  const leave = exitPath(core);
  process.stderr.write(`${probingLine(room, options.ttlMax)}\n`);
  try {
    const rows = await core.probeReach(room.roomId, options.ttlMax);
    const lines = options.json ? rows.map(reachJson) : reachLines(rows);
    process.stdout.write(`${lines.join('\n')}\n`);
    leave(0);
  } catch (error) {
    const { message, code } = describeFailure(error);
    process.stderr.write(`mcchat: ${terminalSafe(message)}\n`);
    leave(code);
  }
}

/** Needs no key and no room: it only looks at this machine (and loops one datagram back to itself). */
async function doctor(options: CliOptions): Promise<void> {
  const report = await runDoctor(systemDoctorDeps(), { group: options.group, port: options.port, iface: options.iface });
  process.stdout.write(`${options.json ? doctorJson(report) : doctorLines(report, APP_VERSION).join('\n')}\n`);
}

function presenceLine(event: CoreEvent): string | null {
  if (event.type === 'peer-joined') return `* ${peerLine(event.peer)} joined`;
  if (event.type === 'peer-left') return `* ${terminalSafe(event.peer.nick)} left (${event.reason === 'bye' ? 'said goodbye' : 'timed out'})`;
  if (event.type === 'peer-updated') return `* ${peerLine(event.peer)}`;
  if (event.type === 'error') return `! ${terminalSafe(event.error.message + refusalSourcesText(event.sources, event.moreSources))}`;
  if (event.type === 'impersonation') return `! ${terminalSafe(event.peer.nick)} [${event.peer.fingerprint}] uses a nickname first seen with another key: maybe not who they say`;
  if (event.type === 'gap') return `! ${event.count} message${event.count === 1 ? '' : 's'} from ${terminalSafe(event.nick)} could not be recovered`;
  if (event.type === 'flood') return `! ${terminalSafe(event.nick ?? 'someone')} (${event.src}) is flooding the room: ${event.dropped} datagrams dropped`;
  if (event.type === 'room' && event.room.status === 'reconnecting') return `* reconnecting${event.room.error ? `: ${terminalSafe(event.room.error.message)}` : ''}`;
  return null;
}

/** How many stored messages `chat --history` shows again on start. */
const HISTORY_ON_START = 50;

async function chat(options: CliOptions): Promise<void> {
  const session = await startCore(options);
  const { core, profile } = session;
  let room: RoomSnapshot | null = null;
  core.subscribe((event) => {
    // Before the room is joined, a failure is thrown by join and reported once, by main.
    if (!room) return;
    const line = event.type === 'message' ? (event.message.own ? null : messageLine(event.message, event.message.history ? '(earlier) ' : '')) : presenceLine(event);
    if (line) process.stdout.write(`${line}\n`);
  });
  const joined = await join(core, options, 'member');
  room = joined;
  process.stderr.write(`${roomLine(joined, 'chatting in')}\n${whoLine(session)}\nType a message and press Enter; /help for commands.\n`);
  if (options.history !== undefined) {
    const page = await core.history(joined.roomId, { limit: HISTORY_ON_START });
    for (const message of page.messages) process.stdout.write(`${messageLine(message, '(earlier) ')}\n`);
  }
  const input = createInterface({ input: process.stdin, terminal: false });
  const leave = exitPath(core, () => input.close());
  // End of input ends the loop below once every line read before it has run: leaving on 'close'
  // itself cut short a command still awaiting (piped "/group\n/quit" printed nothing).
  for await (const line of input) {
    const command = parseChatLine(line);
    try {
      if (command.kind === 'empty') continue;
      if (command.kind === 'quit') break;
      if (command.kind === 'help') process.stdout.write(`${CHAT_HELP}\n`);
      else if (command.kind === 'unknown') process.stdout.write(`! ${terminalSafe(command.message)}\n`);
      else if (command.kind === 'nick') {
        const nick = core.setNickname(command.arg);
        const saved = await profile.saveNickname(nick).then(
          () => ' (your default from now on)',
          () => ' (for this run: it could not be saved)',
        );
        process.stdout.write(`* you are now ${terminalSafe(nick)}${saved}\n`);
      } else if (command.kind === 'ttl') {
        const updated = core.setTtl(joined.roomId, command.ttl);
        process.stdout.write(`* ${ttlChangedText(updated.ttl, updated.group)}\n`);
      } else if (command.kind === 'raw') await core.send(joined.roomId, command.arg, { raw: true });
      else if (command.kind === 'peers') process.stdout.write(`${core.peers(joined.roomId).map((p) => `* ${peerLine(p)}`).join('\n') || '* nobody else yet'}\n`);
      else if (command.kind === 'stats') process.stdout.write(`${countersLines(core.counters(joined.roomId)).map((l) => `* ${l}`).join('\n')}\n`);
      else if (command.kind === 'group') {
        const current = core.rooms().find((r) => r.roomId === joined.roomId) ?? joined;
        const view = buildGroupView(current, await readSystemMemberships());
        if (view) process.stdout.write(`${groupViewLines(view).map((l) => `* ${l}`).join('\n')}\n`);
      } else if (command.kind === 'text') await core.send(joined.roomId, command.text);
    } catch (error) {
      process.stdout.write(`! ${terminalSafe(isChatError(error) ? error.message : String(error))}\n`);
    }
  }
  leave(0);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCli(process.argv.slice(2), process.env);
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
    else if (options.command === 'probe') await probe(options);
    else if (options.command === 'doctor') await doctor(options);
    else await chat(options);
  } catch (error) {
    const { message, code } = describeFailure(error);
    // "No interface has the address …": say which setting to fix.
    const named = isChatError(error) && error.code === 'INTERFACE_NOT_FOUND' && options.ifaceSource ? `${options.ifaceSource}: ${message}` : message;
    fail(named, code);
  }
}

void main();
