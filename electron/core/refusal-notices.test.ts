import { describe, expect, it } from 'vitest';
import { RefusalNotices } from './refusal-notices.js';

describe('notices for refused datagrams', () => {
  it('names the busiest sources since the last notice and sums the rest', () => {
    const notices = new RefusalNotices('Lab');
    const first = notices.refused('plainInPrivate', '198.18.0.5:40000', 0);
    expect(first?.error.code).toBe('ENCRYPTION_MISMATCH');
    expect(first?.sources).toEqual([{ src: '198.18.0.5:40000', count: 1 }]);
    for (let i = 0; i < 10; i++) expect(notices.refused('plainInPrivate', '198.18.0.6:1', 1_000 + i)).toBeNull();
    for (let i = 0; i < 200; i++) notices.refused('plainInPrivate', `198.18.1.${i % 100}:2`, 2_000);
    notices.refused('plainInPrivate', '198.18.0.7:3', 3_000);
    const next = notices.refused('plainInPrivate', '198.18.0.6:1', 61_000);
    expect(next?.sources[0]).toEqual({ src: '198.18.0.6:1', count: 11 });
    expect(next?.sources).toHaveLength(3);
    // 213 datagrams in the minute; 11 + 2 + 2 named, the rest summed (sources past 64 included).
    expect(next!.sources.reduce((n, s) => n + s.count, 0) + next!.more).toBe(212);
  });

  it('says each kind once a minute and ignores refusals it has nothing to say about', () => {
    const notices = new RefusalNotices('Lab');
    expect(notices.refused('wrongKey', 'a:1', 0)?.error.code).toBe('WRONG_PASSPHRASE');
    expect(notices.refused('encryptedNoKey', 'a:1', 1)?.error.code).toBe('ENCRYPTION_MISMATCH');
    expect(notices.refused('wrongKey', 'a:1', 59_000)).toBeNull();
    expect(notices.refused('badSignature', 'a:1', 0)).toBeNull();
  });
});
