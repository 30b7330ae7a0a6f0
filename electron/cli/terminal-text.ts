/**
 * Text from the network, made safe to print to a terminal. A terminal obeys what it is sent:
 * ESC starts sequences that move the cursor, erase lines, set the window title or write the
 * clipboard (OSC 0, OSC 52); CR rewrites the current line; bidi overrides reorder what follows.
 * Any of these in a message or a nickname would let a peer draw a line that looks like someone
 * else's. So every such character is shown as a visible escape (`\x1b`, `\u202e`) instead.
 */
import { UNSAFE_TEXT_CHARS_GLOBAL } from '../../shared/room-config.js';

function escapeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/** One line of untrusted text: every control, format or bidi character escaped, line breaks included. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_TEXT_CHARS_GLOBAL, escapeChar);
}

/**
 * A message body under a header: its lines escaped one by one, every line after the first
 * indented by `indent`, so no line of a message can start where a message header starts.
 * CRLF counts as one line break; a lone CR is shown as `\x0d`.
 */
export function indentedBody(text: string, indent: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => terminalSafe(line))
    .join(`\n${indent}`);
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, C1 and bidi characters raw. Escaping them
 * too (as \uXXXX) keeps `--json` output harmless on a terminal and parses to the same value.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(UNSAFE_TEXT_CHARS_GLOBAL, (char) => {
    const code = char.codePointAt(0) ?? 0;
    if (code > 0xffff) {
      const high = Math.floor((code - 0x10000) / 0x400) + 0xd800;
      const low = ((code - 0x10000) % 0x400) + 0xdc00;
      return `\\u${high.toString(16)}\\u${low.toString(16)}`;
    }
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
