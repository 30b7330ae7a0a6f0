import { useCallback, useEffect, useState } from 'react';
import type { ChatErrorInfo } from '../../shared/errors.js';
import type { RoomSnapshot } from '../../shared/events.js';
import type { GroupView } from '../../shared/group-view.js';
import { invoke } from '../api.js';

export type GroupViewState = { readonly view: GroupView; readonly error: null } | { readonly view: null; readonly error: ChatErrorInfo };

/**
 * Main's reading of the room's group in the OS. Asked again when the room joins, rejoins
 * elsewhere or the user asks (`recheck`): memberships change with those, not on a timer.
 * Null while the answer for the current room and interfaces is on its way.
 */
export function useGroupView(room: RoomSnapshot): { readonly state: GroupViewState | null; readonly recheck: () => void } {
  const [asked, setAsked] = useState(0);
  const key = `${room.roomId}\n${room.status}\n${room.interfaces.map((i) => i.name).join(',')}\n${asked}`;
  const [result, setResult] = useState<{ key: string; state: GroupViewState } | null>(null);
  const roomId = room.roomId;

  useEffect(() => {
    let cancelled = false;
    void invoke((api) => api.getGroupView(roomId)).then((answer) => {
      if (cancelled) return;
      setResult({ key, state: answer.ok ? { view: answer.value, error: null } : { view: null, error: answer.error } });
    });
    return () => {
      cancelled = true;
    };
  }, [key, roomId]);

  const recheck = useCallback(() => setAsked((n) => n + 1), []);
  return { state: result && result.key === key ? result.state : null, recheck };
}
