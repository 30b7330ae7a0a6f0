import { useId } from 'react';
import { Dialog } from './Dialog.js';

/** Before leaving a passphrase room: coming back takes the passphrase again. */
export function ConfirmLeave({ roomName, onLeave, onCancel }: { roomName: string; onLeave: () => void; onCancel: () => void }) {
  const id = useId();
  return (
    <Dialog title={`Leave ${roomName}?`} role="alertdialog" describedBy={id} onClose={onCancel}>
      <p id={id}>This room has a passphrase. To join it again you will have to type the passphrase again.</p>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onCancel} data-autofocus>
          Stay
        </button>
        <button type="button" className="button button--primary" onClick={onLeave}>
          Leave {roomName}
        </button>
      </div>
    </Dialog>
  );
}
