import { parseArgs } from 'node:util';
import { openRoomHistory } from '../../electron/core/history/index.js';
import type { ChatCoreOptions } from '../../electron/core/types.js';
import type { RoomSnapshot } from '../../shared/events.js';
import { fail, handleSignals, integer, makeCore, peerOptions, peerOptionSpec, printEvents, printLine, roomConfig } from './script-common.js';

/**
 * A listening peer for the lab, built on the core (not the CLI): joins one room and prints every
 * core event as a JSON line, other peers' messages included. SIGUSR2 prints a snapshot of the
 * counters and peers; SIGTERM prints the final one, leaves the room (saying bye) and exits.
 *
 *   node --import tsx tests/lab/collect.ts [--iface 198.18.10.12] [--group G] [--port P] [--nick N]
 *                                          [--history DIR [--print-history N]]
 *
 * Without --iface the core chooses the interfaces (in a lab host: lan0) and follows address
 * changes; with it, the room is pinned to that address, as `mcchat --iface` does.
 *
 * --history DIR stores the room's messages in DIR (the core's openHistory, one file per room id,
 * as `mcchat --history` does); --print-history N then prints, right after joining, a
 * `history-page` line with the ids of the newest N stored messages (core.history), oldest first.
 */

const spec = {
  ...peerOptionSpec,
  history: { type: 'string' },
  'print-history': { type: 'string' },
} as const;

let values;
try {
  values = parseArgs({ args: process.argv.slice(2), options: spec, strict: true }).values;
} catch (error) {
  fail((error as Error).message);
}
const options = peerOptions(values, 'collector');
const historyDir = values.history;
const printHistory = integer(values['print-history'], 'print-history');
if (printHistory !== undefined && historyDir === undefined) fail('--print-history needs --history DIR');
const extra: Partial<ChatCoreOptions> = historyDir !== undefined ? { openHistory: (roomId: string, historyOptions) => openRoomHistory(historyDir, roomId, historyOptions) } : {};
const core = makeCore(options, extra);
let room: RoomSnapshot | null = null;
printEvents(core, options);
handleSignals(core, () => room);
try {
  room = await core.joinRoom(roomConfig(options));
} catch (error) {
  printLine({ type: 'join-failed', message: (error as Error).message });
  process.exit(1);
}
printLine({ type: 'ready', peerId: core.peerId, nick: core.nickname, room });
if (printHistory !== undefined) {
  try {
    const page = await core.history(room.roomId, { limit: printHistory });
    printLine({ type: 'history-page', count: page.messages.length, ids: page.messages.map((m) => m.id), before: page.before });
  } catch (error) {
    printLine({ type: 'history-error', message: (error as Error).message });
  }
}
