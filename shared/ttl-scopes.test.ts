import { describe, expect, it } from 'vitest';
import { ttlBadgeText, ttlChangedText, ttlScopeName } from './ttl-scopes.js';

describe('TTL scope names', () => {
  it('follow the lecture table, and call every other value custom', () => {
    expect([0, 1, 32, 64, 128, 255].map(ttlScopeName)).toEqual(['host', 'subnet', 'site', 'region', 'continent', 'global']);
    expect([2, 5, 31, 33, 254].map(ttlScopeName)).toEqual(['custom', 'custom', 'custom', 'custom', 'custom']);
    expect(ttlBadgeText(32)).toBe('TTL 32 · site');
    expect(ttlBadgeText(5)).toBe('TTL 5 · custom');
  });

  it('say how far a new TTL reaches, in routers', () => {
    expect(ttlChangedText(0)).toBe('TTL changed to 0 (host): new messages never leave this computer.');
    expect(ttlChangedText(1)).toBe('TTL changed to 1 (subnet): new messages stay on this subnet: no router forwards them.');
    expect(ttlChangedText(2)).toBe('TTL changed to 2 (custom): new messages reach up to 1 router away.');
    expect(ttlChangedText(32, '239.255.42.99')).toBe('TTL changed to 32 (site): new messages reach up to 31 routers away.');
    expect(ttlChangedText(255)).toBe('TTL changed to 255 (global): new messages reach up to 254 routers away.');
  });

  it('warn that a link-local group never crosses a router, whatever the TTL', () => {
    expect(ttlChangedText(64, '224.0.0.251')).toMatch(/region\): new messages reach up to 63 routers away\. But 224\.0\.0\.x is link-local/);
    expect(ttlChangedText(1, '224.0.0.251')).not.toContain('link-local');
  });
});
