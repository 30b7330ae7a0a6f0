import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from './args.js';

const parse = (...argv: string[]) => parseCli(argv, {}, 'me');

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
      options: { command: 'listen', group: '239.255.42.99', port: 4242, iface: undefined, ttl: 1, nick: 'me', loopback: true, json: false, count: undefined, raw: false, text: undefined, history: undefined, passphrase: undefined },
    });
  });

  it('reads every option', () => {
    const parsed = parse('send', '--group', '239.1.2.3', '--port', '5000', '--iface', '127.0.0.1', '--ttl', '32', '--nick', 'ann', '--no-loopback', '--raw', 'hello', 'world');
    expect(parsed).toMatchObject({ options: { group: '239.1.2.3', port: 5000, iface: '127.0.0.1', ttl: 32, nick: 'ann', loopback: false, raw: true, text: 'hello world' } });
  });

  it('takes the interface and nickname from the environment', () => {
    expect(parseCli(['listen'], { MCCHAT_IFACE: '127.0.0.1', MCCHAT_NICK: 'env' }, 'me')).toMatchObject({ options: { iface: '127.0.0.1', nick: 'env' } });
  });

  it.each([
    [['listen', '--port', '70000'], '--port: The port must be between 1 and 65535.'],
    [['listen', '--port', '12abc'], '--port: "12abc" is not a whole number.'],
    [['listen', '--ttl', '300'], '--ttl: The TTL must be between 0 and 255.'],
    [['listen', '--group', '10.1.1.1'], '--group: The group must be a multicast address, between 224.0.0.0 and 239.255.255.255.'],
    [['listen', '--iface', 'eth0'], '--iface: The interface must be an IPv4 address of this machine, such as 127.0.0.1.'],
    [['listen', '--count', '0'], '--count: must be at least 1'],
    [['listen', '--colour'], "Unknown option '--colour'"],
    [['shout'], 'unknown command "shout": use listen, send or chat'],
    [['send'], 'send: the text to send is missing, e.g. mcchat send "hello"'],
    [['listen', '--raw'], '--raw: only for send (in chat, type /raw <text>)'],
    [[], 'missing command: listen, send or chat (see --help)'],
  ])('refuses %j with one line naming the problem', (argv, message) => {
    const text = usageError(() => parse(...argv));
    expect(text).toBe(message);
    expect(text).not.toContain('\n');
  });
});
