import { randomBytes } from 'node:crypto';

/** 64 random bits as 16 lowercase hex characters: peer ids and message ids. */
export function randomId(): string {
  return randomBytes(8).toString('hex');
}
