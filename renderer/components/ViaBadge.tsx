import type { ChatMessage } from '../../shared/events.js';

/** A message that did not simply arrive: brought by loss repair, or after it was given up. */
export function ViaBadge({ via }: { via: ChatMessage['via'] }) {
  if (via === 'repair') {
    return (
      <span className="badge badge--via" title="Missing at first: a NACK asked for it, and it was sent again">
        repaired
      </span>
    );
  }
  if (via === 'late') {
    return (
      <span className="badge badge--via" title="Given up as lost, then it arrived after all: shown where it belongs">
        arrived late
      </span>
    );
  }
  return null;
}
