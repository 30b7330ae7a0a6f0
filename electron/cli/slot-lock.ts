/**
 * One key may be used by one running mcchat at a time: the core drops frames carrying its own
 * peer id as echoes, and a peer's older session is refused as a replay, so two processes with
 * one key would not hear each other (`listen` in one terminal, `send` in another). Each run
 * therefore claims a slot: slot 1 is the profile's own key; while it is in use, the next run
 * takes slot 2 (a second key, kept too, so it is also the same from run to run), and so on.
 *
 * A slot is held by a lock file naming our pid, created exclusively; a lock whose process is
 * gone (killed, crashed) is stale and taken over.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errorCode } from '../core/crypto/private-file.js';

export const MAX_SLOTS = 16;
const LOCK_FILE = 'in-use.lock';
/** A lock file still empty after this long was left by a process that died while writing it. */
const EMPTY_LOCK_GRACE_MS = 5_000;

export interface Slot {
  /** 1 for the profile's own key, 2… for runs alongside it. */
  readonly number: number;
  /** The folder of this slot's key. */
  readonly dir: string;
  release(): void;
}

/** Slot 1 is the profile folder itself; slot n > 1 is `slots/<n>` inside it. */
export function slotDir(profile: string, n: number): string {
  return n === 1 ? profile : path.join(profile, 'slots', String(n));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM'; // exists, owned by someone else
  }
}

/** True when the lock was left by a process that is gone. */
function isStale(lock: string, now: number): boolean {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8').trim();
  } catch (error) {
    return errorCode(error) === 'ENOENT';
  }
  if (/^\d{1,10}$/.test(text)) return !isAlive(Number(text));
  try {
    return now - statSync(lock).mtimeMs > EMPTY_LOCK_GRACE_MS;
  } catch {
    return true;
  }
}

function tryLock(lock: string): boolean {
  try {
    writeFileSync(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/** Claims the first free slot of `profile`; null when all are busy (or the folder is not writable). */
export function claimSlot(profile: string, now: number = Date.now()): Slot | null {
  for (let n = 1; n <= MAX_SLOTS; n++) {
    const dir = slotDir(profile, n);
    const lock = path.join(dir, LOCK_FILE);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      let claimed = tryLock(lock);
      if (!claimed && isStale(lock, now)) {
        rmSync(lock, { force: true });
        claimed = tryLock(lock);
      }
      if (!claimed) continue;
    } catch {
      return null;
    }
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      process.removeListener('exit', release);
      try {
        // Only our own lock: never one a later run took over.
        if (readFileSync(lock, 'utf8').trim() === String(process.pid)) rmSync(lock, { force: true });
      } catch {
        // Already gone.
      }
    };
    process.once('exit', release);
    return { number: n, dir, release };
  }
  return null;
}
