export type TextPart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'link'; readonly text: string; readonly href: string };

// Only candidates that start like a web address; whatever matches is still parsed with URL below.
const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/giu;
const TRAILING_PUNCTUATION = /[.,;:!?'"\]}>]+$/u;

/** "see https://x.org/a)." keeps the ")" only when the URL opened one itself. */
function trimCandidate(candidate: string): string {
  let text = candidate.replace(TRAILING_PUNCTUATION, '');
  while (text.endsWith(')') && (text.match(/\(/g)?.length ?? 0) < (text.match(/\)/g)?.length ?? 0)) {
    text = text.slice(0, -1).replace(TRAILING_PUNCTUATION, '');
  }
  return text;
}

/** The href to open, or null when the text is not an http(s) URL with a host. */
export function safeHttpUrl(text: string): string | null {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Splits message text into plain text and http(s) links. Anything else (javascript:, data:,
 * file:, mailto:) stays text: a message from the network must not be able to run or open anything
 * but a web page in the user's browser.
 */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const candidate = trimCandidate(match[0]);
    const href = safeHttpUrl(candidate);
    if (!href) continue;
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
