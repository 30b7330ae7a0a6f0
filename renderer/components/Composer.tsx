import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { RoomSnapshot } from '../../shared/events.js';
import { MAX_DATAGRAM_BYTES, MAX_TEXT_BYTES } from '../../shared/protocol/constants.js';
import { utf8Length } from '../../shared/protocol/codec.js';
import { invoke } from '../api.js';
import { tryComposerFocus } from '../lib/focus-request.js';
import { appendOwnMessage } from '../store/actions.js';
import { setDraft, useDraft, useDrafts } from '../store/drafts.js';
import { useRoom } from '../store/selectors.js';

/** Why the room cannot take a message right now, or null when it can. */
export function notJoinedReason(room: RoomSnapshot | undefined): string | null {
  if (!room) return 'Choose a room to send messages.';
  switch (room.status) {
    case 'joined':
      return null;
    case 'joining':
      return 'Joining the group… you can send as soon as the room is joined.';
    case 'reconnecting':
      return `Reconnecting… The network changed or went away; the room rejoins by itself, then you can send again. ${room.error?.message ?? ''}`.trim();
    case 'error':
      return `This room is not joined, so nothing can be sent. ${room.error?.message ?? 'Leave it and add it again to retry.'}`;
    case 'leaving':
      return 'Leaving: staying a moment to resend what others missed.';
    case 'left':
      return 'You left this room. Add it again to send messages.';
  }
}

/** Message input: Enter sends, Shift+Enter starts a new line. What is typed is the room's draft until sent. */
export function Composer({ roomId }: { roomId: string }) {
  const room = useRoom(roomId);
  const text = useDraft(roomId);
  const setText = (value: string) => setDraft(roomId, value);
  const [raw, setRaw] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = useId();

  const reason = notJoinedReason(room);
  const disabled = reason !== null;
  // A room switch or a join asked for focus here: take it once the box exists and can be typed in.
  useEffect(() => {
    tryComposerFocus(roomId);
  }, [roomId, disabled]);
  const bytes = utf8Length(text);
  const limit = raw ? MAX_DATAGRAM_BYTES : MAX_TEXT_BYTES;
  const tooLong = bytes > limit;
  const canSend = reason === null && !sending && !tooLong && text.trim() !== '';

  const send = async () => {
    if (!canSend) return;
    setSending(true);
    setError(null);
    const result = await invoke((api) => api.sendMessage({ roomId, text, raw }));
    setSending(false);
    if (result.ok) {
      // Only what was sent: anything typed while it was on its way stays.
      if ((useDrafts.getState().drafts[roomId] ?? '') === text) setText('');
      appendOwnMessage(result.value);
    } else {
      setError(result.error.message);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // isComposing: Enter also confirms an IME candidate (Japanese, Chinese); that Enter is not "send".
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };

  const describedBy = [`${ids}-counter`, reason ? `${ids}-reason` : null, `${ids}-help`].filter(Boolean).join(' ');

  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Send a message">
      {reason ? (
        <p id={`${ids}-reason`} className="composer__reason" role="status">
          {reason}
        </p>
      ) : null}
      <div className="composer__row">
        <textarea
          id="composer"
          data-room-id={roomId}
          className="composer__input"
          aria-label={room ? `Message to ${room.name}` : 'Message'}
          aria-describedby={describedBy}
          aria-invalid={tooLong || undefined}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          disabled={disabled}
          rows={2}
          placeholder={reason ? undefined : raw ? 'Bare text, exactly as sent' : 'Write a message'}
        />
        <button type="submit" className="button button--primary" disabled={!canSend}>
          Send
        </button>
      </div>
      <div className="composer__footer">
        <label className="checkbox">
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} aria-describedby={`${ids}-raw-help`} />
          Raw
        </label>
        <span id={`${ids}-raw-help`} className="hint composer__raw-help">
          Send bare text, as the Python snippets do: no header, no nickname, one datagram of at most {MAX_DATAGRAM_BYTES} bytes.
        </span>
        <span id={`${ids}-counter`} className={tooLong ? 'byte-counter byte-counter--over' : 'byte-counter'}>
          {bytes} / {limit} bytes
        </span>
      </div>
      <p id={`${ids}-help`} className="visually-hidden">
        Enter sends, Shift+Enter starts a new line.
      </p>
      {tooLong ? (
        <p className="field__error" role="alert">
          Too long to send: {bytes} bytes of UTF-8, the limit is {limit}
          {raw ? ' for a raw datagram' : ''}. Shorten the message{raw ? ' or turn off Raw' : ''}.
        </p>
      ) : null}
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
