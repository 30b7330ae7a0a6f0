import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { connectedFake, message } from '../test-helpers.js';
import { MessageRow } from './MessageRow.js';

describe('MessageRow', () => {
  it('opens an http link through openExternal, never in the window', async () => {
    const fake = await connectedFake();
    const openExternal = vi.spyOn(fake, 'openExternal');
    render(<MessageRow message={message({ text: 'slides: https://example.org/l7.pdf, enjoy' })} />);
    const link = screen.getByRole('link', { name: 'https://example.org/l7.pdf' });
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    link.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    await waitFor(() => expect(openExternal).toHaveBeenCalledWith('https://example.org/l7.pdf'));
  });

  it('leaves javascript: URLs as plain text', () => {
    const { container } = render(<MessageRow message={message({ text: 'javascript:alert(1)' })} />);
    expect(screen.queryByRole('link')).toBeNull();
    expect(container.querySelector('.message__text')?.textContent).toBe('javascript:alert(1)');
  });

  it('renders markup as literal text', () => {
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const { container } = render(<MessageRow message={message({ text: evil, nick: '<b>mallory</b>' })} />);
    expect(container.querySelector('img, script, b')).toBeNull();
    expect(container.querySelector('.message__text')?.textContent).toBe(evil);
    expect(screen.getByText('<b>mallory</b>', { exact: false })).toBeTruthy();
  });

  it('marks own messages apart from others and shows nick, time and TTL', () => {
    const { container } = render(
      <>
        <MessageRow message={message({ own: true, nick: 'me', ttl: 32 })} />
        <MessageRow message={message({ own: false, nick: 'alice', ttl: 1 })} />
      </>,
    );
    const [own, other] = Array.from(container.querySelectorAll('.message'));
    expect(own?.classList.contains('message--own')).toBe(true);
    expect(own?.textContent).toContain('(you)');
    expect(own?.querySelector('.badge--ttl')?.textContent).toBe('site');
    // The TTL number, seq and id are one hover away.
    expect(own?.getAttribute('title')).toMatch(/ · TTL 32 · seq \d+ · id m\d+$/);
    expect(other?.classList.contains('message--other')).toBe(true);
    expect(other?.textContent).toContain('alice');
    expect(other?.querySelector('.badge--ttl')?.textContent).toBe('subnet');
    expect(other?.querySelector('time')?.getAttribute('dateTime')).toBe('2023-11-14T22:13:20.000Z');
  });

  it("names the TTL's scope on the badge, from the lecture's table", () => {
    const expected: readonly (readonly [number, string])[] = [
      [0, 'host'],
      [1, 'subnet'],
      [32, 'site'],
      [64, 'region'],
      [128, 'continent'],
      [255, 'global'],
      [5, 'TTL 5'],
    ];
    for (const [ttl, text] of expected) {
      const { container, unmount } = render(<MessageRow message={message({ ttl })} />);
      const badge = container.querySelector('.badge--ttl');
      expect(badge?.textContent).toBe(text);
      // The full sentence is one hover away: what the scope means, not just its name.
      expect(badge?.getAttribute('title')).toMatch(new RegExp(`^Sent with TTL ${ttl}`));
      unmount();
    }
  });

  it('marks raw datagrams with "raw" and their source', () => {
    const { container } = render(<MessageRow message={message({ kind: 'raw', nick: null, peerId: null, ttl: null, src: '10.1.2.3:5007', text: 'hi' })} />);
    expect(container.querySelector('.message--raw')).not.toBeNull();
    expect(screen.getByText('raw')).toBeTruthy();
    expect(screen.getByText('10.1.2.3:5007')).toBeTruthy();
    expect(container.textContent).not.toContain('TTL');
  });

  it('survives a timestamp no clock can show', () => {
    render(<MessageRow message={message({ ts: Number.NaN, text: 'time travel' })} />);
    expect(screen.getByText('--:--:--')).toBeTruthy();
  });

  it('lets the user open links with the keyboard', async () => {
    const fake = await connectedFake();
    const openExternal = vi.spyOn(fake, 'openExternal');
    const user = userEvent.setup();
    render(<MessageRow message={message({ text: 'https://example.org' })} />);
    await user.tab();
    expect(document.activeElement?.tagName).toBe('A');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(openExternal).toHaveBeenCalledWith('https://example.org/'));
  });
});
