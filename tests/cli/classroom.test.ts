import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness, GROUP, LOOPBACK, randomPort } from './harness.js';

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

describe('probe', () => {
  it('two members on 127.0.0.1 both answer at TTL 1; a passive listener does not', async () => {
    const port = String(randomPort());
    const bob = cli.start(['listen', '--nick', 'bob', '--port', port, ...LOOPBACK], cli.newHome());
    const carol = cli.start(['chat', '--nick', 'carol', '--port', port, ...LOOPBACK], cli.newHome());
    const dan = cli.start(['listen', '--passive', '--nick', 'dan', '--port', port, ...LOOPBACK], cli.newHome());
    await Promise.all([bob.until((_o, err) => err.includes('listening on')), carol.until((_o, err) => err.includes('Type a message')), dan.until((_o, err) => err.includes('listening on'))]);

    const json = await cli.run(['probe', '--ttl-max', '2', '--json', '--port', port, ...LOOPBACK], cli.newHome());
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toContain(`mcchat: probing ${GROUP}:${port} via lo 127.0.0.1 with TTL 1 to 2`);
    const rows = jsonLines(json.stdout) as { ttl: number; peers: { peerId: string; nick: string; src: string }[] }[];
    expect(rows.map((r) => r.ttl)).toEqual([1, 2]);
    expect(rows[0]?.peers.map((p) => p.nick).sort()).toEqual(['bob', 'carol']);
    for (const peer of rows[0]?.peers ?? []) {
      expect(peer.peerId).toMatch(/^[0-9a-f]{16}$/);
      expect(peer.src).toMatch(/^127\.0\.0\.1:\d+$/);
    }
    expect(rows[1]?.peers).toEqual([]);

    const text = await cli.run(['probe', '--ttl-max', '1', '--port', port, ...LOOPBACK], cli.newHome());
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TTL 1 \(subnet\): (bob|carol) 127\.0\.0\.1:\d+, (bob|carol) 127\.0\.0\.1:\d+$/);
    expect(lines[1]).toBe('2 peers answered; the farthest is on this subnet (first reached at TTL 1).');
    carol.child.stdin.end();
    expect(await carol.exited).toBe(0);
  }, 60_000);

  it('with nobody in the room, says so and exits 0', async () => {
    const result = await cli.run(['probe', '--ttl-max', '1', '--port', String(randomPort()), ...LOOPBACK], cli.newHome());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^TTL 1 \(subnet\): nobody new\nNobody answered up to TTL 1: /);
  }, 30_000);
});

describe('doctor', () => {
  it('prints the interfaces, the OS memberships, the loopback self-test and the platform checks', async () => {
    const result = await cli.run(['doctor', ...LOOPBACK], cli.newHome());
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^mcchat doctor \S+ on \w+$/);
    expect(lines).toContain(`Interfaces (a room on ${GROUP}:4242 with --iface 127.0.0.1 joins only that one):`);
    expect(lines.some((l) => /^ {2}use {3}\S+ 127\.0\.0\.1: pinned with --iface$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('OS memberships'))).toBe(true);
    const checks = lines.slice(lines.indexOf('Checks:') + 1);
    expect(checks.length).toBeGreaterThanOrEqual(2);
    for (const check of checks) expect(check).toMatch(/^ {2}(OK |WARN|INFO) {2}[^:]+: \S/);
    expect(checks[0]).toMatch(/^ {2}OK {4}loopback self-test: Joined 239\.255\.42\.99 on 127\.0\.0\.1 and heard our own datagram/);
    if (process.platform === 'linux') expect(checks.some((c) => c.includes('rp_filter:'))).toBe(true);
  }, 30_000);

  it('--json: one object with the same sections', async () => {
    const result = await cli.run(['doctor', '--json', ...LOOPBACK], cli.newHome());
    expect(result.code, result.stderr).toBe(0);
    const [report, ...rest] = jsonLines(result.stdout);
    expect(rest).toEqual([]);
    expect(report).toMatchObject({ kind: 'doctor', platform: process.platform, group: GROUP, port: 4242, pinned: '127.0.0.1' });
    expect(report?.['interfaces']).toContainEqual(expect.objectContaining({ address: '127.0.0.1', use: true }));
    expect(report?.['memberships']).toHaveProperty('available');
    expect(report?.['checks']).toContainEqual(expect.objectContaining({ name: 'loopback self-test', status: 'OK' }));
  }, 30_000);
});
