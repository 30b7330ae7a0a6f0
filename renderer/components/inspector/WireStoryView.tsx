import type { ChatMessage, RoomSnapshot } from '../../../shared/events.js';
import { useMessageWire } from '../../hooks/use-message-wire.js';
import { journey, summaryFacts } from '../../lib/wire-facts.js';
import { useChatStore } from '../../store/store.js';
import { DatagramView } from './DatagramView.js';
import { HeaderFields } from './HeaderFields.js';
import { WireFacts } from './WireFacts.js';

interface Props {
  readonly message: ChatMessage;
  readonly room: RoomSnapshot;
  /** Presenter mode: fingerprints and key ids left out, the first datagram only, its hex folded. */
  readonly compact: boolean;
  /** Wait this long before asking main for the datagrams (the newest message of a busy room changes often). */
  readonly delayMs?: number;
  /** Following the newest message: keep the last datagrams on screen until the next ones are read. */
  readonly follow?: boolean;
}

/** A message's wire story: the facts, how it got here, its header fields and its datagrams. */
export function WireStoryView({ message, room, compact, delayMs = 0, follow = false }: Props) {
  const wire = useMessageWire(message, delayMs, follow);
  const ownFingerprint = useChatStore((s) => s.fingerprint);
  const datagrams = wire?.status === 'ready' ? wire.datagrams : [];
  const first = datagrams[0];
  const lines = journey(message, room, { presenter: compact, ownFingerprint, wireKeyId: first?.story.keyId ?? null });
  const shown = compact ? datagrams.slice(0, 1) : datagrams;

  const facts = (
    <>
      <WireFacts facts={summaryFacts(message, room)} />
      <ul className="wire-journey" aria-label="How it got here">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </>
  );
  const bytes = (
    <>
      {wire?.status === 'loading' ? <p className="hint">Reading the datagrams…</p> : null}
      {wire?.status === 'missing' ? <p className="hint">Its datagrams are no longer kept (neither in memory nor in this room's saved history).</p> : null}
      {wire?.status === 'error' ? <p className="field-error">The datagrams could not be read: {wire.message}</p> : null}
      {wire?.status === 'ready' && wire.fromText ? (
        <p className="hint">
          The original bytes of a raw datagram are not kept. Below is its text as shown, encoded as UTF-8 ({datagrams[0]?.bytes.length ?? 0} bytes; the datagram had {message.bytes}).
        </p>
      ) : null}
      {first && first.story.type === 'enc' ? (
        <p className="hint">Only this clear header can be read on the wire: the chat frame inside (nick, id, seq, TTL, time and text) is the ciphertext, which only members with the passphrase can open.</p>
      ) : null}
      {first && !compact ? <HeaderFields fields={first.story.fields} caption={datagrams.length > 1 ? 'Header of datagram 1 (the others differ in frag, n and sig)' : 'Header fields'} /> : null}
      {shown.map((datagram, i) => (
        <DatagramView key={i} datagram={datagram} index={i} count={datagrams.length} compact={compact} />
      ))}
      {shown.length < datagrams.length ? <p className="hint">…and {datagrams.length - shown.length} more datagrams.</p> : null}
    </>
  );

  // On a projector the datagram itself leads: the class sees the bytes first, the facts under them.
  return (
    <div className="wire-story">
      {compact ? bytes : facts}
      {compact ? facts : bytes}
    </div>
  );
}
