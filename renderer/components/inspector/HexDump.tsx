import { memo } from 'react';
import { HEX_ROW_BYTES, hexRows } from '../../../shared/hex-dump.js';
import { PART_LABELS, type WirePart } from '../../../shared/wire-story.js';

/**
 * One datagram as offset, hex and ASCII, each run of bytes coloured by its part of the frame.
 * Plain text in a <pre>: a byte from the network is two hex digits or a dot, never markup or a
 * control character.
 */
export const HexDump = memo(function HexDump({ bytes, parts, label }: { bytes: Uint8Array; parts: readonly WirePart[]; label: string }) {
  const rows = hexRows(bytes, parts);
  return (
    <pre className="hexdump" aria-label={label} tabIndex={0}>
      {rows.map((row) => (
        <span key={row.offset} className="hexdump__row">
          <span className="hexdump__offset">{row.offset}</span>
          {'  '}
          {row.runs.map((run, i) => (
            <span key={i}>
              {i > 0 ? ' ' : null}
              <span className={`wire-part wire-part--${run.kind}`} title={PART_LABELS[run.kind]}>
                {run.hex}
              </span>
            </span>
          ))}
          {' '.repeat((HEX_ROW_BYTES - row.count) * 3)}
          {'  '}
          {row.runs.map((run, i) => (
            <span key={i} className={`wire-part wire-part--${run.kind}`}>
              {run.text}
            </span>
          ))}
          {'\n'}
        </span>
      ))}
    </pre>
  );
});
