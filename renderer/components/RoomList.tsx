import { useRef, type KeyboardEvent } from 'react';
import { selectRoom } from '../store/actions.js';
import { useChatStore } from '../store/store.js';
import { RoomListItem } from './RoomListItem.js';

/** Joined rooms. Up/Down/Home/End move between them; the focused room opens at once. */
export function RoomList() {
  const order = useChatStore((s) => s.roomOrder);
  const selected = useChatStore((s) => s.selectedRoomId);
  const listRef = useRef<HTMLUListElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const index = order.indexOf(event.currentTarget.dataset.roomId ?? '');
    const targets: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: order.length - 1 };
    const target = targets[event.key];
    if (target === undefined || order.length === 0) return;
    event.preventDefault();
    const id = order[(target + order.length) % order.length];
    if (!id) return;
    selectRoom(id);
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button[data-room-id]') ?? [];
    Array.from(buttons).find((b) => b.dataset.roomId === id)?.focus();
  };

  // Exactly one room button is in the tab order, even before anything is selected.
  const focusId = selected !== null && order.includes(selected) ? selected : order[0];

  if (order.length === 0) return <p className="hint">No rooms yet. Add one below: everyone on the same group and port is in the same room.</p>;

  return (
    <ul ref={listRef} className="room-list" aria-label="Joined rooms">
      {order.map((id, position) => (
        <RoomListItem key={id} roomId={id} selected={id === selected} focusable={id === focusId} position={position} onKeyDown={onKeyDown} />
      ))}
    </ul>
  );
}
