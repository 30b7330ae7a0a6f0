import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../electron/core/clock.js';
import { openRoomHistory, type HistoryStats, type RoomHistory, type RoomHistoryOptions } from '../../electron/core/history/index.js';
import { coreOn, settle } from '../helpers/core-peers.js';
import { FakeNetwork } from '../helpers/fake-network.js';

/**
 * Hostile LAN (and a full disk), "failures are told". Measured before: with the disk full, 600
 * messages were shown and 114 stored, and nothing was said; a torn record was cut at the next
 * start without a word (no onError was wired in the app or mcchat).
 */

const ROOM = { group: '239.255.42.99', port: 4242 };
const ID = '239.255.42.99:4242';
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcchat-history-fail-'));
  dirs.push(dir);
  return dir;
}

/** The real history, with a disk that can be made full: appends fail as writeSync does on ENOSPC. */
function fillableDisk(real: RoomHistory, options: RoomHistoryOptions): { history: RoomHistory; setFull(full: boolean): void } {
  let full = false;
  let failed = 0;
  const history: RoomHistory = Object.create(real) as RoomHistory;
  history.append = (records) => {
    if (!full) return real.append(records);
    failed++;
    options.onError?.(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    return 0;
  };
  history.stats = (): HistoryStats => ({ ...real.stats(), writeErrors: real.stats().writeErrors + failed });
  return { history, setFull: (value) => (full = value) };
}

describe('history failures are told', () => {
  it('a full disk: the window and mcchat hear it, messages are marked "not saved", saving resumes when space returns', async () => {
    const dir = await tempDir();
    const net = new FakeNetwork();
    const clock = new FakeClock();
    let disk: ReturnType<typeof fillableDisk> | undefined;
    const bob = coreOn(net, clock, 'bob', {
      openHistory: async (roomId, options) => {
        disk = fillableDisk(await openRoomHistory(dir, roomId, { ...options, clock }), options);
        return disk.history;
      },
    });
    const alice = coreOn(net, clock, 'alice');
    await bob.core.joinRoom(ROOM);
    await alice.core.joinRoom(ROOM);
    await alice.core.send(ID, 'stored');
    await settle(clock, 50);
    disk?.setFull(true);
    for (let i = 0; i < 3; i++) await alice.core.send(ID, `lost ${i}`);
    await settle(clock, 50);
    disk?.setFull(false);
    await alice.core.send(ID, 'stored again');
    await settle(clock, 50);

    const errors = bob.events.flatMap((e) => (e.type === 'error' ? [e.error] : []));
    expect(errors).toHaveLength(1); // said once, not per message
    expect(errors[0]).toMatchObject({ code: 'HISTORY_WRITE_FAILED', message: expect.stringContaining('no space left') });
    const shown = bob.shown();
    expect(shown.map((m) => [m.text, m.notSaved ?? false])).toEqual([
      ['stored', false],
      ['lost 0', true],
      ['lost 1', true],
      ['lost 2', true],
      ['stored again', false],
    ]);
    const page = await bob.core.history(ID, { limit: 10 });
    expect(page.messages.map((m) => m.text)).toEqual(['stored', 'stored again']);
  });

  it('a torn record is reported once when the history opens, and the rest is kept', async () => {
    const dir = await tempDir();
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const first = coreOn(net, clock, 'bob', { openHistory: (roomId, options) => openRoomHistory(dir, roomId, { ...options, clock }) });
    const alice = coreOn(net, clock, 'alice');
    await first.core.joinRoom(ROOM);
    await alice.core.joinRoom(ROOM);
    await alice.core.send(ID, 'kept');
    await settle(clock, 50);
    await first.core.close();
    // A power cut in the middle of a line: half a record at the end of the file.
    const [log] = (await readdir(dir)).filter((name) => name.endsWith('.mchist1'));
    await appendFile(join(dir, log ?? 'missing.mchist1'), '{"k":"torn","o":"0001","m":{"kind":"ch');

    const again = coreOn(net, clock, 'bob', { openHistory: (roomId, options) => openRoomHistory(dir, roomId, { ...options, clock }) });
    await again.core.joinRoom(ROOM);
    const errors = again.events.flatMap((e) => (e.type === 'error' ? [e.error] : []));
    expect(errors).toEqual([expect.objectContaining({ code: 'HISTORY_DAMAGED', message: expect.stringContaining('1 damaged record') })]);
    expect((await again.core.history(ID, { limit: 5 })).messages.map((m) => m.text)).toEqual(['kept']);
  });
});
