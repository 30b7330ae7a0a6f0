import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitForAsync } from '../../../tests/helpers/wait.js';
import { FakeClock } from '../clock.js';
import { ReplayGuard } from './replay-guard.js';
import { MAX_TRUSTED_PEERS, nicknameKey, TRUST_WRITE_DELAY_MS, TrustStore } from './trust-store.js';

const ALICE = 'a11ce00000000001';
const MALLORY = 'ba0ba0ba0ba0ba01';
const BOB = 'b0b0000000000002';
const T = 1_750_000_000_000;
/** Never advanced except where a test says so: the delayed write only happens when told. */
let clock: FakeClock;

let dir: string;
let file: string;
beforeEach(async () => {
  clock = new FakeClock(Date.UTC(2025, 0, 31, 12));
  dir = await mkdtemp(path.join(tmpdir(), 'mcchat-trust-'));
  file = path.join(dir, 'trust.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('trust store', () => {
  it('starts empty without a file, and remembers first sightings', async () => {
    const store = await TrustStore.open(file, clock);
    expect(store.notice).toBeNull();
    expect(store.see(ALICE, 'alice', T)).toEqual({ firstTime: true, verified: false, impersonates: null });
    expect(store.see(ALICE, 'alice', T + 1)).toEqual({ firstTime: false, verified: false, impersonates: null });
    expect(store.get(ALICE)).toEqual({ peerId: ALICE, nick: 'alice', firstSeen: T, lastSeen: T + 1, verified: false });
  });

  it('flags another key using a known nickname, case-insensitively and across Unicode forms', async () => {
    const store = await TrustStore.open(file, clock);
    store.see(ALICE, 'Zoë', T);
    for (const lookalike of ['Zoë', 'zoë', 'ZOË', 'Zoe\u0308', 'Ｚｏë', ' zoë ']) {
      expect(store.see(MALLORY, lookalike, T + 1).impersonates, lookalike).toBe(ALICE);
    }
    // The owner itself, and other names, are not flagged.
    expect(store.see(ALICE, 'ZOË', T + 2).impersonates).toBeNull();
    expect(store.see(BOB, 'zoey', T + 3).impersonates).toBeNull();
    expect(store.ownerOf('zoë')).toBe(ALICE);
    expect(nicknameKey('Ｚｏe\u0308')).toBe(nicknameKey('zoë'));
  });

  it('keeps the verified flag, nicknames and sessions across a reopen', async () => {
    const store = await TrustStore.open(file, clock);
    store.see(ALICE, 'alice', T);
    store.see(BOB, 'bob', T);
    expect(store.setVerified(ALICE, true)).toBe(true);
    expect(store.setVerified('0000000000000000', true)).toBe(false); // never seen
    store.noteSession(ALICE, T - 5000);
    store.noteSession(ALICE, T - 9000); // older: ignored
    await store.flush();

    const reopened = await TrustStore.open(file, clock);
    expect(reopened.notice).toBeNull();
    expect(reopened.isVerified(ALICE)).toBe(true);
    expect(reopened.isVerified(BOB)).toBe(false);
    expect(reopened.see(MALLORY, 'Alice', T + 10).impersonates).toBe(ALICE);
    expect(reopened.see(ALICE, 'alice', T + 10)).toEqual({ firstTime: false, verified: true, impersonates: null });
    expect(reopened.sessionStarts()).toEqual({ [ALICE]: T - 5000 });
    // The replay guard picks up where it was: A's earlier run is refused after the restart.
    const guard = new ReplayGuard(reopened.sessionStarts());
    expect(guard.check(ALICE, '1111111111111111', T - 60_000, 0, T)).toBe('old-session');

    reopened.setVerified(ALICE, false);
    await reopened.flush();
    expect((await TrustStore.open(file, clock)).isVerified(ALICE)).toBe(false);
  });

  it('writes atomically, readable by the user only, and batches changes', async () => {
    const store = await TrustStore.open(file, clock);
    store.see(ALICE, 'alice', T);
    await expect(readFile(file)).rejects.toThrow(); // debounced: nothing yet
    await store.flush();
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['trust.json']);
    const before = await readFile(file, 'utf8');
    store.see(ALICE, 'alice', T + 1000); // only lastSeen moved a little: not worth a write
    await store.flush();
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('writes changes by itself a delay later on its clock, not before', async () => {
    const store = await TrustStore.open(file, clock);
    store.see(ALICE, 'alice', T);
    clock.advance(TRUST_WRITE_DELAY_MS - 1);
    // Whatever real time passes, the write waits for the store's clock.
    await new Promise((resolve) => setImmediate(resolve));
    await expect(readFile(file)).rejects.toThrow();
    clock.advance(1);
    const text = await waitForAsync(() => readFile(file, 'utf8').catch(() => undefined), 'the delayed write');
    expect(JSON.parse(text).peers.map((p: { nick: string }) => p.nick)).toEqual(['alice']);
  });

  it('stores only what it can read back: long nicknames, fractional times, ids that are not key-bound', async () => {
    const store = await TrustStore.open(file, clock);
    store.see(ALICE, 'x'.repeat(1000), T + 0.5);
    store.see('not-a-peer-id', 'mallory', T);
    expect(store.see('not-a-peer-id', 'x'.repeat(1000), T).impersonates).toBe(ALICE);
    await store.flush();
    const reopened = await TrustStore.open(file, clock);
    expect(reopened.notice).toBeNull();
    expect(reopened.get(ALICE)?.nick).toHaveLength(256);
    expect(reopened.get('not-a-peer-id')).toBeNull();
    expect(reopened.ownerOf('mallory')).toBeNull();
  });

  it('moves a corrupt file aside, says so, and starts empty', async () => {
    for (const content of ['{"version":1,"peers":[', '[]', '{"version":1,"peers":[{"peerId":"__proto__"}],"sessions":[]}', '\u0000']) {
      await writeFile(file, content);
      const store = await TrustStore.open(file, clock);
      expect(store.notice).toMatch(/was damaged; it was kept as trust\.json\.corrupt-2025-01-31T12-00-00-000Z/);
      expect(store.size).toBe(0);
      expect(await readFile(path.join(dir, 'trust.json.corrupt-2025-01-31T12-00-00-000Z'), 'utf8')).toBe(content);
      store.see(ALICE, 'alice', T);
      await store.flush();
      expect((await TrustStore.open(file, clock)).notice).toBeNull();
      await rm(path.join(dir, 'trust.json.corrupt-2025-01-31T12-00-00-000Z'));
    }
  });

  it('reports a failed write through flush, and keeps the changes for the next try', async () => {
    const blocked = path.join(dir, 'not-a-folder');
    await writeFile(blocked, '');
    const store = await TrustStore.open(path.join(blocked, 'trust.json'), clock);
    store.see(ALICE, 'alice', T);
    await expect(store.flush()).rejects.toThrow();
    await rm(blocked);
    await store.flush();
    expect((await TrustStore.open(path.join(blocked, 'trust.json'), clock)).get(ALICE)?.nick).toBe('alice');
  });

  it('stays bounded, forgetting the least recently seen unverified peers first', async () => {
    const store = await TrustStore.open(file, clock);
    const id = (i: number) => i.toString(16).padStart(16, '0');
    store.see(ALICE, 'alice', T);
    store.setVerified(ALICE, true);
    store.see(BOB, 'bob', T);
    for (let i = 0; i < MAX_TRUSTED_PEERS + 5; i++) store.see(id(i + 1000), `p${i}`, T + 1 + i);
    expect(store.size).toBe(MAX_TRUSTED_PEERS);
    expect(store.get(ALICE)?.verified).toBe(true); // verified: kept
    expect(store.get(BOB)).toBeNull(); // the oldest unverified: forgotten, with its nickname
    expect(store.ownerOf('bob')).toBeNull();
    expect(store.ownerOf('alice')).toBe(ALICE);
    await store.flush();
    expect((await TrustStore.open(file, clock)).size).toBe(MAX_TRUSTED_PEERS);
  });
});
