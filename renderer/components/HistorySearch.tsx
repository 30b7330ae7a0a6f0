import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ChatMessage } from '../../shared/events.js';
import { invoke } from '../api.js';
import { formatDateTime, formatNumber, isoTime } from '../lib/format.js';
import { MessageText } from './MessageText.js';

/** Results per search: enough to find a message, few enough to read. */
const SEARCH_LIMIT = 50;

interface Found {
  readonly query: string;
  readonly messages: readonly ChatMessage[];
}

/** Searches the room's saved history (newest first); Escape or Close puts it away. */
export function HistorySearch({ roomId, roomName, onClose }: { roomId: string; roomName: string; onClose: () => void }) {
  const ids = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => inputRef.current?.focus(), []);

  const search = async (event: FormEvent) => {
    event.preventDefault();
    const text = query.trim();
    if (text === '') {
      setError('Type what to look for.');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await invoke((api) => api.searchHistory({ roomId, query: text, limit: SEARCH_LIMIT }));
    setBusy(false);
    if (result.ok) setFound({ query: text, messages: result.value });
    else setError(result.error.message);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <section className="history-search" aria-label={`Search ${roomName}`} onKeyDown={onKeyDown}>
      <form role="search" className="history-search__form" onSubmit={(e) => void search(e)} noValidate>
        <label htmlFor={`${ids}-query`}>Search saved messages</label>
        <input
          ref={inputRef}
          id={`${ids}-query`}
          type="search"
          value={query}
          maxLength={200}
          onChange={(e) => setQuery(e.target.value)}
          aria-describedby={error ? `${ids}-error` : undefined}
          aria-invalid={error ? true : undefined}
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Searching…' : 'Search'}
        </button>
        <button type="button" className="button button--quiet" onClick={onClose}>
          Close search
        </button>
      </form>
      {error ? (
        <p id={`${ids}-error`} className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="hint" role="status">
        {found ? summary(found) : ''}
      </p>
      {found && found.messages.length > 0 ? (
        <ol className="history-search__results" aria-label={`Messages containing “${found.query}”`}>
          {found.messages.map((m) => (
            <li key={`${m.kind}:${m.peerId ?? ''}:${m.id}`} className="history-search__result">
              <span className="message__nick">{m.kind === 'raw' ? `raw from ${m.src}` : m.nick}</span>{' '}
              {/* Results span days: the date, not just the time. */}
              <time dateTime={isoTime(m.ts)}>{formatDateTime(m.ts)}</time>
              <p className="message__text">
                <MessageText text={m.text} />
              </p>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

function summary({ query, messages }: Found): string {
  if (messages.length === 0) return `No saved message contains “${query}”.`;
  const count = messages.length === 1 ? '1 saved message contains' : `${formatNumber(messages.length)} saved messages contain`;
  const more = messages.length >= SEARCH_LIMIT ? ` Showing the newest ${SEARCH_LIMIT}; add words to narrow it down.` : ' Newest first.';
  return `${count} “${query}”.${more}`;
}
