import type { ChatMessage, CoreEvent, HistoryPage } from '../../shared/events.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import type { HistoryRecord, RoomHistory } from './history/index.js';
import { StoredKeys } from './history/stored-keys.js';

/** A stored message as the receive path sees it again after a restart. */
export interface RestoredMessage {
  readonly key: string;
  readonly message: ChatMessage;
  readonly datagrams: readonly Uint8Array[];
}

/**
 * Puts a room's messages on disk before anyone sees them: a message event leaves only after its
 * record reached the OS, so a kill -9 never loses what was shown. Records are written in one
 * batch per turn of the clock (a burst of datagrams costs one write, not one per message).
 * Our own message is the exception that proves the rule: `send` hands it to the caller (the
 * window shows it from the send result) as soon as `deliver` returns, so its record, and every
 * record queued before it, is written at once; only the events wait for the batch.
 * Without a history store, messages go straight out.
 */
export class RoomStore {
  /** Records not written yet, oldest first. */
  private unwritten: HistoryRecord[] = [];
  /** Events of written (or about to be written) records, not emitted yet. */
  private unemitted: CoreEvent[] = [];
  private scheduled: TimerHandle | null = null;
  /** Keys of written records whose write failed, until their events go out marked. */
  private readonly notSaved = new Set<string>();
  private closed = false;
  /** Every key on disk when the room opened, once read (see indexStoredKeys). */
  private storedKeys: StoredKeys | null = null;

  constructor(
    private readonly history: RoomHistory | null,
    private readonly emit: (event: CoreEvent) => void,
    /** Schedules the batch write; the room's clock, so a fake clock decides when a batch goes. */
    private readonly clock: Clock = systemClock,
  ) {}

  get persistent(): boolean {
    return this.history !== null;
  }

  /** Shows a message, after storing it when the room has a history. */
  deliver(message: ChatMessage, datagrams: readonly Uint8Array[] | null): void {
    const event: CoreEvent = { type: 'message', message };
    if (!this.history || this.closed) {
      this.emit(event);
      return;
    }
    this.unwritten.push({
      key: keyOf(message),
      order: message.order,
      message,
      ...(datagrams ? { wire: datagrams.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64')) } : {}),
    });
    this.unemitted.push(event);
    // The caller of send shows its result without waiting for the event: on disk first.
    if (message.own) this.write();
    this.scheduled ??= nextTurn(this.clock, () => this.flush());
  }

  /** Writes what is pending, then emits it. */
  flush(): void {
    this.scheduled?.cancel();
    this.scheduled = null;
    this.write();
    const events = this.unemitted;
    if (events.length === 0) return;
    this.unemitted = [];
    for (const event of events) this.emit(this.notSaved.size > 0 ? this.marked(event) : event);
  }

  private marked(event: CoreEvent): CoreEvent {
    if (event.type !== 'message' || !this.notSaved.delete(keyOf(event.message))) return event;
    return { type: 'message', message: { ...event.message, notSaved: true } };
  }

  private write(): void {
    const records = this.unwritten;
    if (records.length === 0 || !this.history) return;
    this.unwritten = [];
    const failedBefore = this.history.stats().writeErrors;
    this.history.append(records);
    // Which records of a failed batch reached the disk is not known: all are marked, none lost silently.
    if (this.history.stats().writeErrors > failedBefore) for (const record of records) this.notSaved.add(record.key);
  }

  /**
   * Reads every stored key once, in the background: after a restart the in-memory filters know
   * only the newest messages, and a replay of an older one (its sender's session still current)
   * must not be shown again. Until the read ends (about a second for a 64 MiB history), only the
   * newest are known.
   */
  async indexStoredKeys(): Promise<number> {
    if (!this.history) return 0;
    const keys = new StoredKeys();
    await this.history.keys((key) => keys.add(key));
    keys.seal();
    this.storedKeys = keys;
    return keys.size;
  }

  /** The history held this message when the room opened. */
  wasStored(key: string): boolean {
    return this.storedKeys?.has(key) ?? false;
  }

  /** A stored message's datagrams as they came, base64, or null when not stored (or stored without them). */
  async wireOf(key: string): Promise<readonly string[] | null> {
    if (!this.history) return null;
    return (await this.history.find(key))?.wire ?? null;
  }

  /** The newest stored messages, for the receive path's duplicate filter and history answers. */
  async restore(count: number): Promise<RestoredMessage[]> {
    if (!this.history) return [];
    const page = await this.history.tail(count);
    return page.records.map((r) => ({ key: r.key, message: r.message, datagrams: (r.wire ?? []).map((w) => new Uint8Array(Buffer.from(w, 'base64'))) }));
  }

  async page(before: number | undefined, limit: number): Promise<HistoryPage> {
    if (!this.history) return { messages: [], before: null };
    const page = before === undefined ? await this.history.tail(limit) : await this.history.before(before, limit);
    return { messages: page.records.map((r) => asHistory(r.message)), before: page.cursor };
  }

  async search(query: string, limit: number): Promise<ChatMessage[]> {
    if (!this.history) return [];
    const result = await this.history.search(query, limit);
    return result.records.map((r) => asHistory(r.message));
  }

  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    await this.history?.close();
  }
}

/**
 * Runs `fn` once the current turn's work is done: on the system clock that is setImmediate, after
 * every datagram of this poll phase (setTimeout would add a millisecond to each message's way to
 * the screen); any other clock decides itself, as a timer at 0 ms.
 */
function nextTurn(clock: Clock, fn: () => void): TimerHandle {
  if (clock !== systemClock) return clock.after(0, fn);
  const immediate = setImmediate(fn);
  return { cancel: () => clearImmediate(immediate) };
}

/** Unique per room: a chat message by its sender and id; a raw datagram by where and when it came. */
function keyOf(message: ChatMessage): string {
  return message.kind === 'chat' ? `${message.peerId}/${message.id}` : `raw/${message.src}/${message.receivedAt}/${message.id}`;
}

function asHistory(message: ChatMessage): ChatMessage {
  return message.history ? message : { ...message, history: true };
}
