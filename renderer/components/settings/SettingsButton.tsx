import { useState } from 'react';
import { SettingsDialog } from './SettingsDialog.js';

/** "Settings" in the header; the dialog gives focus back to this button when it closes. */
export function SettingsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button--quiet settings-button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Settings
      </button>
      {open ? <SettingsDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}
