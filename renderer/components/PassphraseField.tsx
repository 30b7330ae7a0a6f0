import { useState } from 'react';
import { Field } from './Field.js';

interface Props {
  readonly id: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error: string | null;
  /** WEAK_PASSPHRASE and the like: advice, never a refusal. */
  readonly warnings: readonly string[];
}

/** The optional passphrase of a private room, hidden unless the user asks to see it. */
export function PassphraseField({ id, value, onChange, error, warnings }: Props) {
  const [shown, setShown] = useState(false);
  return (
    <Field
      id={id}
      label="Passphrase (optional)"
      hint="Makes the room private: everything is encrypted. It never leaves this computer; everyone in the room needs the same one."
      error={error}
      warnings={warnings}
    >
      {(control) => (
        <div className="passphrase">
          <input
            {...control}
            type={shown ? 'text' : 'password'}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            placeholder="none: a plain room"
          />
          <button type="button" className="button button--quiet passphrase__toggle" aria-pressed={shown} aria-controls={id} onClick={() => setShown(!shown)}>
            {shown ? 'Hide' : 'Show'}
            <span className="visually-hidden"> passphrase</span>
          </button>
        </div>
      )}
    </Field>
  );
}
