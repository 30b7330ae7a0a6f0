/**
 * For crash.test.ts: appends records in a tight loop and prints how many appends have returned
 * (written straight to fd 1, so a printed number is never ahead of the disk), until killed.
 *   node --import tsx burst-writer.fixture.ts <dir> <room> [maxBytes]
 */
import { writeSync } from 'node:fs';
import { openRoomHistory } from './room-history.js';
import { testRecord } from './test-records.js';

/** stdout is a non-blocking pipe: when the test falls behind reading it, wait (spinning) rather than drop a number. */
function print(text: string): void {
  for (;;) {
    try {
      writeSync(1, text);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

const [dir, room, maxBytes] = process.argv.slice(2);
if (!dir || !room) throw new Error('usage: burst-writer.fixture.ts <dir> <room> [maxBytes]');
const history = await openRoomHistory(dir, room, maxBytes ? { maxBytes: Number(maxBytes) } : {});
print('ready\n');
for (let n = 0; ; ) {
  const size = 1 + (n % 7);
  history.append(Array.from({ length: size }, (_, i) => testRecord(n + i)));
  n += size;
  print(`${n}\n`);
  // Now and then let the event loop run: the fsync timer, and compaction when bounded.
  if (n % 100 < size) await new Promise((resolve) => setImmediate(resolve));
}
