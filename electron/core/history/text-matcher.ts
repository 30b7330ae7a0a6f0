/**
 * Case-insensitive substring matching of message text, with a cheap pre-test on raw log bytes:
 * JSON keeps text as is (apart from quotes, backslashes, control characters and lone
 * surrogates), so a chunk whose lower-cased bytes lack the query holds no match and needs no
 * parsing. Queries with characters JSON escapes skip the pre-test.
 */
import type { HistoryRecord } from './types.js';

export interface TextMatcher {
  /** False only when no record within these bytes can match. */
  mayMatch(bytes: Buffer): boolean;
  matches(record: HistoryRecord): boolean;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function escapedInJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c) return true;
  }
  return LONE_SURROGATE.test(text);
}

export function textMatcher(query: string): TextMatcher {
  const needle = query.toLowerCase();
  const pretest = !escapedInJson(needle);
  return {
    mayMatch: (bytes) => !pretest || bytes.toString('utf8').toLowerCase().includes(needle),
    matches: (record) => record.message.text.toLowerCase().includes(needle),
  };
}
