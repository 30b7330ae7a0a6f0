import type { ChatMessage, CoreEvent, InterfaceInfo, PeerMeter, RoomSnapshot } from '../shared/events.js';
import type { OsMemberships } from '../shared/group-view.js';
import { COMMAND_NAMES, type AppNotice, type CommandName, type EventName, type EventPayloads, type McchatApi } from '../shared/ipc/contract.js';
import { createCommandDispatcher } from '../electron/shell/commands.js';
import { createPushGate, type PushQueue } from '../electron/shell/push-gate.js';
import { ScriptedCore, type FloodReportInput, type Incoming } from './fake-core.js';
import { fakeKeyVault, memorySettings } from './fake-stores.js';

export type { FloodReportInput, Incoming } from './fake-core.js';

/**
 * The main process for the renderer's tests and the browser demo, without Electron or a network:
 * main's own command dispatcher (electron/shell/commands.ts) and push gate (push-gate.ts, as the
 * IPC bridge uses it) over a scripted core (fake-core.ts), settings in memory and a key vault
 * without scrypt. What the page asks is answered and refused exactly as in the app; only the
 * core's side is scripted.
 */
export interface FakeOptions {
  readonly nickname?: string;
  /** No nickname chosen yet: the first-run prompt (the core announces `nickname` meanwhile). */
  readonly firstRun?: boolean;
  readonly peerId?: string;
  readonly interfaces?: readonly InterfaceInfo[];
  /** As if started with --iface: every room joins there, and the form says so. */
  readonly pinnedIface?: string;
  /** What the OS would say it joined; by default every joined room's group on its interfaces. */
  readonly memberships?: OsMemberships;
  /** How long a reach probe takes; by default as long as the core's would. */
  readonly probeMs?: number;
}

export type FakeMcchat = McchatApi & {
  /** Core events, as if the core emitted them (held back until rendererReady, like main). */
  emit(events: readonly CoreEvent[]): void;
  /** A banner from main (held back until rendererReady, like main). */
  notice(notice: AppNotice): void;
  /** A message from someone else; a new nick also announces a peer. */
  receive(roomId: string, incoming: Incoming): ChatMessage;
  /** Change a room as the core might (status, error) and push it. */
  updateRoom(roomId: string, patch: Partial<RoomSnapshot>): void;
  /** Messages stored before this session (as on disk): only getHistory and searchHistory see them. */
  remember(roomId: string, incoming: readonly Incoming[]): ChatMessage[];
  /** The core gave up repairing `count` messages of `nick`. */
  reportGap(roomId: string, nick: string, count: number): void;
  /** Per-peer meters changed (kept for getMeter), pushed as the core's once-a-second `meter` event. */
  reportMeter(roomId: string, meters: readonly PeerMeter[]): void;
  /** A source over the rate limit, as the core reports it (at most once a second); a peer is flagged flooding. */
  reportFlood(roomId: string, flood: FloodReportInput): void;
  /** The peer calmed down: its flag goes away. */
  endFlood(roomId: string, nick: string): void;
  /** URLs the page asked to open in the browser (after main's check). */
  readonly opened: readonly string[];
  /** The rooms the page reported in view (setViewState), in order. */
  readonly views: readonly (string | null)[];
  /** As a notification click does: main asks the page to open the room. */
  requestOpenRoom(roomId: string): void;
};

const DEFAULT_INTERFACES: readonly InterfaceInfo[] = [
  { name: 'eth0', address: '192.168.1.10' },
  { name: 'lo', address: '127.0.0.1' },
];

/** A queue with main's batcher's contract, pushed at the end of each step (see createFakeApi). */
interface StepQueue extends PushQueue {
  flushNow(): void;
}

function stepQueue(flush: (events: CoreEvent[]) => void): StepQueue {
  let queue: CoreEvent[] = [];
  let paused = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flushNow = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (paused || queue.length === 0) return;
    const batch = queue;
    queue = [];
    flush(batch);
  };
  return {
    add(event) {
      queue.push(event);
      // Anything emitted between steps still goes out, as main's batcher pushes within a frame.
      if (!paused) timer ??= setTimeout(flushNow, 0);
    },
    flushNow,
    setPaused(next) {
      paused = next;
      if (!paused) flushNow();
    },
    dispose() {
      if (timer !== null) clearTimeout(timer);
      queue = [];
    },
  };
}

export function createFakeApi(options: FakeOptions = {}): FakeMcchat {
  const interfaces = options.interfaces ?? DEFAULT_INTERFACES;
  const peerId = options.peerId ?? 'f00dfacecafe0001';
  const nickname = options.nickname ?? 'me';
  const core = new ScriptedCore({ nickname, peerId, interfaces, defaultIface: options.pinnedIface ?? null, ...(options.probeMs !== undefined ? { probeMs: options.probeMs } : {}) });
  const opened: string[] = [];
  const views: (string | null)[] = [];
  const listeners: { [E in EventName]: Set<(payload: EventPayloads[E]) => void> } = { core: new Set(), notice: new Set(), openRoom: new Set() };

  let queue: StepQueue | null = null;
  const gate = createPushGate({
    queue: (flush) => (queue = stepQueue(flush)),
    send: (event, payload) => {
      (listeners[event] as Set<(value: typeof payload) => void>).forEach((cb) => cb(payload));
      return true;
    },
  });
  core.subscribe((event) => gate.add(event));
  // Main batches a frame's events into one push; here a step (one command, one scripted event)
  // is pushed as soon as it is done, so a test sees its effect inside act() and a command's
  // events before its answer.
  const step = <T>(run: () => T): T => {
    try {
      return run();
    } finally {
      queue?.flushNow();
    }
  };

  const dispatch = createCommandDispatcher({
    core,
    settings: memorySettings(peerId, options.firstRun ? null : nickname),
    keys: fakeKeyVault(),
    appVersion: '0.0.0-fake',
    pinnedIface: options.pinnedIface ?? null,
    openExternal: async (url) => void opened.push(url),
    notice: gate.notice,
    onRendererReady: gate.resume,
    readMemberships: async () => options.memberships ?? membershipsOf(interfaces, core.rooms()),
    onViewState: (roomId) => void views.push(roomId),
  });
  const command = (name: CommandName) => async (arg: unknown) => {
    try {
      return await dispatch(name, arg);
    } finally {
      queue?.flushNow();
    }
  };
  const commands = Object.fromEntries(COMMAND_NAMES.map((name) => [name, command(name)]));

  return {
    ...(commands as unknown as McchatApi),
    on: (event, callback) => {
      const set = listeners[event] as Set<typeof callback>;
      set.add(callback);
      return () => void set.delete(callback);
    },
    emit: (events) => step(() => events.forEach((event) => core.emit(event))),
    notice: (notice) => gate.notice(notice),
    receive: (roomId, incoming) => step(() => core.receive(roomId, incoming)),
    updateRoom: (roomId, patch) => step(() => core.updateRoom(roomId, patch)),
    remember: (roomId, incoming) => core.remember(roomId, incoming),
    reportGap: (roomId, nick, count) => step(() => core.reportGap(roomId, nick, count)),
    reportMeter: (roomId, meters) => step(() => core.reportMeter(roomId, meters)),
    reportFlood: (roomId, flood) => step(() => core.reportFlood(roomId, flood)),
    endFlood: (roomId, nick) => step(() => core.endFlood(roomId, nick)),
    opened,
    views,
    requestOpenRoom: (roomId) => gate.openRoom(roomId),
  };
}

/** As a real OS would say: all-hosts everywhere, and each joined room's group on its interfaces. */
function membershipsOf(interfaces: readonly InterfaceInfo[], rooms: readonly RoomSnapshot[]): OsMemberships {
  const byName = new Map<string, string[]>(interfaces.map((i) => [i.name, ['224.0.0.1']]));
  for (const room of rooms) {
    if (room.status !== 'joined') continue;
    for (const i of room.interfaces) {
      const groups = byName.get(i.name) ?? [];
      if (!groups.includes(room.group)) groups.push(room.group);
      byName.set(i.name, groups);
    }
  }
  return { available: true, source: 'the demo (no operating system asked)', interfaces: [...byName].map(([name, groups]) => ({ name, groups })) };
}
