import { describe, expect, it } from 'vitest';
import { linkify, safeHttpUrl } from './linkify.js';

describe('linkify', () => {
  it('finds http and https links and leaves the rest as text', () => {
    expect(linkify('see https://example.org/a?b=1 and http://x.test.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.test', href: 'http://x.test/' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'javascript://%0Aalert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 'mailto:a@b.c']) {
      expect(linkify(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('keeps parentheses that belong to the URL', () => {
    const parts = linkify('(https://en.wikipedia.org/wiki/TTL_(networking))');
    expect(parts[1]).toEqual({ kind: 'link', text: 'https://en.wikipedia.org/wiki/TTL_(networking)', href: 'https://en.wikipedia.org/wiki/TTL_(networking)' });
    expect(parts[2]).toEqual({ kind: 'text', text: ')' });
  });

  it('rejects what URL cannot parse or has no host', () => {
    expect(safeHttpUrl('http://')).toBeNull();
    expect(safeHttpUrl('https://[::1')).toBeNull();
    expect(safeHttpUrl('HTTPS://Example.org')).toBe('https://example.org/');
  });
});
