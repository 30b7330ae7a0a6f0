import { setPresenter, usePresenter } from '../store/inspector-store.js';

/** One switch for the projector: large text, strong contrast, the newest message's wire story. */
export function PresenterSwitch() {
  const presenter = usePresenter();
  return (
    <button
      type="button"
      className={`button ${presenter ? 'button--primary' : 'button--quiet'} presenter-switch`}
      aria-pressed={presenter}
      title="Large text and the latest message's wire story, for a projector. Fingerprints and key ids are hidden."
      onClick={() => setPresenter(!presenter)}
    >
      Presenter mode
    </button>
  );
}
