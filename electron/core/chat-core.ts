import { ChatError, isChatError } from '../../shared/errors.js';
import type { ChatMessage, CoreEvent, InterfaceInfo, PeerInfo, PeerMeter, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import { PRESENCE_INTERVAL_MS, PRESENCE_TIMEOUT_MS } from '../../shared/protocol/constants.js';
import { groupWarnings, parseNickname, parseRoomConfig, type RoomConfig, type RoomConfigInput } from '../../shared/room-config.js';
import { systemClock, type TimerHandle } from './clock.js';
import { autoSelectInterfaces, findInterfaceByAddress, loopbackInterface, systemInterfaces, type NetInterface } from './interfaces.js';
import { fromBase64Url, toBase64Url } from '../../shared/protocol/envelope.js';
import { generateIdentity, peerIdOf } from './crypto/identity.js';
import type { TrustStore } from './crypto/trust-store.js';
import { ReplayGuard } from './crypto/replay-guard.js';
import { fingerprintOfPeer } from './peer-table.js';
import { HybridClock } from './reliability/hlc.js';
import { Room, roomIdOf, type InterfaceChoice, type RoomDeps } from './room.js';
import type { ChatCore, ChatCoreOptions, JoinOptions, SendOptions } from './types.js';
import { createDgramSocket } from './udp-socket.js';


/** Creates the network core: rooms, presence and messages, with no Electron anywhere. */
export function createChatCore(options: ChatCoreOptions): ChatCore {
  const listeners = new Set<(event: CoreEvent) => void>();
  const rooms = new Map<string, Room>();
  const pendingJoins = new Set<string>();
  const listInterfaces = options.interfaces ?? systemInterfaces;
  // The peer id is the hash of the signing key: nobody can claim ours without the private key.
  const identity = options.identity ?? generateIdentity();
  const peerId = identity.peerId;
  const trust = options.trust ?? null;
  const replay = new ReplayGuard(trust?.sessionStarts(), {
    keys: trustedKeys(trust),
    // Kept across restarts, so a history answer after one still names its senders' keys.
    keyLearned: (peer, key) => trust?.noteKey(peer, toBase64Url(key)),
  });
  let nickname = parseNickname(options.nickname);
  let closing: Promise<void> = Promise.resolve();

  const emit = (event: CoreEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A faulty subscriber must not break the datagram path or the other subscribers.
      }
    }
  };

  const clock = options.clock ?? systemClock;
  const linger = options.linger ?? null;
  const deps: RoomDeps = {
    createSocket: options.socketFactory ?? createDgramSocket,
    clock,
    hlc: new HybridClock(() => clock.now()),
    platform: options.platform ?? process.platform,
    identity,
    replay,
    trust,
    historyRequest: options.historyRequest ?? 200,
    ...(options.floodLimit ? { floodLimit: options.floodLimit } : {}),
    ...(options.lossTiming ? { lossTiming: options.lossTiming } : {}),
    ...(options.openHistory ? { openHistory: options.openHistory } : {}),
    nickname: () => nickname,
    appVersion: options.appVersion,
    presenceIntervalMs: options.presenceIntervalMs ?? PRESENCE_INTERVAL_MS,
    presenceTimeoutMs: options.presenceTimeoutMs ?? PRESENCE_TIMEOUT_MS,
    emit,
  };

  function chooseInterfaces(config: RoomConfig): InterfaceChoice {
    const all = listInterfaces();
    const pinned = config.iface ?? options.defaultIface;
    if (pinned) {
      const found = findInterfaceByAddress(all, pinned);
      if (!found) {
        const known = all.map((i) => `${i.address} (${i.name})`).join(', ');
        throw new ChatError('INTERFACE_NOT_FOUND', `No interface of this machine has the address ${pinned}. Known addresses: ${known || 'none'}.`, 'iface');
      }
      return { interfaces: [found], warnings: [] };
    }
    const auto = autoSelectInterfaces(all);
    if (auto.length > 0) return { interfaces: auto, warnings: [] };
    const loopback = loopbackInterface(all);
    if (!loopback) throw new ChatError('NO_INTERFACE', 'This machine has no network interface that can carry multicast. Connect to a network and try again.', 'iface');
    return {
      interfaces: [loopback],
      warnings: [{ code: 'LOOPBACK_ONLY', message: 'No network is connected: the room works only between programs on this computer.' }],
    };
  }

  /** Where a joined room should be now; empty (with the reason) while its interface is gone. */
  function currentInterfacesOf(room: Room): { choice: InterfaceChoice; reason: ChatError | null } {
    try {
      return { choice: chooseInterfaces(parseRoomConfig({ group: '224.0.0.1', iface: room.pinnedIface })), reason: null };
    } catch (error) {
      return { choice: { interfaces: [], warnings: [] }, reason: isChatError(error) ? error : new ChatError('NO_INTERFACE', String(error)) };
    }
  }

  let refreshing: Promise<void> | null = null;
  /** Rejoins rooms whose interfaces changed or went away, and re-announces in the others. */
  function refresh(): Promise<void> {
    refreshing ??= (async () => {
      for (const room of [...rooms.values()]) {
        const { choice, reason } = currentInterfacesOf(room);
        const changed = room.isReconnecting || !sameSet(choice.interfaces, room.wantedInterfaces());
        if (changed) await room.rejoin(choice, reason?.toInfo() ?? null);
        else room.announceNow();
      }
    })().finally(() => (refreshing = null));
    return refreshing;
  }

  // Network changes (a cable, Wi-Fi roaming, sleep): poll the interface list, rejoin on change.
  let lastSignature = safeSignature(listInterfaces) ?? '';
  const pollMs = options.networkPollMs ?? 2_000;
  const watcher: TimerHandle | null =
    pollMs > 0
      ? clock.every(pollMs, () => {
          const signature = safeSignature(listInterfaces);
          if (signature === null) return;
          const needed = signature !== lastSignature || [...rooms.values()].some((r) => r.isReconnecting);
          lastSignature = signature;
          if (needed && rooms.size > 0) void refresh();
        })
      : null;

  function roomOrThrow(roomId: string): Room {
    const room = rooms.get(roomId);
    if (!room) throw new ChatError('ROOM_NOT_FOUND', `There is no joined room ${roomId}.`);
    return room;
  }

  return {
    peerId,
    fingerprint: fingerprintOfPeer(peerId),
    get nickname() {
      return nickname;
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async joinRoom(input: RoomConfigInput, joinOptions: JoinOptions = {}): Promise<RoomSnapshot> {
      const config = parseRoomConfig(input);
      const roomId = roomIdOf(config.group, config.port);
      if (rooms.has(roomId) || pendingJoins.has(roomId)) {
        throw new ChatError('ROOM_EXISTS', `You are already in the room on ${roomId}.`, 'group');
      }
      const choice = chooseInterfaces(config);
      pendingJoins.add(roomId);
      try {
        const room = await Room.join(config, choice, joinOptions.mode ?? 'member', deps, joinOptions.key ?? null);
        rooms.set(roomId, room);
        return room.snapshot();
      } finally {
        pendingJoins.delete(roomId);
      }
    },

    async leaveRoom(roomId) {
      const room = roomOrThrow(roomId);
      rooms.delete(roomId);
      await room.leave(linger);
    },

    send(roomId, text, sendOptions: SendOptions = {}): Promise<ChatMessage> {
      try {
        return roomOrThrow(roomId).send(text, sendOptions.raw ?? false);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    setTtl(roomId, ttl) {
      return roomOrThrow(roomId).setTtl(ttl);
    },

    setPeerVerified(target, verified) {
      trust?.setVerified(target, verified);
      for (const room of rooms.values()) room.setVerified(target, verified);
    },

    setNickname(next) {
      nickname = parseNickname(next);
      for (const room of rooms.values()) room.announceNow();
      return nickname;
    },

    rooms: () => [...rooms.values()].map((r) => r.snapshot()),
    peers: (roomId): PeerInfo[] => roomOrThrow(roomId).peers(),
    counters: (roomId): RoomCounters => roomOrThrow(roomId).counters(),
    meter: (roomId): PeerMeter[] => roomOrThrow(roomId).meter(),
    probeReach: (roomId, ttlMax = 8) => roomOrThrow(roomId).probeReach(ttlMax),
    wireOf: (roomId, key) => roomOrThrow(roomId).wireOf(key),

    async history(roomId, page) {
      return roomOrThrow(roomId).history(page.before, page.limit);
    },

    async searchHistory(roomId, query, limit) {
      return roomOrThrow(roomId).searchHistory(query, limit);
    },

    checkRoom(input) {
      const config = parseRoomConfig(input);
      const choice = chooseInterfaces(config);
      return { warnings: [...groupWarnings(config.group, config.ttl), ...choice.warnings] };
    },

    refresh,

    availableInterfaces(): InterfaceInfo[] {
      return autoSelectInterfaces(listInterfaces()).map((i) => ({ name: i.name, address: i.address }));
    },

    close(closeOptions = {}) {
      // Idempotent: a second close (Ctrl+C during /quit) waits for the first goodbye instead of racing it.
      watcher?.cancel();
      const all = [...rooms.values()];
      rooms.clear();
      closing = Promise.all([closing, ...all.map((room) => room.leave(linger, closeOptions.cutShort))]).then(async () => {
        // Newest session per peer survives a restart: an old session replayed later is refused.
        for (const [peer, start] of Object.entries(replay.newestSessionStarts())) trust?.noteSession(peer, start);
        await trust?.flush();
      });
      return closing;
    },
  };
}

function safeSignature(list: () => readonly NetInterface[]): string | null {
  try {
    return interfaceSignature(list());
  } catch {
    return null;
  }
}

function interfaceSignature(all: readonly NetInterface[]): string {
  return all.map((i) => `${i.name}=${i.address}/${i.up}/${i.multicast}`).sort().join(',');
}

function sameSet(a: readonly NetInterface[], b: readonly NetInterface[]): boolean {
  return a.length === b.length && a.every((i) => b.some((j) => j.name === i.name && j.address === i.address));
}

/** The keys the trust store kept, each checked against its peer id (the file could have been edited). */
function trustedKeys(trust: TrustStore | null): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  for (const [peer, text] of trust?.knownKeys() ?? []) {
    const key = fromBase64Url(text);
    if (key?.length === 32 && peerIdOf(key) === peer) out.push([peer, key]);
  }
  return out;
}
