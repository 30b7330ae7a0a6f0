import type { ReactNode } from 'react';

export interface ControlProps {
  readonly id: string;
  readonly 'aria-describedby': string | undefined;
  readonly 'aria-invalid': true | undefined;
}

interface Props {
  readonly id: string;
  readonly label: string;
  readonly hint?: ReactNode;
  readonly error?: string | null;
  readonly warnings?: readonly string[];
  /** Renders the control with the id and descriptions wired to the label, hint and messages. */
  readonly children: (control: ControlProps) => ReactNode;
}

/** A labelled form control with its hint, its error (blocking) and its warnings (advice) under it. */
export function Field({ id, label, hint, error, warnings = [], children }: Props) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null, warnings.length > 0 ? `${id}-warnings` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy || undefined, 'aria-invalid': error ? true : undefined })}
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
      {warnings.length > 0 ? (
        <ul id={`${id}-warnings`} className="field__warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
