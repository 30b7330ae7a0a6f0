import type { RoomHistoryState } from '../store/history-slice.js';

/**
 * Over the top of the log: an older page on its way, or why it could not come and a way to try
 * again. The region stays in the DOM while empty, so screen readers announce what appears in it.
 */
export function HistoryStatus({ state, onRetry }: { state: RoomHistoryState | undefined; onRetry: () => void }) {
  // The first page loads while the view is at the bottom: no need to say so at the top.
  const loadingOlder = state?.status === 'loading' && typeof state.before === 'number';
  return (
    <div className="log__history" role="status">
      {loadingOlder ? 'Loading older messages…' : null}
      {state?.status === 'failed' ? (
        <>
          Older messages could not be loaded. {state.error}{' '}
          <button type="button" className="button button--quiet" onClick={onRetry}>
            Try again
          </button>
        </>
      ) : null}
    </div>
  );
}
