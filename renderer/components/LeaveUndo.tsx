import { useEffect, useRef, useState } from 'react';
import { focusRoomListSoon } from '../lib/focus-request.js';
import { rejoin } from '../lib/leave.js';
import { forgetLeft, UNDO_MS, useLeftRoom } from '../store/leave-undo.js';

/**
 * "Left Lab. Undo" for a few seconds after leaving. The status region is always on the page
 * so screen readers hear it fill; the time stops while the pointer or focus is on it, so
 * nobody loses the undo while reaching for it.
 */
export function LeaveUndo() {
  const left = useLeftRoom((s) => s.left);
  const position = useLeftRoom((s) => s.position);
  const [held, setHeld] = useState(false);
  const [busy, setBusy] = useState(false);
  // About the room it was tried for; a later leave starts without it.
  const [failure, setFailure] = useState<{ room: unknown; message: string } | null>(null);
  const error = failure && failure.room === left ? failure.message : null;
  const heldBy = useRef({ pointer: false, focus: false });

  useEffect(() => {
    if (!left || held) return;
    const timer = setTimeout(forgetLeft, UNDO_MS);
    return () => clearTimeout(timer);
  }, [left, held]);

  const hold = (by: 'pointer' | 'focus', on: boolean) => {
    heldBy.current[by] = on;
    setHeld(heldBy.current.pointer || heldBy.current.focus);
  };

  const undo = async () => {
    if (!left) return;
    setBusy(true);
    const failed = await rejoin(left, position);
    setBusy(false);
    if (failed) setFailure({ room: left, message: failed.message });
  };

  return (
    <div
      className="leave-undo"
      role="status"
      onPointerEnter={() => hold('pointer', true)}
      onPointerLeave={() => hold('pointer', false)}
      onFocus={() => hold('focus', true)}
      onBlur={() => hold('focus', false)}
    >
      {left ? (
        <div className="leave-undo__toast">
          <span className="leave-undo__text">Left {left.name}.</span>
          <button type="button" className="button button--quiet" onClick={() => void undo()} disabled={busy} aria-label={`Undo: join ${left.name} again`}>
            Undo
          </button>
          <button type="button" className="button button--quiet leave-undo__close" onClick={() => {
              forgetLeft();
              focusRoomListSoon();
            }}
            aria-label="Dismiss">
            <span aria-hidden="true">×</span>
          </button>
          {error ? <p className="field__error">{error}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
