import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { nicknameSchema } from '../../../shared/room-config.js';
import { invoke } from '../../api.js';
import { setNicknameInStore } from '../../store/actions.js';

/**
 * What happens to a typed nickname when it is committed: nothing to do (not changed), kept in the
 * field with its error and focus on it (not valid), or saved (a promise of true when main took it).
 */
export type NicknameCommit = { readonly kind: 'unchanged' } | { readonly kind: 'invalid' } | { readonly kind: 'saving'; readonly done: Promise<boolean> };

export interface NicknameDraft {
  readonly value: string;
  readonly error: string | null;
  readonly busy: boolean;
  readonly change: (value: string) => void;
  /** Saves a changed, valid nickname; an invalid one shows its error and takes focus. */
  readonly commit: () => NicknameCommit;
}

/**
 * The Settings dialog's nickname, held by the dialog so its Save button and the dialog's Done (or
 * closing it) commit the same draft: a typed nickname is never dropped without a word.
 */
export function useNicknameDraft(current: string, inputRef: RefObject<HTMLInputElement | null>, onSaved: (nickname: string) => void): NicknameDraft {
  // null: not edited, so the field shows the nickname as it is now.
  const [draft, setDraft] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inflight = useRef<Promise<boolean> | null>(null);

  const value = draft ?? current;
  const parsed = nicknameSchema.safeParse(value);
  const localError = parsed.success ? null : (parsed.error.issues[0]?.message ?? 'This nickname cannot be used.');
  const error = saveError ?? (draft !== null ? localError : null);

  const commit = (): NicknameCommit => {
    // Save pressed, then Done: wait for that save instead of sending the nickname twice.
    if (inflight.current) return { kind: 'saving', done: inflight.current };
    if (draft === null) return { kind: 'unchanged' };
    if (!parsed.success) {
      inputRef.current?.focus();
      return { kind: 'invalid' };
    }
    if (parsed.data === current) {
      setDraft(null);
      setSaveError(null);
      return { kind: 'unchanged' };
    }
    const sent = draft;
    setBusy(true);
    const done = invoke((api) => api.setNickname(parsed.data)).then((result) => {
      inflight.current = null;
      setBusy(false);
      if (!result.ok) {
        setSaveError(result.error.message);
        inputRef.current?.focus();
        return false;
      }
      setNicknameInStore(result.value);
      // Typed on while it was saving: keep what is in the field.
      setDraft((now) => (now === sent ? null : now));
      onSaved(result.value);
      return true;
    });
    inflight.current = done;
    return { kind: 'saving', done };
  };

  return {
    value,
    error,
    busy,
    change: (next) => {
      setDraft(next);
      setSaveError(null);
    },
    commit,
  };
}

/** The nickname field with its own Save button; validated with the shared schema as the user types. */
export function NicknameField({ draft, inputRef, label }: { readonly draft: NicknameDraft; readonly inputRef: RefObject<HTMLInputElement | null>; readonly label: string }) {
  const id = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    draft.commit();
  };

  return (
    <form className="nickname-form" onSubmit={onSubmit} noValidate>
      <label htmlFor={`${id}-nick`}>{label}</label>
      <div className="nickname-form__row">
        <input
          ref={inputRef}
          id={`${id}-nick`}
          type="text"
          value={draft.value}
          autoComplete="nickname"
          spellCheck={false}
          aria-invalid={draft.error ? true : undefined}
          aria-describedby={draft.error ? `${id}-error` : undefined}
          onChange={(e) => draft.change(e.target.value)}
        />
        <button type="submit" className="button button--primary" disabled={draft.busy}>
          Save
        </button>
      </div>
      {draft.error ? (
        <p id={`${id}-error`} className="field__error">
          {draft.error}
        </p>
      ) : null}
    </form>
  );
}
