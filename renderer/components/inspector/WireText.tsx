import { memo } from 'react';
import { PART_LABELS, partText, type WirePart } from '../../../shared/wire-story.js';

/** Long parts (hex of binary, the signature's and keys' base64url) are cut here: a projector shows that they are there, not all of them. */
const LONG_SHOWN = 12;
const LONG: ReadonlySet<WirePart['kind']> = new Set(['ciphertext', 'tag', 'signature', 'keys']);
/** Keys whose values name a key or a peer: a fingerprint, a key id, the key itself. */
const IDENTIFYING = /"(peer|to|pk|kid|sess|toSess)":"[^"]*"/g;

/** For a projector: the structure stays, the values that identify keys and peers go (and the long ones with them). */
function masked(kind: WirePart['kind'], text: string): string {
  if (kind === 'signature') return '<signature, 86 characters>';
  if (kind === 'header' || kind === 'key-id') return text.replace(IDENTIFYING, '"$1":"…"');
  return text;
}

/**
 * The datagram read as text, each part in its colour: `MCC2 ` `{"t":"chat",…}` `\n` `Hello`
 * `\n` and the signature's base64url. What `tcpdump -A` shows, with the parts told apart
 * (ciphertext as hex). Control characters are escapes.
 */
export const WireText = memo(function WireText({ bytes, parts, mask = false }: { bytes: Uint8Array; parts: readonly WirePart[]; mask?: boolean }) {
  return (
    <p className="wire-text">
      {parts.map((part, i) => {
        const size = part.end - part.start;
        let text = partText(bytes, part);
        if (LONG.has(part.kind) && size > LONG_SHOWN) text = `${partText(bytes, { ...part, end: part.start + LONG_SHOWN })} … (${size} bytes)`;
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
