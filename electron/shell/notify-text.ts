/**
 * Text for the desktop's notifications. Nicknames and messages come from anyone on the LAN: the
 * OS shows what it is given, so control characters (a fake second line), bidi overrides (text
 * that reads backwards) and invisible formatting are removed and the length is capped.
 */

// Cc (controls, line breaks), Cf (bidi overrides, zero-width), line/paragraph separators.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu;

export const MAX_TITLE_CHARS = 64;
export const MAX_BODY_CHARS = 200;

/** One line of plain text, at most `max` characters (code points), with "…" when cut. */
export function plainText(text: string, max: number): string {
  const clean = text.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(clean);
  return chars.length <= max ? clean : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "@nick" as a whole word, any case: "@ada," and "@ADA" mention Ada; "@adam" and "ada@x" do not. */
export function mentions(text: string, nickname: string): boolean {
  if (nickname.trim() === '') return false;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_@])@${escapeRegExp(nickname)}(?![\\p{L}\\p{N}_])`, 'iu');
  return pattern.test(text);
}

export interface NotificationText {
  readonly title: string;
  readonly body: string;
}

/** One message: the room as the title, "nick: text" as the body. */
export function messageText(room: string, nick: string | null, text: string, mention: boolean): NotificationText {
  const who = nick === null ? 'Raw datagram' : plainText(nick, 32);
  const roomName = plainText(room, MAX_TITLE_CHARS - 24);
  return {
    title: mention ? `${who} mentioned you in ${roomName}` : roomName,
    body: plainText(`${who}: ${text}`, MAX_BODY_CHARS),
  };
}

/** A burst: "12 new messages in Lab", and whether one mentions you. */
export function summaryText(room: string, count: number, mentioned: number): NotificationText {
  const roomName = plainText(room, MAX_TITLE_CHARS - 24);
  const body = mentioned > 0 ? `${mentioned === 1 ? 'One mentions' : `${mentioned} mention`} you.` : 'Open the room to read them.';
  return { title: `${count} new messages in ${roomName}`, body };
}
