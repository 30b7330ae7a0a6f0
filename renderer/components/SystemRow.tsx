import { memo } from 'react';
import type { SystemEntry } from '../store/messages-slice.js';
import { formatDateTime, formatTime, isoTime } from '../lib/format.js';
import { LossMarker } from './LossMarker.js';

/** A line the app wrote itself, such as "alice joined", or a loss marker. */
export const SystemRow = memo(function SystemRow({ entry }: { entry: SystemEntry }) {
  if (entry.gap) return <LossMarker entry={entry} gap={entry.gap} />;
  return (
    <p className={`system-line system-line--${entry.tone}`}>
      <time dateTime={isoTime(entry.ts)} title={formatDateTime(entry.ts)}>
        {formatTime(entry.ts)}
      </time>{' '}
      {entry.text}
    </p>
  );
});
