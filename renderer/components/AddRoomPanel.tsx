import { useRef, useState } from 'react';
import { AddRoomForm } from './AddRoomForm.js';
import { Dialog } from './Dialog.js';

/** "+ Add a room" opens the form in a dialog: room to breathe, where the sidebar has 240 px. */
export function AddRoomPanel() {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  return (
    <div className="add-room-panel">
      <button ref={toggle} type="button" className="button add-room-panel__toggle" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        + Add a room
      </button>
      {open ? (
        <Dialog title="Add a room" onClose={() => setOpen(false)}>
          <AddRoomForm onJoined={() => setOpen(false)} />
        </Dialog>
      ) : null}
    </div>
  );
}
