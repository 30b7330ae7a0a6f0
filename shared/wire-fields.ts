/**
 * What each header key of protocol v2 means, in the words of docs/protocol.md, for the message
 * inspector. A few keys mean something else in one frame type (`ttl` of a probe, `to` of a nack),
 * so a meaning is looked up by type first. Maps, not objects: a header is the network's JSON, and
 * a key like `__proto__` or `constructor` must find nothing rather than Object.prototype.
 */
const GENERAL = new Map<string, string>([
  ['t', 'frame type: chat, hello, bye, nack, sync, hist, probe, reach or enc'],
  ['peer', "sender's peer id: the first 64 bits of SHA-256 of its public key (pk); in groups of four it is the fingerprint people compare"],
  ['nick', "sender's nickname, 1–32 characters, no control or bidi characters"],
  ['seq', "sender's sequence number in this room and session: +1 per chat message (fragments share it); a missing number is a loss, repaired by NACK"],
  ['ttl', "the multicast TTL the sender used: a receiver cannot read the IP header's TTL, so the sender says it here (the IP TTL is this minus the routers crossed)"],
  ['ts', "when it was sent: the wall part of the sender's hybrid logical clock (ms since 1970-01-01 UTC), the time every receiver shows; with hc it is the stamp every receiver sorts by, so all show one order"],
  ['hc', 'hybrid logical clock counter, only when not 0: orders messages stamped in the same millisecond'],
  ['sk', 'scope skips [first, last, ttl]: recent seqs sent with a lower TTL; a receiver that lacks them may simply be out of their scope'],
  ['frag', '[index, count]: this datagram is one fragment of a message longer than one datagram'],
  ['sess', "sender's session: 8 random bytes drawn on each join of the room; seq counts within it"],
  ['st', "when that session started, on the sender's clock (ms since 1970); only in introductions (hello, sync, probe, reach, hist, nack)"],
  ['n', "the session's datagram counter: +1 for every datagram sent; the replay window checks it, and in a passphrase room it is part of the nonce"],
  ['pk', "sender's Ed25519 public key (32 bytes, base64url); only in introductions: receivers keep it to check the sender's chat frames, which carry none"],
  ['kid', 'which room key sealed it: the first 4 bytes of HMAC-SHA256(key, "multicast-chat key id"); another kid means another passphrase'],
  ['app', 'application and version of the sender'],
  ['ivl', "the sender's announce interval in ms: it is gone after 3.5 intervals of silence"],
  ['next', "the seq the sender's next chat message will get: a receiver that lacks next − 1 knows the last message was lost"],
  ['up', 'how long ago this session began, on the sender’s clock (ms): tells a newcomer’s loss from messages sent before it joined'],
  ['to', 'the peer this frame is addressed to'],
  ['toSess', "that sender's session whose messages are missing"],
  ['seqs', 'the missing sequence numbers, as [first, last] ranges'],
  ['rid', 'request id: names one history request and its answer'],
  ['max', 'at most this many recent messages are asked for'],
  ['count', 'how many messages answer request rid'],
  ['pid', 'probe id: each peer answers one probe once'],
]);

const BY_TYPE = new Map<string, ReadonlyMap<string, string>>([
  ['chat', new Map([['t', 'frame type: a chat message; the body is its text (or one fragment of it)']])],
  ['hello', new Map([['t', 'frame type: a presence announcement, sent on joining and then every ivl ms']])],
  ['bye', new Map([['t', 'frame type: leaving the room; receivers drop the peer at once']])],
  [
    'nack',
    new Map([
      ['t', 'frame type: "I am missing these messages" (negative acknowledgement)'],
      ['peer', "the asker's peer id"],
      ['to', 'the sender whose messages are missing'],
      ['sess', "the asker's own session"],
    ]),
  ],
  ['sync', new Map([['t', 'frame type: a newcomer asks for recent history']])],
  ['hist', new Map([['t', 'frame type: "I am answering request rid"; the answer follows as the original chat datagrams']])],
  [
    'probe',
    new Map([
      ['t', 'frame type: "who hears me at this TTL?"'],
      ['ttl', 'the IP TTL this probe was sent with; peers it reaches answer once'],
    ]),
  ],
  [
    'reach',
    new Map([
      ['t', 'frame type: the answer to a probe'],
      ['to', 'the peer whose probe this answers'],
      ['ttl', "the probe's TTL that reached the answerer, and this answer's own"],
    ]),
  ],
  ['enc', new Map([['t', "frame type: a passphrase room's sealed frame; the body is another frame, encrypted with AES-256-GCM"]])],
]);

export const UNKNOWN_FIELD = 'not part of protocol v1: a receiver drops keys it does not know';

/** The meaning of header key `name` in a frame of type `type` (null when the type is unknown). */
export function fieldMeaning(type: string | null, name: string): string {
  return (type !== null ? BY_TYPE.get(type)?.get(name) : undefined) ?? GENERAL.get(name) ?? UNKNOWN_FIELD;
}
