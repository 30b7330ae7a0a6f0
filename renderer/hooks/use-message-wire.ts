import { useEffect, useState } from 'react';
import type { ChatMessage } from '../../shared/events.js';
import { fromBase64, rawStory, wireStory, type WireStory } from '../../shared/wire-story.js';
import { invoke } from '../api.js';

/** One datagram of a message, and its story. */
export interface WireDatagram {
  readonly bytes: Uint8Array;
  readonly story: WireStory;
}

export type MessageWire =
  | { readonly status: 'loading' }
  /** `fromText`: a raw datagram, whose original bytes are not kept; these are its text as UTF-8. */
  | { readonly status: 'ready'; readonly datagrams: readonly WireDatagram[]; readonly fromText: boolean }
  | { readonly status: 'missing' }
  | { readonly status: 'error'; readonly message: string };

const encoder = new TextEncoder();

/** A raw message's wire as far as it can be told: its text, encoded again. */
function rawWire(message: ChatMessage): MessageWire {
  const bytes = encoder.encode(message.text);
  return { status: 'ready', datagrams: [{ bytes, story: rawStory(bytes) }], fromText: true };
}

/**
 * The datagrams a message travelled in, asked of main (the core keeps recent ones in memory and
 * older ones in the history file). Raw datagrams are not kept: their text stands in for them.
 * `keepPrevious`: while the next message's datagrams are asked for, the last ones stay (a view
 * that follows the newest message does not blink on every message).
 */
export function useMessageWire(message: ChatMessage | null, delayMs = 0, keepPrevious = false): MessageWire | null {
  const [state, setState] = useState<{ key: string; wire: MessageWire } | null>(null);
  const key = message === null ? null : `${message.roomId}\u0000${message.kind}\u0000${message.peerId ?? ''}\u0000${message.id}`;

  useEffect(() => {
    if (message === null || key === null || message.kind === 'raw' || message.peerId === null) return;
    let current = true;
    const { roomId, peerId, id } = message;
    // A short wait where the caller follows a stream (the newest message in presenter mode): one ask per pause, not per message.
    const timer = setTimeout(() => {
      void invoke((api) => api.getMessageWire({ roomId, peerId, id })).then((result) => {
        if (!current) return;
        if (!result.ok) {
          setState({ key, wire: { status: 'error', message: result.error.message } });
          return;
        }
        const datagrams = (result.value ?? []).map(fromBase64);
        if (result.value === null || datagrams.some((d) => d === null)) {
          setState({ key, wire: { status: 'missing' } });
          return;
        }
        setState({ key, wire: { status: 'ready', datagrams: datagrams.map((bytes) => ({ bytes: bytes as Uint8Array, story: wireStory(bytes as Uint8Array) })), fromText: false } });
      });
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // The key names the message; the object itself may be replaced by an equal one.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, delayMs]);

  if (message === null) return null;
  if (message.kind === 'raw' || message.peerId === null) return rawWire(message);
  if (state !== null && (state.key === key || keepPrevious)) return state.wire;
  return { status: 'loading' };
}
