import { ChatError } from './errors.js';
import { utf8Length } from './protocol/codec.js';
import { MAX_DATAGRAM_BYTES, MAX_TEXT_BYTES } from './protocol/constants.js';

/**
 * Not sent: C0 controls but tab and line feed (ESC starts terminal sequences, CR rewrites a
 * line, BEL rings), DEL and C1. Our receivers show them escaped, but `print(data.decode())`,
 * `nc -u` or `tcpdump -A` hand them to a terminal as they are.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

/**
 * What a text to send is refused for, as the error the sender gets (null: it may go out). One
 * rule for the core and the renderer's scripted core: `raw` is one datagram of bytes as typed.
 */
export function outgoingTextProblem(text: string, raw: boolean): ChatError | null {
  const bytes = utf8Length(text);
  if (raw ? bytes === 0 : text.trim().length === 0) return new ChatError('EMPTY_TEXT', 'There is nothing to send.', 'text');
  const limit = raw ? MAX_DATAGRAM_BYTES : MAX_TEXT_BYTES;
  if (bytes > limit) {
    return new ChatError(
      'TEXT_TOO_LONG',
      raw ? `A raw datagram is sent as one packet of at most ${MAX_DATAGRAM_BYTES} bytes; this one is ${bytes} bytes.` : `A message can be at most ${MAX_TEXT_BYTES} bytes of UTF-8; this one is ${bytes} bytes.`,
      'text',
    );
  }
  const control = CONTROL_CHARACTER.exec(text);
  if (control) {
    const code = (control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return new ChatError(
      'INVALID_ARGUMENT',
      `A message cannot contain control characters (this one has U+${code}): a student printing the datagram would have them act on the terminal. Tabs and line breaks are fine.`,
      'text',
    );
  }
  return null;
}
