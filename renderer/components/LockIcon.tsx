/**
 * A padlock for a passphrase room, with words for screen readers: the icon alone (or its colour)
 * never carries the meaning. `label` is what a screen reader hears; `text` is shown next to it,
 * in monospace when it is a `code` (a key id).
 */
export function LockIcon({ label = 'Private room, encrypted with a passphrase', text, code = false }: { label?: string; text?: string; code?: boolean }) {
  return (
    <span className="lock" title={label}>
      <svg className="lock__icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
        <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2" fill="none" stroke="currentColor" strokeWidth="1.8" />
        <rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor" />
      </svg>
      {text ? <span className={code ? 'lock__text lock__text--code' : 'lock__text'}>{text}</span> : null}
      <span className="visually-hidden">{text ? `: ${label}` : label}</span>
    </span>
  );
}
