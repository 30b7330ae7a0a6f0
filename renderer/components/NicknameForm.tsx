import { useId, useState, type FormEvent } from 'react';
import { nicknameSchema } from '../../shared/room-config.js';
import { invoke } from '../api.js';
import { setNicknameInStore } from '../store/actions.js';

interface Props {
  readonly initial: string;
  readonly label: string;
  readonly submitLabel: string;
  readonly autoFocus?: boolean;
  readonly onSaved?: (nickname: string) => void;
  readonly onCancel?: () => void;
}

/** Validates with the shared schema as the user types, then asks main to save it. */
export function NicknameForm({ initial, label, submitLabel, autoFocus, onSaved, onCancel }: Props) {
  const id = useId();
  const [value, setValue] = useState(initial);
  const [edited, setEdited] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  const parsed = nicknameSchema.safeParse(value);
  const localError = parsed.success ? null : (parsed.error.issues[0]?.message ?? 'This nickname cannot be used.');
  const error = saveError ?? (edited ? localError : null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setEdited(true);
    if (!parsed.success) return;
    setBusy(true);
    const result = await invoke((api) => api.setNickname(parsed.data));
    setBusy(false);
    if (!result.ok) {
      setSaveError(result.error.message);
      return;
    }
    setNicknameInStore(result.value);
    onSaved?.(result.value);
  };

  return (
    <form className="nickname-form" onSubmit={(e) => void onSubmit(e)} noValidate>
      <label htmlFor={`${id}-nick`}>{label}</label>
      <div className="nickname-form__row">
        <input
          id={`${id}-nick`}
          type="text"
          value={value}
          autoFocus={autoFocus}
          // The suggestion ("guest") selected: typing a name replaces it instead of making "guestZed".
          onFocus={(e) => {
            if (!edited) e.currentTarget.select();
          }}
          autoComplete="nickname"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setValue(e.target.value);
            setEdited(true);
            setSaveError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && onCancel) onCancel();
          }}
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button button--quiet" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
