import { addNotice } from '../store/actions.js';
import { usePresenter } from '../store/inspector-store.js';
import { savePreferences } from '../store/preferences-store.js';

/** One switch for the projector: large text, strong contrast, the newest message's wire story. */
export function PresenterSwitch() {
  const presenter = usePresenter();
  return (
    <button
      type="button"
      className={`button ${presenter ? 'button--primary' : 'button--quiet'} presenter-switch`}
      aria-pressed={presenter}
      title="Large text and the latest message's wire story, for a projector. Fingerprints and key ids are hidden."
      onClick={() => void togglePresenter(!presenter)}
    >
      Presenter mode
    </button>
  );
}

// Saved in the preferences, like the Settings dialog's checkbox; the header has no room for an inline error.
async function togglePresenter(on: boolean): Promise<void> {
  const error = await savePreferences({ presenter: on });
  if (error) addNotice('error', `Presenter mode was not saved: ${error}`);
}
