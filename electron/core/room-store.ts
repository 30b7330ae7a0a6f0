import type { ChatMessage, CoreEvent, HistoryPage } from '../../shared/events.js';
import type { HistoryRecord, RoomHistory } from './history/index.js';

/** A stored message as the receive path sees it again after a restart. */
export interface RestoredMessage {
  readonly key: string;
  readonly message: ChatMessage;
  readonly datagrams: readonly Uint8Array[];
}

interface Pending {
  readonly record: HistoryRecord;
  readonly event: CoreEvent;
}

/**
 * Puts a room's messages on disk before anyone sees them: a message event leaves only after its
 * record reached the OS, so a kill -9 never loses what was shown. Records are written in one
 * batch per turn of the event loop (a burst of datagrams costs one write, not one per message).
 * Without a history store, messages go straight out.
 */
export class RoomStore {
  private pending: Pending[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly history: RoomHistory | null,
    private readonly emit: (event: CoreEvent) => void,
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
    const record: HistoryRecord = {
      key: keyOf(message),
      order: message.order,
      message,
      ...(datagrams ? { wire: datagrams.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64')) } : {}),
    };
    this.pending.push({ record, event });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes what is pending, then emits it. */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.history?.append(batch.map((p) => p.record));
    for (const p of batch) this.emit(p.event);
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

/** Unique per room: a chat message by its sender and id; a raw datagram by where and when it came. */
function keyOf(message: ChatMessage): string {
  return message.kind === 'chat' ? `${message.peerId}/${message.id}` : `raw/${message.src}/${message.receivedAt}/${message.id}`;
}

function asHistory(message: ChatMessage): ChatMessage {
  return message.history ? message : { ...message, history: true };
}
