import { memo } from 'react';
import { PART_LABELS, partText, type WirePart } from '../../../shared/wire-story.js';

/** Hex of binary parts is cut here: a projector shows that it is there, not all of it. */
const BINARY_SHOWN = 12;
/** Keys whose values name a key or a peer: a fingerprint, a key id, the key itself. */
const IDENTIFYING = /"(peer|to|pk|kid|sess|toSess)":"[^"]*"/g;

/** For a projector: the structure stays, the values that identify keys and peers go (and the long ones with them). */
function masked(kind: WirePart['kind'], text: string): string {
  if (kind === 'signature') return '<signature, 64 bytes>';
  if (kind === 'header' || kind === 'key-id') return text.replace(IDENTIFYING, '"$1":"…"');
  return text;
}

/**
 * The datagram read as text, each part in its colour: `MCC2 ` `{"t":"chat",…}` `\n` `Hello`
 * then the binary signature as hex. What `tcpdump -A` shows, with the parts told apart (it shows
 * the signature as dots). Control characters are escapes.
 */
export const WireText = memo(function WireText({ bytes, parts, mask = false }: { bytes: Uint8Array; parts: readonly WirePart[]; mask?: boolean }) {
  return (
    <p className="wire-text">
      {parts.map((part, i) => {
        const binary = part.kind === 'ciphertext' || part.kind === 'tag' || part.kind === 'signature' || part.kind === 'keys';
        const size = part.end - part.start;
        let text = partText(bytes, part);
        if (binary && size > BINARY_SHOWN) text = `${partText(bytes, { ...part, end: part.start + BINARY_SHOWN })} … (${size} bytes)`;
        if (mask) text = masked(part.kind, text);
        return (
          <span key={i} className={`wire-part wire-part--${part.kind}`} title={`${PART_LABELS[part.kind]}, ${size} bytes`}>
            {text}
          </span>
        );
      })}
    </p>
  );
});
