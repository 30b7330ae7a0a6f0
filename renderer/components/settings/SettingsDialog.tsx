import { useEffect, useId, useRef, useState } from 'react';
import type { Theme } from '../../../shared/preferences.js';
import { usePresenter } from '../../store/inspector-store.js';
import { loadPreferences, savePreferences, usePreferencesStore } from '../../store/preferences-store.js';
import { useChatStore } from '../../store/store.js';
import { Dialog } from '../Dialog.js';
import { ChoiceGroup, type Choice } from './ChoiceGroup.js';
import { InterfaceSetting } from './InterfaceSetting.js';
import { NicknameField, useNicknameDraft } from './NicknameField.js';
import { NotificationSettings } from './NotificationSettings.js';
import type { SavePreference } from './save.js';

const THEMES: readonly Choice<Theme>[] = [
  { value: 'system', label: 'System', description: "Follows your desktop's light or dark setting." },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

type Outcome = { readonly saved: string } | { readonly error: string } | null;

/**
 * Every preference in one place. Each change is saved at once; the nickname, typed out, has its
 * own Save, and Done (or closing the dialog) saves a changed one too: a valid nickname is saved
 * before the dialog closes, an invalid one keeps the dialog open with its error and focus on it.
 */
export function SettingsDialog({ onClose }: { readonly onClose: () => void }) {
  const id = useId();
  const nickname = useChatStore((s) => s.nickname);
  const { preferences, loadError } = usePreferencesStore();
  const presenter = usePresenter();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const nickInput = useRef<HTMLInputElement>(null);
  const nick = useNicknameDraft(nickname, nickInput, (saved) => setOutcome({ saved: `You are now ${saved}.` }));

  // Read again on open: the tray menu can change close-to-tray while the page is not looking.
  useEffect(() => {
    void loadPreferences();
  }, []);

  const save: SavePreference = (what, patch) => {
    setOutcome(null);
    void savePreferences(patch).then((error) => setOutcome(error ? { error: `${what} was not saved: ${error}` } : { saved: 'Saved.' }));
  };

  const close = () => {
    const commit = nick.commit();
    if (commit.kind === 'unchanged') onClose();
    else if (commit.kind === 'saving') {
      setOutcome(null);
      void commit.done.then((saved) => {
        if (saved) onClose();
      });
    }
    // 'invalid': the field shows why and has focus; the dialog stays.
  };

  return (
    <Dialog title="Settings" onClose={close}>
      <div className="settings">
        <div className="settings__section">
          <NicknameField draft={nick} inputRef={nickInput} label="Nickname" />
        </div>
        {preferences ? (
          <>
            <NotificationSettings notifications={preferences.notifications} save={save} />
            <div className="settings__section">
              <h3 className="settings__title">
                Tray
              </h3>
              <label className="checkbox">
                <input type="checkbox" checked={preferences.closeToTray} aria-describedby={`${id}-tray-hint`} onChange={(e) => save('The tray setting', { closeToTray: e.target.checked })} />
                Keep running in the tray when the window closes
              </label>
              <p id={`${id}-tray-hint`} className="hint settings__description">
                Your rooms stay joined and the tray icon shows unread messages; Quit is in its menu. Where the desktop has no tray, closing the window quits.
              </p>
            </div>
            <div className="settings__section">
              <ChoiceGroup legend="Theme" value={preferences.theme} choices={THEMES} onChange={(theme) => save('The theme', { theme })} />
            </div>
            <div className="settings__section">
              <h3 className="settings__title">
                Presenter mode
              </h3>
              {/* The same state as the header's Presenter mode button: both save it in the preferences. */}
              <label className="checkbox">
                <input type="checkbox" checked={presenter} aria-describedby={`${id}-presenter-hint`} onChange={(e) => save('Presenter mode', { presenter: e.target.checked })} />
                Presenter mode
              </label>
              <p id={`${id}-presenter-hint`} className="hint settings__description">
                Large text and the latest message&apos;s wire story, for a projector. Fingerprints and key ids are hidden.
              </p>
            </div>
            <InterfaceSetting value={preferences.defaultIface} save={save} />
          </>
        ) : (
          <p className={loadError ? 'field__error' : 'hint'}>{loadError ? `Your preferences could not be read: ${loadError}` : 'Reading your preferences…'}</p>
        )}
        {outcome && 'error' in outcome ? (
          <p role="alert" className="field__error">
            {outcome.error}
          </p>
        ) : null}
        <p role="status" className="hint">
          {outcome && 'saved' in outcome ? outcome.saved : ''}
        </p>
      </div>
      <div className="dialog__actions">
        <button type="button" className="button button--primary" onClick={close}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
