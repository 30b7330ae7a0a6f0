import type { WireDatagram } from '../../hooks/use-message-wire.js';
import { HexDump } from './HexDump.js';
import { PartLegend } from './PartLegend.js';
import { WireText } from './WireText.js';

interface Props {
  readonly datagram: WireDatagram;
  readonly index: number;
  readonly count: number;
  /** Presenter mode: the text view large and without key or peer ids, the hex dump folded away. */
  readonly compact?: boolean;
}

/** One datagram: what it is, its parts as text and as a hex dump. */
export function DatagramView({ datagram, index, count, compact = false }: Props) {
  const { bytes, story } = datagram;
  const name = count > 1 ? `Datagram ${index + 1} of ${count}` : 'The datagram';
  return (
    <section className="datagram" aria-label={name}>
      <h3 className="datagram__title">
        {name} · {bytes.length} bytes
      </h3>
      {compact ? null : <p className="datagram__note">{story.note}</p>}
      <PartLegend parts={story.parts} />
      <WireText bytes={bytes} parts={story.parts} mask={compact} />
      {compact ? (
        <details className="datagram__hex">
          <summary>Bytes in hex</summary>
          <HexDump bytes={bytes} parts={story.parts} label={`Hex dump of ${name.toLowerCase()}`} />
        </details>
      ) : (
        <HexDump bytes={bytes} parts={story.parts} label={`Hex dump of ${name.toLowerCase()}`} />
      )}
    </section>
  );
}
