import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity } from '../../electron/core/crypto/identity.js';
import { signedFrame, toBase64Url } from '../../shared/protocol/envelope.js';
import { waitFor } from '../helpers/wait.js';
import { CliHarness, GROUP, LOOPBACK, randomPort, type CliRun } from './harness.js';

const cli = new CliHarness();
beforeAll(() => cli.build(), 60_000);
afterAll(() => cli.cleanup());

/** Sends datagrams to the group on loopback, as any program on the LAN could. */
async function sendDatagrams(port: number, datagrams: readonly (string | Uint8Array)[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  socket.setMulticastInterface('127.0.0.1');
  socket.setMulticastTTL(1);
  for (const data of datagrams) await new Promise<void>((resolve, reject) => socket.send(typeof data === 'string' ? Buffer.from(data) : data, port, GROUP, (e) => (e ? reject(e) : resolve())));
  socket.close();
}

/** A chat frame properly signed by a fresh key, whatever its nickname says. */
function signedChat(nick: string, text: string): Uint8Array {
  const identity = generateIdentity();
  const header = { t: 'chat' as const, peer: identity.peerId, nick, id: '00000000000000a1', seq: 0, ttl: 1, ts: Date.now() };
  const signer = { envelope: () => ({ sess: '00000000000000b2', st: Date.now(), n: 0, pk: toBase64Url(identity.publicKey) }), sign: (data: Uint8Array) => identity.sign(data) };
  return signedFrame(header, new TextEncoder().encode(text), signer);
}

// eslint-disable-next-line no-control-regex -- control characters are what this test looks for
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe('output that cannot be forged', () => {
  it('a raw datagram that rewrites the line, a signed message with a newline, OSC in text: all escaped, continuation indented', async () => {
    const port = randomPort();
    const listener = cli.start(['listen', '--port', String(port), ...LOOPBACK, '--count', '3'], cli.newHome());
    await listener.until((_o, err) => err.includes('listening on'));
    await sendDatagrams(port, ['\r\x1b[2K15:28:00 <teacher> [ttl 1] exam is cancelled']);
    await listener.until((out) => out.includes('raw'));
    const sent = await cli.run(['send', '--port', String(port), ...LOOPBACK, '--nick', 'alice', 'see you\n15:28:05 <bob> [ttl 1] I agree'], cli.newHome());
    expect(sent.code).toBe(0);
    await listener.until((out) => out.includes('I agree'));
    await sendDatagrams(port, [signedChat('mallory', 'title\x1b]0;owned\x07 clip\x1b]52;c;cm0gLXJmIH4=\x07 \u202etxt.exe')]);
    expect(await listener.exited).toBe(0);
    const out = listener.stdout;
    expect(out).not.toMatch(ACTIVE);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d raw 127\.0\.0\.1:\d+: \\x0d\\x1b\[2K15:28:00 <teacher> \[ttl 1\] exam is cancelled$/);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d <alice> \[ttl 1\] see you$/);
    expect(lines[2]).toBe('         | 15:28:05 <bob> [ttl 1] I agree');
    expect(lines[3]).toContain('title\\x1b]0;owned\\x07 clip\\x1b]52;c;cm0gLXJmIH4=\\x07 \\u202etxt.exe');
  }, 60_000);

  it('a signed frame whose nickname carries OSC 0 / OSC 52 is refused as invalid, never shown', async () => {
    const port = randomPort();
    const listener = cli.start(['listen', '--port', String(port), ...LOOPBACK, '--count', '1', '--json', '--stats'], cli.newHome());
    await listener.until((_o, err) => err.includes('listening on'));
    await sendDatagrams(port, [signedChat('eve\x1b]0;owned\x07\x1b]52;c;cm0g\x07', 'hello'), 'done']);
    expect(await listener.exited).toBe(0);
    const [message, stats, ...rest] = listener.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rest).toEqual([]);
    expect(message).toMatchObject({ kind: 'raw', text: 'done' });
    expect(stats).toMatchObject({ kind: 'stats', counters: { invalidFrames: 1, rawDatagrams: 1, chatMessagesIn: 0 } });
  }, 60_000);
});

describe("the CLI's smaller promises", () => {
  it('listen --stats prints every counter in three groups on Ctrl+C', async () => {
    const port = randomPort();
    const listener = cli.start(['listen', '--port', String(port), ...LOOPBACK, '--stats'], cli.newHome());
    await listener.until((_o, err) => err.includes('listening on'));
    expect(listener.stderr).toContain('announcing itself (hello) and asking for recent history; --passive only listens');
    listener.child.kill('SIGINT');
    expect(await listener.exited).toBe(0);
    const lines = listener.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['traffic', 'reliability', 'security', 'peers']);
    expect(lines.slice(0, 3).join(' ').match(/ \d[\d,]*(,|$)/g)?.length).toBeGreaterThanOrEqual(29);
    expect(lines[2]).toContain('bad signature 0');
    expect(lines[3]).toBe('peers: none heard');
  }, 30_000);

  it('listen --passive sends nothing at all; a member listener announces itself', async () => {
    const port = randomPort();
    const passive = cli.start(['listen', '--port', String(port), ...LOOPBACK, '--passive', '--json', '--stats', '--count', '1'], cli.newHome());
    const member = cli.start(['listen', '--port', String(port), ...LOOPBACK, '--json', '--stats', '--count', '1'], cli.newHome());
    await passive.until((_o, err) => err.includes('listening on'));
    await member.until((_o, err) => err.includes('listening on'));
    expect(passive.stderr).toContain('passive: sends nothing');
    await sendDatagrams(port, ['done']);
    expect(await passive.exited).toBe(0);
    expect(await member.exited).toBe(0);
    const statsOf = (out: string) => JSON.parse(out.trimEnd().split('\n').at(-1) ?? '{}') as { counters: { datagramsOut: number } };
    expect(statsOf(member.stdout).counters.datagramsOut).toBeGreaterThan(0);
    expect(statsOf(passive.stdout).counters.datagramsOut).toBe(0);
  }, 30_000);

  it('chat refuses an unknown /command instead of sending it, and // sends a literal /', async () => {
    const port = randomPort();
    const listener = cli.start(['listen', '--port', String(port), ...LOOPBACK, '--json', '--count', '1'], cli.newHome());
    await listener.until((_o, err) => err.includes('listening on'));
    const chat = cli.start(['chat', '--port', String(port), ...LOOPBACK, '--nick', 'ann'], cli.newHome());
    await chat.until((_o, err) => err.includes('Type a message'));
    chat.child.stdin.write('/qiut\n');
    await chat.until((out) => out.includes('! unknown command /qiut'));
    chat.child.stdin.end('//shrug\n');
    expect(await listener.exited).toBe(0);
    expect(JSON.parse(listener.stdout)).toMatchObject({ text: '/shrug', nick: 'ann' });
    expect(await chat.exited).toBe(0);
  }, 30_000);

  it('one Ctrl+C that arrives twice (the terminal\'s, and the copy npm or tsx forwards) still stays to answer and says goodbye; a second one later quits at once', async () => {
    const port = randomPort();
    const listener = cli.start(['listen', '--port', String(port), ...LOOPBACK, '--json', '--count', '2'], cli.newHome());
    await listener.until((_o, err) => err.includes('listening on'));
    const start = async (nick: string): Promise<CliRun> => {
      const chat = cli.start(['chat', '--port', String(port), ...LOOPBACK, '--nick', nick], cli.newHome());
      await chat.until((_o, err) => err.includes('Type a message'));
      chat.child.stdin.write(`from ${nick}\n`);
      await listener.until((out) => out.includes(`from ${nick}`));
      return chat;
    };
    const once = await start('ann');
    once.child.kill('SIGINT');
    // The forwarded copy comes a moment later (two signals at once would merge into one).
    await new Promise((resolve) => setTimeout(resolve, 60));
    once.child.kill('SIGINT');
    await once.until((_o, err) => err.includes('finishing: staying while others ask'));
    // It lingered (2 s without an ask) and left on its own: exit 0, not the 130 of "quit now".
    expect(await once.exited).toBe(0);

    const twice = await start('bob');
    twice.child.kill('SIGINT');
    await twice.until((_o, err) => err.includes('finishing'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    twice.child.kill('SIGINT');
    expect(await twice.exited).toBe(130);
    expect(await listener.exited).toBe(0);
  }, 60_000);

  it('a busy port is reported once, naming SO_REUSEADDR', async () => {
    const port = randomPort();
    const blocker = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    await new Promise<void>((resolve) => blocker.bind(port, '0.0.0.0', () => resolve()));
    try {
      for (const command of ['listen', 'chat']) {
        const result = await cli.run([command, '--port', String(port), ...LOOPBACK], cli.newHome());
        expect(result.code, command).toBe(1);
        expect(`${result.stdout}${result.stderr}`.match(/in use/g), command).toHaveLength(1);
        expect(result.stderr).toContain('sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)');
      }
    } finally {
      blocker.close();
    }
  }, 30_000);

  it('send --raw puts exactly one datagram on the wire; next to a port held without SO_REUSEADDR it says it only sends', async () => {
    const port = randomPort();
    const receiver = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    const heard: string[] = [];
    receiver.on('message', (data) => heard.push(data.toString('utf8')));
    await new Promise<void>((resolve) => receiver.bind(port, GROUP, () => resolve()));
    receiver.addMembership(GROUP, '127.0.0.1');
    try {
      const sent = await cli.run(['send', '--raw', '--port', String(port), ...LOOPBACK, 'Hello Everyone!'], cli.newHome());
      expect(sent).toMatchObject({ code: 0, stderr: '' });
      // A marker sent after the CLI exited: once it is heard, everything the CLI sent was too.
      await sendDatagrams(port, ['marker']);
      await waitFor(() => heard.includes('marker'), 'the marker datagram');
      expect(heard).toEqual(['Hello Everyone!', 'marker']);
    } finally {
      receiver.close();
    }
    const busy = randomPort();
    const blocker = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    await new Promise<void>((resolve) => blocker.bind(busy, '0.0.0.0', () => resolve()));
    try {
      const result = await cli.run(['send', '--port', String(busy), ...LOOPBACK, 'framed'], cli.newHome());
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('sending only');
      expect(result.stderr).not.toContain('finishing');
    } finally {
      blocker.close();
    }
  }, 30_000);

  it('an address this machine does not have: the error names --iface or MCCHAT_IFACE', async () => {
    const home = cli.newHome();
    const fromFlag = await cli.run(['listen', '--iface', '198.18.254.254'], home);
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr).toMatch(/^mcchat: --iface: No interface of this machine has the address 198\.18\.254\.254/);
    const fromEnv = cli.start(['listen'], home, { MCCHAT_IFACE: '198.18.254.254' });
    expect(await fromEnv.exited).toBe(2);
    expect(fromEnv.stderr).toMatch(/^mcchat: MCCHAT_IFACE: No interface/);
  }, 30_000);

  it('names what is wrong: --ttl -1 and MCCHAT_IFACE=bogus', async () => {
    const home = cli.newHome();
    const ttl = await cli.run(['listen', '--ttl', '-1'], home);
    expect(ttl).toMatchObject({ code: 2, stderr: 'mcchat: --ttl: The TTL must be between 0 and 255.\n' });
    const iface = cli.start(['listen'], home, { MCCHAT_IFACE: 'bogus' });
    expect(await iface.exited).toBe(2);
    expect(iface.stderr).toMatch(/^mcchat: MCCHAT_IFACE: /);
  }, 30_000);
});
