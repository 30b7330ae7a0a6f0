import { describe, expect, it } from 'vitest';
import { parseChatLine } from './chat-commands.js';

describe('a line typed into chat', () => {
  it('is text unless it starts with /', () => {
    expect(parseChatLine('hello /quit')).toEqual({ kind: 'text', text: 'hello /quit' });
    expect(parseChatLine('   ')).toEqual({ kind: 'empty' });
  });

  it('refuses an unknown command with a hint instead of sending it', () => {
    const line = parseChatLine('/qiut now');
    expect(line.kind).toBe('unknown');
    expect(line).toMatchObject({ message: expect.stringContaining('unknown command /qiut') as unknown });
    expect(line).toMatchObject({ message: expect.stringContaining('//qiut') as unknown });
  });

  it('sends a line starting with // as a literal /', () => {
    expect(parseChatLine('//shrug ¯\\_(ツ)_/¯')).toEqual({ kind: 'text', text: '/shrug ¯\\_(ツ)_/¯' });
  });

  it('reads the commands and their arguments', () => {
    expect(parseChatLine('/quit')).toEqual({ kind: 'quit' });
    expect(parseChatLine('/stats')).toEqual({ kind: 'stats' });
    expect(parseChatLine('/group')).toEqual({ kind: 'group' });
    expect(parseChatLine('/nick  bob ')).toEqual({ kind: 'nick', arg: 'bob' });
    expect(parseChatLine('/raw Hello Everyone!')).toEqual({ kind: 'raw', arg: 'Hello Everyone!' });
    expect(parseChatLine('/ttl 32')).toEqual({ kind: 'ttl', ttl: 32 });
    expect(parseChatLine('/ttl 1e3')).toMatchObject({ kind: 'ttl', ttl: Number.NaN });
  });
});
