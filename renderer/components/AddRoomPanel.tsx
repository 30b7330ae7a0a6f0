import { useId, useState } from 'react';
import { useChatStore } from '../store/store.js';
import { AddRoomForm } from './AddRoomForm.js';

/** The add-room form behind a toggle; open by itself while there is no room yet. */
export function AddRoomPanel() {
  const hasRooms = useChatStore((s) => s.roomOrder.length > 0);
  const [choice, setChoice] = useState<boolean | null>(null);
  const open = choice ?? !hasRooms;
  const formId = useId();
  return (
    <section className="add-room-panel" aria-label="Add a room">
      <button type="button" className="button add-room-panel__toggle" aria-expanded={open} aria-controls={formId} onClick={() => setChoice(!open)}>
        {open ? 'Hide add room' : '+ Add a room'}
      </button>
      {open ? (
        <div id={formId}>
          <AddRoomForm onJoined={() => setChoice(false)} />
        </div>
      ) : null}
    </section>
  );
}
