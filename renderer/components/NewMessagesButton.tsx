/** Shown while the user reads older messages; brings back the live end of the log. */
export function NewMessagesButton({ unseen, onClick }: { unseen: number; onClick: () => void }) {
  return (
    <button type="button" className="jump-to-latest" onClick={onClick}>
      {unseen > 0 ? `${unseen} new message${unseen === 1 ? '' : 's'}` : 'Jump to latest'} <span aria-hidden="true">↓</span>
    </button>
  );
}
