import { PART_LABELS, type WirePart, type WirePartKind } from '../../../shared/wire-story.js';

/** Which colour is which part, with its size: "marker 5 B · header 162 B · signature 95 B …". */
export function PartLegend({ parts }: { parts: readonly WirePart[] }) {
  const sizes = new Map<WirePartKind, number>();
  for (const part of parts) sizes.set(part.kind, (sizes.get(part.kind) ?? 0) + part.end - part.start);
  return (
    <ul className="wire-legend" aria-label="Parts of the datagram">
      {[...sizes].map(([kind, size]) => (
        <li key={kind}>
          <span className={`wire-part wire-part--${kind} wire-legend__swatch`} aria-hidden="true" />
          {PART_LABELS[kind]} {size} B
        </li>
      ))}
    </ul>
  );
}
