/** Where a room's history lives: one file (plus a checkpoint) per room in the history folder. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export interface RoomPaths {
  readonly dir: string;
  readonly log: string;
  /** Compaction writes here, then renames over `log`; a leftover is removed on open. */
  readonly compactTmp: string;
  readonly meta: string;
  readonly metaTmp: string;
}

/**
 * A readable, file-system-safe name that stays unique for any room key (a hash of the key
 * tells apart keys that differ only in case or in characters replaced here). The format
 * version is in the extension: a future format gets new files instead of misreading old ones.
 */
export function roomPaths(dir: string, roomKey: string): RoomPaths {
  const slug = roomKey.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 48);
  const hash = createHash('sha256').update(roomKey).digest('hex').slice(0, 12);
  const log = join(dir, `${slug}-${hash}.mchist1`);
  return { dir, log, compactTmp: `${log}.compact`, meta: `${log}.meta`, metaTmp: `${log}.meta.tmp` };
}
