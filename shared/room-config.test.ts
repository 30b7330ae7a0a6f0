import { describe, expect, it } from 'vitest';
import { ChatError } from './errors.js';
import { isFloodedBySnoopingSwitches, isLinkLocalMulticast, isMulticastIPv4 } from './ipv4.js';
import { groupWarnings, parseNickname, parseRoomConfig } from './room-config.js';
import { describeTtl } from './ttl-scopes.js';

function errorOf(fn: () => unknown): ChatError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ChatError) return error;
    throw error;
  }
  throw new Error('expected a ChatError');
}

describe('room settings validation', () => {
  it('fills defaults: group 239.255.42.99, port 4242, TTL 1, loopback on', () => {
    expect(parseRoomConfig({})).toEqual({ name: '239.255.42.99:4242', group: '239.255.42.99', port: 4242, ttl: 1, loopback: true });
  });

  it.each([
    [{ group: '10.0.0.1' }, 'INVALID_GROUP', 'group'],
    [{ group: '240.0.0.1' }, 'INVALID_GROUP', 'group'],
    [{ group: '239.1.2' }, 'INVALID_GROUP', 'group'],
    [{ group: '239.1.2.300' }, 'INVALID_GROUP', 'group'],
    [{ port: 0 }, 'INVALID_PORT', 'port'],
    [{ port: 65536 }, 'INVALID_PORT', 'port'],
    [{ port: 42.5 }, 'INVALID_PORT', 'port'],
    [{ port: '4242' }, 'INVALID_PORT', 'port'],
    [{ ttl: -1 }, 'INVALID_TTL', 'ttl'],
    [{ ttl: 256 }, 'INVALID_TTL', 'ttl'],
    [{ ttl: 1.5 }, 'INVALID_TTL', 'ttl'],
    [{ iface: 'eth0' }, 'INVALID_INTERFACE', 'iface'],
  ])('refuses %j with %s', (input, code, field) => {
    const error = errorOf(() => parseRoomConfig(input));
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/\w+ \w+/);
  });

  it('accepts the extremes of the ranges', () => {
    expect(parseRoomConfig({ group: '224.0.0.0', port: 1, ttl: 0 }).ttl).toBe(0);
    expect(parseRoomConfig({ group: '239.255.255.255', port: 65535, ttl: 255 }).port).toBe(65535);
  });

  it('refuses nicknames that are empty, too long or contain line breaks', () => {
    expect(parseNickname('  alice ')).toBe('alice');
    expect(errorOf(() => parseNickname('')).code).toBe('INVALID_NICKNAME');
    expect(errorOf(() => parseNickname('x'.repeat(33))).code).toBe('INVALID_NICKNAME');
    expect(errorOf(() => parseNickname('a\nb')).code).toBe('INVALID_NICKNAME');
  });
});

describe('group warnings', () => {
  it('warns that 224.0.0.x is never forwarded, whatever the TTL', () => {
    expect(isLinkLocalMulticast('224.0.0.251')).toBe(true);
    const [warning] = groupWarnings('224.0.0.251', 32);
    expect(warning?.code).toBe('LINK_LOCAL_GROUP');
    expect(warning?.message).toContain('TTL 32 still stays on this subnet');
  });

  it('warns about groups IGMP-snooping switches flood (the lecture uses 230.0.0.10 and 239.0.0.10)', () => {
    expect(isFloodedBySnoopingSwitches('230.0.0.10')).toBe(true);
    expect(isFloodedBySnoopingSwitches('239.128.0.7')).toBe(true);
    expect(isFloodedBySnoopingSwitches('239.255.42.99')).toBe(false);
    expect(groupWarnings('239.0.0.10', 1).map((w) => w.code)).toEqual(['SNOOPING_FLOOD']);
    expect(groupWarnings('230.0.0.10', 1).map((w) => w.code)).toEqual(['SNOOPING_FLOOD', 'NOT_ADMIN_SCOPED']);
  });

  it('has nothing to say about the default group', () => {
    expect(groupWarnings('239.255.42.99', 1)).toEqual([]);
    expect(isMulticastIPv4('223.255.255.255')).toBe(false);
  });
});

describe('TTL scopes', () => {
  it('names the lecture scopes and explains values between them', () => {
    expect(describeTtl(1)).toContain('subnet');
    expect(describeTtl(32)).toContain('site');
    expect(describeTtl(2)).toBe('TTL 2: crosses at most 1 router, wider than subnet scope.');
    expect(describeTtl(64, '224.0.0.5')).toContain('routers never forward it');
  });
});
