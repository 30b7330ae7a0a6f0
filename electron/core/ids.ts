import { createHash, randomBytes } from 'node:crypto';

/** 64 random bits as 16 lowercase hex characters: peer ids and message ids. */
export function randomId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * A chat message's id, the same for sender and every receiver: the first 64 bits of
 * SHA-256("<sess>:<seq>"). Not on the wire (v2): (sess, seq) already names a message.
 */
export function messageIdOf(sess: string, seq: number): string {
  return createHash('sha256').update(`${sess}:${seq}`).digest('hex').slice(0, 16);
}
