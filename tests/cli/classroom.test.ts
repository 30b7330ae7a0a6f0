import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness, LOOPBACK, randomPort } from './harness.js';

/**
 * The classroom's `mcchat` parity on loopback: what `listen --json` says about each message's
 * wire, the per-peer meter at the end of `listen --stats`, `probe` and `doctor`.
 */

const cli = new CliHarness();
beforeAll(() => cli.build(), 60_000);
afterAll(() => cli.cleanup());

type Json = Record<string, unknown>;
const jsonLines = (out: string): Json[] =>
  out
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Json);

describe('listen', () => {
  it('--json names the interface, the datagrams and the scope of each message', async () => {
    const port = String(randomPort());
    const listener = cli.start(['listen', '--json', '--count', '2', '--port', port, ...LOOPBACK], cli.newHome());
    await listener.until((_o, err) => err.includes('listening on'));
    const home = cli.newHome();
    expect((await cli.run(['send', '--port', port, '--ttl', '32', '--nick', 'alice', ...LOOPBACK, 'hi'], home)).code).toBe(0);
    // 3,000 bytes: more than two 1,200-byte datagrams can carry.
    expect((await cli.run(['send', '--port', port, '--ttl', '5', '--nick', 'alice', ...LOOPBACK, 'x'.repeat(3_000)], home)).code).toBe(0);
    expect(await listener.exited).toBe(0);
    const [short, long] = jsonLines(listener.stdout);
    expect(short).toMatchObject({ text: 'hi', iface: 'lo', datagrams: 1, ttl: 32, scope: 'site' });
    expect(long).toMatchObject({ iface: 'lo', ttl: 5, scope: 'custom' });
    expect(long?.['datagrams']).toBeGreaterThanOrEqual(3);
    expect(long?.['datagrams']).toBe(long?.['fragments']);
  }, 60_000);

  it('--stats --json ends with each peer\'s meter and every counter', async () => {
    const port = String(randomPort());
    const listener = cli.start(['listen', '--json', '--stats', '--count', '3', '--port', port, ...LOOPBACK], cli.newHome());
    await listener.until((_o, err) => err.includes('listening on'));
    const chat = cli.start(['chat', '--port', port, '--nick', 'alice', ...LOOPBACK], cli.newHome());
    await chat.until((_o, err) => err.includes('Type a message'));
    chat.child.stdin.end('one\ntwo\nthree\n');
    expect(await listener.exited).toBe(0);
    const lines = jsonLines(listener.stdout);
    expect(lines).toHaveLength(4);
    const stats = lines[3] as { kind: string; peers: Json[]; counters: Json };
    expect(stats.kind).toBe('stats');
    expect(stats.peers).toEqual([{ peerId: lines[0]?.['peerId'], nick: 'alice', received: 3, gaps: 0, repaired: 0, lost: 0, duplicates: 0, reordered: 0 }]);
    expect(stats.counters).toMatchObject({ chatMessagesIn: 3 });
    expect(await chat.exited).toBe(0);
  }, 60_000);

  it('--stats without --json prints a per-peer table after the counters', async () => {
    const port = String(randomPort());
    const listener = cli.start(['listen', '--stats', '--count', '1', '--port', port, ...LOOPBACK], cli.newHome());
    await listener.until((_o, err) => err.includes('listening on'));
    expect((await cli.run(['send', '--port', port, '--nick', 'bob', ...LOOPBACK, 'hello'], cli.newHome())).code).toBe(0);
    expect(await listener.exited).toBe(0);
    const lines = listener.stdout.trimEnd().split('\n');
    expect(lines.slice(1, 5).map((l) => l.split(':')[0])).toEqual(['traffic', 'reliability', 'security', 'peers']);
    expect(lines[5]).toMatch(/^ {2}peer +received {2}gaps {2}repaired {2}lost {2}duplicates {2}reordered$/);
    expect(lines[6]).toMatch(/^ {2}bob \[[0-9a-f]{16}\] +1 +0 +0 +0 +0 +0$/);
  }, 60_000);
});
