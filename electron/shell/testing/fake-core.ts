import { ChatError, type ChatWarning } from '../../../shared/errors.js';
import { emptyCounters, type ChatMessage, type CoreEvent, type HistoryPage, type InterfaceInfo, type PeerInfo, type PeerMeter, type ReachResult, type RoomCounters, type RoomSnapshot } from '../../../shared/events.js';
import { parseNickname, parseRoomConfig, type RoomConfigInput } from '../../../shared/room-config.js';
import type { ChatCore, JoinOptions, SendOptions } from '../../core/types.js';

/**
 * A ChatCore without any network, for the shell's tests: it validates like the real one,
 * keeps rooms in a map, records calls, and emits whatever a test asks it to.
 */
export class FakeCore implements ChatCore {
  readonly peerId = '0123456789abcdef';
  readonly fingerprint = '0123 4567 89ab cdef';
  readonly verified = new Map<string, boolean>();
  private currentNickname: string;
  private readonly listeners = new Set<(event: CoreEvent) => void>();
  private readonly joined = new Map<string, RoomSnapshot>();
  private readonly failures = new Map<string, Error>();
  readonly calls: { method: string; args: unknown[] }[] = [];
  closed = false;
  interfaces: InterfaceInfo[] = [{ name: 'eth0', address: '192.0.2.10' }];

  constructor(nickname = 'tester') {
    this.currentNickname = nickname;
  }

  get nickname(): string {
    return this.currentNickname;
  }

  /** The next call of `method` throws this error. */
  failNext(method: keyof ChatCore, error: Error): void {
    this.failures.set(method, error);
  }

  emit(event: CoreEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  private record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
  }

  private room(roomId: string): RoomSnapshot {
    const room = this.joined.get(roomId);
    if (!room) throw new ChatError('ROOM_NOT_FOUND', `There is no joined room ${roomId}.`);
    return room;
  }

  subscribe(listener: (event: CoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async joinRoom(input: RoomConfigInput, options?: JoinOptions): Promise<RoomSnapshot> {
    this.record('joinRoom', [input, options]);
    const config = parseRoomConfig(input);
    const roomId = `${config.group}:${config.port}`;
    if (this.joined.has(roomId)) throw new ChatError('ROOM_EXISTS', `You are already in the room on ${roomId}.`, 'group');
    const snapshot: RoomSnapshot = {
      roomId,
      name: config.name,
      group: config.group,
      port: config.port,
      ttl: config.ttl,
      loopback: config.loopback,
      iface: config.iface ?? null,
      status: 'joined',
      interfaces: [this.interfaces[0] ?? { name: 'lo', address: '127.0.0.1' }],
      warnings: [],
      error: null,
      groupFiltered: true,
      encrypted: options?.key !== undefined,
      keyId: options?.key?.id ?? null,
    };
    this.joined.set(roomId, snapshot);
    this.emit({ type: 'room', room: snapshot });
    return snapshot;
  }

  async refresh(): Promise<void> {
    this.record('refresh', []);
  }

  async leaveRoom(roomId: string): Promise<void> {
    this.record('leaveRoom', [roomId]);
    this.room(roomId);
    this.joined.delete(roomId);
  }

  async send(roomId: string, text: string, options?: SendOptions): Promise<ChatMessage> {
    this.record('send', [roomId, text, options]);
    const room = this.room(roomId);
    return {
      kind: options?.raw ? 'raw' : 'chat',
      roomId: room.roomId,
      id: 'm1',
      text,
      nick: this.currentNickname,
      peerId: this.peerId,
      src: '192.0.2.10:40000',
      ttl: room.ttl,
      seq: 1,
      ts: 1,
      receivedAt: 1,
      own: true,
      fragments: 1,
      order: `${Date.now()}`,
      bytes: text.length + 40,
    };
  }

  setTtl(roomId: string, ttl: number): RoomSnapshot {
    this.record('setTtl', [roomId, ttl]);
    const room = { ...this.room(roomId), ttl };
    this.joined.set(roomId, room);
    return room;
  }

  setPeerVerified(peerId: string, verified: boolean): void {
    this.record('setPeerVerified', [peerId, verified]);
    this.verified.set(peerId, verified);
  }

  setNickname(nickname: string): string {
    this.record('setNickname', [nickname]);
    this.currentNickname = parseNickname(nickname);
    return this.currentNickname;
  }

  rooms(): RoomSnapshot[] {
    return [...this.joined.values()];
  }

  peers(roomId: string): PeerInfo[] {
    this.record('peers', [roomId]);
    this.room(roomId);
    return [];
  }

  counters(roomId: string): RoomCounters {
    this.record('counters', [roomId]);
    this.room(roomId);
    return emptyCounters();
  }
  meter(roomId: string): PeerMeter[] {
    this.record('meter', [roomId]);
    this.room(roomId);
    return [];
  }

  probeReach(roomId: string, ttlMax = 8): Promise<ReachResult[]> {
    this.record('probeReach', [roomId, ttlMax]);
    this.room(roomId);
    return Promise.resolve(Array.from({ length: ttlMax }, (_, i) => ({ ttl: i + 1, peers: [] })));
  }

  /** Datagrams (base64) by `peerId/id`, as the core would hold them; tests put them here. */
  readonly wires = new Map<string, readonly string[]>();

  wireOf(roomId: string, key: string): Promise<readonly string[] | null> {
    this.record('wireOf', [roomId, key]);
    this.room(roomId);
    return Promise.resolve(this.wires.get(key) ?? null);
  }


  /** Stored messages, oldest first; tests put them here. */
  readonly stored: ChatMessage[] = [];

  history(roomId: string, page: { before?: number; limit: number }): Promise<HistoryPage> {
    this.record('history', [roomId, page]);
    this.room(roomId);
    const end = page.before ?? this.stored.length;
    const start = Math.max(0, end - page.limit);
    return Promise.resolve({ messages: this.stored.slice(start, end), before: start > 0 ? start : null });
  }

  searchHistory(roomId: string, query: string, limit: number): Promise<ChatMessage[]> {
    this.record('searchHistory', [roomId, query, limit]);
    this.room(roomId);
    const needle = query.toLowerCase();
    return Promise.resolve(this.stored.filter((m) => m.text.toLowerCase().includes(needle)).reverse().slice(0, limit));
  }

  checkRoom(input: RoomConfigInput): { warnings: ChatWarning[] } {
    this.record('checkRoom', [input]);
    parseRoomConfig(input);
    return { warnings: [] };
  }

  availableInterfaces(): InterfaceInfo[] {
    return this.interfaces;
  }

  async close(): Promise<void> {
    this.record('close', []);
    this.closed = true;
    this.joined.clear();
  }
}
