import type { ChatMessage } from '../../shared/events.js';
import { entryKey } from '../store/messages-slice.js';

/**
 * Keyboard movement between the log's message rows. The log is virtualized, so only rows near the
 * view exist: moving one row at a time always finds the next one rendered (the virtualizer keeps
 * a few beyond the view), and scrolling it into view makes the virtualizer render the ones after.
 */
const ROW = '[data-message-key]';

function rowsIn(root: ParentNode): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(ROW));
}

function show(row: HTMLElement): void {
  row.focus({ preventScroll: true });
  // Not in jsdom; in a browser it scrolls the log just enough.
  row.scrollIntoView?.({ block: 'nearest' });
}

/** The row on screen nearest the edge we come from: the newest in view going up, the oldest going down. */
function edgeInView(scroller: HTMLElement, rows: readonly HTMLElement[], step: -1 | 1): HTMLElement | undefined {
  const view = scroller.getBoundingClientRect();
  const inView = rows.filter((row) => {
    const box = row.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  });
  const pool = inView.length > 0 ? inView : rows;
  return step < 0 ? pool[pool.length - 1] : pool[0];
}

/** Moves focus one message up or down from the focused one (or into the view from the log itself). False when there is none. */
export function moveRowFocus(scroller: HTMLElement, step: -1 | 1): boolean {
  const rows = rowsIn(scroller);
  const active = document.activeElement;
  const at = active instanceof HTMLElement ? rows.indexOf(active) : -1;
  const target = at >= 0 ? rows[at + step] : edgeInView(scroller, rows, step);
  if (!target) return false;
  show(target);
  return true;
}

/** Focus back on a message's row after the inspector closes; on the log itself when the row scrolled away. */
export function focusMessageRow(message: ChatMessage): void {
  const key = entryKey(message);
  const row = rowsIn(document).find((el) => el.dataset['messageKey'] === key);
  if (row) show(row);
  else document.querySelector<HTMLElement>('.log__scroller')?.focus();
}
