import { memo } from 'react';
import type { GapReport } from '../../shared/events.js';
import { formatDateTime, formatTime, isoTime, shortPeerId } from '../lib/format.js';
import type { SystemEntry } from '../store/messages-slice.js';

// Text-style glyphs (U+FE0E): the same weight as the words, never a colour emoji.
const ICONS: Record<GapReport['state'], string> = {
  asking: '\u21bb\ufe0e',
  repaired: '\u2713\ufe0e',
  lost: '\u2717\ufe0e',
  partly: '\u25d0\ufe0e',
  outOfScope: '\u2218\ufe0e',
};

const seqs = (gap: GapReport): string => (gap.first === gap.last ? `seq ${gap.first}` : `seq ${gap.first}–${gap.last}`);

/**
 * Where messages went missing, in the log at that place: what is missing and how the repair
 * stands, in words (the icon and colour repeat it). Everything from the wire is text.
 */
export const LossMarker = memo(function LossMarker({ entry, gap }: { entry: SystemEntry; gap: GapReport }) {
  const title = `${seqs(gap)} of ${gap.nick} (peer ${shortPeerId(gap.peerId)}). A NACK asks the room to send a missing message again; the sender, or anyone who has it, answers.`;
  return (
    <p className={`loss-marker loss-marker--${gap.state}`} title={title}>
      <span className="loss-marker__icon" aria-hidden="true">
        {ICONS[gap.state]}
      </span>
      <time dateTime={isoTime(entry.ts)} title={formatDateTime(entry.ts)}>
        {formatTime(entry.ts)}
      </time>{' '}
      <span className="loss-marker__text">{entry.text}</span> <span className="loss-marker__seqs">{seqs(gap)}</span>
    </p>
  );
});
