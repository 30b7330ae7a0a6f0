/**
 * Small files that only this user may read, replaced atomically: the data is written to a
 * temporary file (created 0600, flushed to disk), then renamed over the old one, so a crash
 * leaves the old file or the new one, never half of one, and never a moment where the file is
 * readable by others.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Windows: an antivirus or indexer holding the file makes rename fail for a moment. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = errorCode(error);
      if (attempt >= 4 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error;
      await sleep(20 * (attempt + 1));
    }
  }
}

export async function writePrivateFile(file: string, data: string): Promise<void> {
  // A folder we create is ours alone; an existing one keeps the permissions its owner chose.
  await mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    // 'wx': never follow or reuse something already at the temporary name.
    await writeFile(temp, data, { encoding: 'utf8', mode: PRIVATE_FILE_MODE, flag: 'wx', flush: true });
    await renameWithRetry(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** `2025-01-31T12-00-00-000Z`: a timestamp usable in a file name on every OS. */
export function fileStamp(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-');
}

/** Renames `file` to `<file>.<label>-<stamp>` and returns the new name (its base name). */
export async function moveAside(file: string, label: string, now: number): Promise<string> {
  const aside = `${file}.${label}-${fileStamp(now)}`;
  await renameWithRetry(file, aside);
  return path.basename(aside);
}
