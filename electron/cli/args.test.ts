import { describe, expect, it } from 'vitest';
import { parseCli, USAGE, UsageError } from './args.js';

const parse = (...argv: string[]) => parseCli(argv, {});

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('mcchat arguments', () => {
  it('has the documented defaults', () => {
    expect(parse('listen')).toEqual({
      kind: 'run',
      options: { command: 'listen', group: '239.255.42.99', port: 4242, iface: undefined, ttl: 1, nick: undefined, profile: null, loopback: true, json: false, ttlMax: 8, count: undefined, stats: false, passive: false, raw: false, text: undefined, history: undefined, passphrase: undefined },
    });
  });

  it('reads every option', () => {
    const parsed = parse('send', '--group', '239.1.2.3', '--port', '5000', '--iface', '127.0.0.1', '--ttl', '32', '--nick', 'ann', '--no-loopback', '--raw', 'hello', 'world');
    expect(parsed).toMatchObject({ options: { group: '239.1.2.3', port: 5000, iface: '127.0.0.1', ttl: 32, nick: 'ann', loopback: false, raw: true, text: 'hello world' } });
  });

  it('takes the interface, nickname and profile from the environment', () => {
    expect(parseCli(['listen'], { MCCHAT_IFACE: '127.0.0.1', MCCHAT_NICK: 'env', MCCHAT_PROFILE: 'bob' })).toMatchObject({ options: { iface: '127.0.0.1', nick: 'env', profile: 'bob' } });
    expect(parseCli(['listen', '--profile', 'ann'], { MCCHAT_PROFILE: 'bob' })).toMatchObject({ options: { profile: 'ann' } });
  });

  it('reads the listen-only switches', () => {
    expect(parse('listen', '--stats', '--passive', '--json', '--count', '3')).toMatchObject({ options: { stats: true, passive: true, json: true, count: 3 } });
  });

  it('reads probe and doctor with their options', () => {
    expect(parse('probe', '--ttl-max', '3', '--json', '--iface', '127.0.0.1')).toMatchObject({ options: { command: 'probe', ttlMax: 3, json: true, iface: '127.0.0.1' } });
    expect(parse('probe')).toMatchObject({ options: { command: 'probe', ttlMax: 8, json: false } });
    expect(parse('probe', '--ttl-max', '255')).toMatchObject({ options: { ttlMax: 255 } });
    expect(parse('doctor', '--json', '--group', '239.1.2.3')).toMatchObject({ options: { command: 'doctor', json: true, group: '239.1.2.3' } });
  });

  it('documents the new commands and options in the help', () => {
    expect(parse('--help')).toEqual({ kind: 'help' });
    for (const word of ['probe ', 'doctor ', '--ttl-max <n>', '"peers":[...]']) expect(USAGE).toContain(word);
  });

  it('takes a value starting with a dash as the value, not as an option', () => {
    expect(parse('send', '--nick', '-bob-', 'hi')).toMatchObject({ options: { nick: '-bob-', text: 'hi' } });
  });

  it('names the environment variable a bad value came from', () => {
    expect(usageError(() => parseCli(['listen'], { MCCHAT_IFACE: 'bogus' }))).toBe('MCCHAT_IFACE: The interface must be an IPv4 address of this machine, such as 127.0.0.1.');
    expect(usageError(() => parseCli(['listen'], { MCCHAT_PROFILE: '../etc' }))).toBe('MCCHAT_PROFILE: a profile name has 1 to 32 letters, digits, "_" or "-".');
    expect(usageError(() => parseCli(['listen'], { MCCHAT_NICK: 'eve\x1b]0;x\x07' }))).toMatch(/^MCCHAT_NICK: A nickname cannot contain control characters/);
  });

  it.each([
    [['listen', '--port', '70000'], '--port: The port must be between 1 and 65535.'],
    [['listen', '--port', '12abc'], '--port: "12abc" is not a whole number.'],
    [['listen', '--ttl', '300'], '--ttl: The TTL must be between 0 and 255.'],
    [['listen', '--ttl', '-1'], '--ttl: The TTL must be between 0 and 255.'],
    [['send', '--port', '-5', 'x'], '--port: The port must be between 1 and 65535.'],
    [['listen', '--profile', 'a/b'], '--profile: a profile name has 1 to 32 letters, digits, "_" or "-".'],
    [['listen', '--nick', 'a\u202eb'], '--nick: A nickname cannot contain control characters, line breaks or invisible formatting characters.'],
    [['chat', '--stats'], '--stats: only for listen'],
    [['send', '--passive', 'x'], '--passive: only for listen'],
    [['listen', '--group', '10.1.1.1'], '--group: The group must be a multicast address, between 224.0.0.0 and 239.255.255.255.'],
    [['listen', '--iface', 'eth0'], '--iface: The interface must be an IPv4 address of this machine, such as 127.0.0.1.'],
    [['listen', '--count', '0'], '--count: must be at least 1'],
    [['listen', '--colour'], "Unknown option '--colour'"],
    [['shout'], 'unknown command "shout": use listen, send, chat, probe or doctor'],
    [['send'], 'send: the text to send is missing, e.g. mcchat send "hello"'],
    [['listen', '--raw'], '--raw: only for send (in chat, type /raw <text>)'],
    [[], 'missing command: listen, send, chat, probe or doctor (see --help)'],
    [['chat', '--json'], '--json: only for listen, probe and doctor'],
    [['listen', '--ttl-max', '3'], '--ttl-max: only for probe'],
    [['probe', '--ttl-max', '0'], '--ttl-max: must be between 1 and 255'],
    [['probe', '--ttl-max', '256'], '--ttl-max: must be between 1 and 255'],
    [['probe', '--ttl-max', '-3'], '--ttl-max: must be between 1 and 255'],
    [['probe', '--ttl-max', 'eight'], '--ttl-max: "eight" is not a whole number.'],
    [['probe', '--count', '3'], '--count: only for listen'],
    [['probe', 'extra'], 'probe: unexpected argument "extra"'],
    [['doctor', '--history', 'dir'], '--history: only for listen and chat'],
    [['doctor', '--raw'], '--raw: only for send (in chat, type /raw <text>)'],
  ])('refuses %j with one line naming the problem', (argv, message) => {
    const text = usageError(() => parse(...argv));
    expect(text).toBe(message);
    expect(text).not.toContain('\n');
  });
});
