import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness, LOOPBACK, randomPort } from './harness.js';

const cli = new CliHarness();
beforeAll(() => cli.build(), 60_000);
afterAll(() => cli.cleanup());

const FINGERPRINT = /you are .+ \[([0-9a-f]{4}(?: [0-9a-f]{4}){3})\]/;

describe('mcchat keeps one key per person', () => {
  it('two `send --nick teacher` runs are one teacher to a listener: no impostor warning', async () => {
    const port = String(randomPort());
    const listener = cli.start(['chat', '--port', port, ...LOOPBACK, '--nick', 'student'], cli.newHome());
    await listener.until((_out, err) => err.includes('Type a message'));
    const teacher = cli.newHome();
    for (const text of ['first', 'second']) {
      const sent = await cli.run(['send', '--port', port, ...LOOPBACK, '--nick', 'teacher', text], teacher);
      expect(sent).toMatchObject({ code: 0 });
    }
    await listener.until((out) => out.includes('<teacher> [ttl 1] first') && out.includes('<teacher> [ttl 1] second'));
    // The peer list is the listener's view of who is who: one teacher, not flagged.
    listener.child.stdin.write('/peers\n');
    await listener.until((out) => out.includes('* teacher ['));
    expect(listener.stdout).not.toContain('first seen with another key');
    expect(listener.stdout).not.toContain('impostor');
    listener.child.stdin.end();
    expect(await listener.exited).toBe(0);
  }, 60_000);

  it('chat --history has the same fingerprint after a restart and shows what was said before', async () => {
    const port = String(randomPort());
    const home = cli.newHome();
    const history = cli.tempDir('mcchat-history-');
    const args = ['chat', '--port', port, ...LOOPBACK, '--nick', 'alice', '--history', history];
    const first = cli.start(args, home);
    await first.until((_out, err) => err.includes('Type a message'));
    first.child.stdin.end('words to remember\n');
    expect(await first.exited).toBe(0);
    const firstPrint = FINGERPRINT.exec(first.stderr)?.[1];
    expect(firstPrint).toBeDefined();

    const second = cli.start(args, home);
    await second.until((out) => out.includes('words to remember'));
    expect(FINGERPRINT.exec(second.stderr)?.[1]).toBe(firstPrint);
    expect(second.stdout).toMatch(/^\(earlier\) \d\d:\d\d:\d\d <alice \(you\)> \[ttl 1\] words to remember$/m);
    second.child.stdin.end();
    expect(await second.exited).toBe(0);
  }, 60_000);

  it('two runs at once use two keys (the second named -2), each the same on the next run; --profile is another person', async () => {
    const port = String(randomPort());
    const home = cli.newHome();
    const listen = ['listen', '--port', port, ...LOOPBACK, '--nick', 'root'];
    const one = cli.start(listen, home);
    await one.until((_o, err) => FINGERPRINT.test(err));
    const two = cli.start(['listen', '--port', port, ...LOOPBACK], home, { USER: 'root' });
    await two.until((_o, err) => FINGERPRINT.test(err));
    expect(FINGERPRINT.exec(two.stderr)?.[1]).not.toBe(FINGERPRINT.exec(one.stderr)?.[1]);
    expect(two.stderr).toMatch(/you are \S+-2 \[/);
    expect(two.stderr).toContain('key 2');
    const bob = await cli.run(['send', '--port', port, ...LOOPBACK, '--profile', 'bob', 'hi'], home);
    expect(bob.code).toBe(0);
    one.child.kill('SIGINT');
    two.child.kill('SIGINT');
    expect(await one.exited).toBe(0);
    expect(await two.exited).toBe(0);
    // Alone again: the first key is free, and it is the same one.
    const again = cli.start(listen, home);
    await again.until((_o, err) => FINGERPRINT.test(err));
    expect(FINGERPRINT.exec(again.stderr)?.[1]).toBe(FINGERPRINT.exec(one.stderr)?.[1]);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  }, 60_000);
});
