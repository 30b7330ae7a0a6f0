import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllMcchat, REPO_ROOT, runMcchat, startMcchat } from '../helpers/mcchat-process.js';
import { waitFor } from '../helpers/wait.js';

// Network safety: every command pins --iface 127.0.0.1.
const LO = ['--iface', '127.0.0.1'];

afterEach(() => killAllMcchat());

describe('mcchat end to end on loopback', () => {
  it('listen --json prints one object per line for chat and raw, then exits after --count', async () => {
    const listener = startMcchat(['listen', '--json', '--count', '2', '--port', '46101', ...LO]);
    await waitFor(() => listener.stderr.includes('listening on'), 'listener ready', 15_000);
    // Where it listens and what it sends itself (a hello, a history request), then who it is.
    expect(listener.stderr.trim().split('\n')).toEqual([
      'mcchat: listening on 239.255.42.99:46101 via lo 127.0.0.1 (ttl 1, loopback on); announcing itself (hello) and asking for recent history; --passive only listens',
      expect.stringMatching(/^mcchat: you are \S+ \[[0-9a-f]{4}( [0-9a-f]{4}){3}\] \(kept in .+\)$/),
    ]);
    const sent = await runMcchat(['send', '--port', '46101', '--ttl', '3', '--nick', 'alice', ...LO, 'hello', 'class']);
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect((await runMcchat(['send', '--raw', '--port', '46101', ...LO, 'bare text'])).code).toBe(0);
    expect(await listener.exited).toBe(0);
    const lines = listener.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ kind: 'chat', text: 'hello class', nick: 'alice', ttl: 3, group: '239.255.42.99', port: 46101 });
    expect(lines[0]?.['peerId']).toMatch(/^[0-9a-f]{16}$/);
    expect(lines[0]?.['src']).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(typeof lines[0]?.['ts']).toBe('number');
    expect(lines[1]).toMatchObject({ kind: 'raw', text: 'bare text', nick: null, peerId: null, ttl: null });
  });

  it('chat: two interactive peers see each other join, talk and leave', async () => {
    const args = ['chat', '--port', '46102', ...LO];
    const alice = startMcchat([...args, '--nick', 'alice']);
    const bob = startMcchat([...args, '--nick', 'bob']);
    await waitFor(() => alice.stdout.includes('bob') && bob.stdout.includes('alice') && 'both', 'mutual join', 15_000);
    expect(alice.stdout).toMatch(/\* bob \[[0-9a-f]{4}( [0-9a-f]{4}){3}\] at 127\.0\.0\.1, mcchat\/[\d.]+ joined/);
    alice.child.stdin.write('hi bob\n');
    await waitFor(() => bob.stdout.includes('<alice> [ttl 1] hi bob'), 'bob hears alice');
    bob.child.stdin.write('/ttl 32\nhi alice\n');
    await waitFor(() => alice.stdout.includes('<bob> [ttl 32] hi alice'), 'alice hears bob with ttl 32');
    expect(bob.stdout).toContain('* TTL changed to 32 (site): new messages reach up to 31 routers away.');
    bob.child.stdin.write('/group\n');
    await waitFor(() => bob.stdout.includes('* the OS holds it on:'), 'bob shows the group');
    expect(bob.stdout).toContain('* group 239.255.42.99: Ethernet 01:00:5e:7f:2a:63 (01:00:5e + its low 23 bits), shared with 31 other groups');
    // Joined on 127.0.0.1 only: the kernel lists the membership under lo.
    if (process.platform === 'linux') expect(bob.stdout).toMatch(/\* the OS holds it on: lo\b.*\(from \/proc\/net\/igmp\)/);
    bob.child.stdin.write('/quit\n');
    expect(await bob.exited).toBe(0);
    await waitFor(() => alice.stdout.includes('* bob left (said goodbye)'), 'goodbye');
    alice.child.stdin.end();
    expect(await alice.exited).toBe(0);
  });

  it('a bad option: one line naming it on stderr, exit 2', async () => {
    for (const args of [['listen', '--ttl', '999', ...LO], ['listen', '--frobnicate'], ['send', ...LO], ['send', '--iface', '198.18.250.1', 'x']]) {
      const result = await runMcchat(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).toMatch(/^mcchat: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await runMcchat(['listen', '--ttl', '999', ...LO])).stderr).toContain('--ttl');
  });

  it('a network error: one readable line, exit 1', async () => {
    // A socket that does not share its port makes our bind fail with EADDRINUSE.
    const blocker = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    await new Promise<void>((resolve) => blocker.bind(46103, '0.0.0.0', () => resolve()));
    try {
      const result = await runMcchat(['listen', '--port', '46103', ...LO]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^mcchat: Port 46103 is in use by another program that does not share it, .*SO_REUSEADDR.*\n$/);
    } finally {
      blocker.close();
    }
  });

  it('runs through the npm script as the README says', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'mcchat', '--', '--help'], { cwd: REPO_ROOT });
    expect(stdout).toContain('Usage: mcchat <command> [options]');
  });
});
