/** Wire protocol v2 numbers. See docs/protocol.md for the reasoning behind each. */

/** Every frame starts with these ASCII bytes followed by the version digits and a space. */
export const FRAME_MAGIC = 'MCC';
export const PROTOCOL_VERSION = 2;
/** An Ed25519 signature, raw. */
export const SIGNATURE_BYTES = 64;
/**
 * Every datagram ends in a line feed and its sender's Ed25519 signature over all bytes before
 * that line feed, as 86 base64url characters: a plain room's datagram stays UTF-8 text, so a
 * student's `data.decode()`, `nc -u` or socat print it without a decode error or terminal
 * control bytes (64 random bytes hold about 8 of them). The price: 23 bytes over binary.
 */
export const SIGNATURE_TEXT_CHARS = 86;
export const SIGNATURE_TAIL_BYTES = 1 + SIGNATURE_TEXT_CHARS;
/** A raw Ed25519 public key. */
export const PUBLIC_KEY_BYTES = 32;
/** A public key as a history answer's body carries it: 43 base64url characters. */
export const PUBLIC_KEY_TEXT_CHARS = 43;

/** RFC 8085: stay under the path MTU of any sane network so IP never fragments. */
export const MAX_DATAGRAM_BYTES = 1200;
/** Longest message text we fragment and reassemble; longer text is refused. */
export const MAX_TEXT_BYTES = 8 * 1024;
/** A header line longer than this is not ours, whatever it claims (a signed header with a long nickname stays well under). */
export const MAX_HEADER_BYTES = 768;
export const MAX_FRAGMENTS = 16;
export const MAX_NICK_LENGTH = 32;

export const DEFAULT_GROUP = '239.255.42.99';
export const DEFAULT_PORT = 4242;
export const DEFAULT_TTL = 1;

/** Presence: announce every interval; a peer silent for TIMEOUT is gone (3.5 missed announcements). */
export const PRESENCE_INTERVAL_MS = 5_000;
export const PRESENCE_TIMEOUT_MS = 17_500;
/** Incomplete fragmented messages are dropped after this long. */
export const REASSEMBLY_TIMEOUT_MS = 10_000;
