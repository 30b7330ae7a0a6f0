import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App.js';
import { PRESENTER_KEY, readPresenter } from './store/inspector-store.js';
import { connectedFake } from './test-helpers.js';

beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(() => 400);
  vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockImplementation(() => 4000);
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(() => 40);
});
afterEach(() => vi.restoreAllMocks());

const latest = () => screen.getByRole('region', { name: 'On the wire: the latest message' });

async function classroom(passphrase?: string) {
  const fake = await connectedFake();
  const joined = await fake.joinRoom({ name: 'lecture', group: '239.255.42.99', port: 4242, ttl: 32, ...(passphrase ? { passphrase } : {}) });
  if (!joined.ok) throw new Error(joined.error.message);
  act(() => {
    fake.receive(joined.value.roomId, { nick: 'alice', text: 'first question', ttl: 32, via: 'live' });
  });
  const user = userEvent.setup();
  const view = render(<App />);
  return { fake, room: joined.value, user, view };
}

describe('presenter mode', () => {
  it('one switch: the page turns to presenter mode, the newest message on the wire takes the details column, and it is remembered', async () => {
    const { fake, room, user, view } = await classroom();
    const toggle = screen.getByRole('button', { name: 'Presenter mode' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByRole('complementary', { name: 'Room details' })).toBeTruthy();

    await user.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(view.container.querySelector('.app')?.className).toContain('app--presenter');
    expect(localStorage.getItem(PRESENTER_KEY)).toBe('1');
    expect(readPresenter()).toBe(true);
    expect(screen.queryByRole('complementary', { name: 'Room details' })).toBeNull();
    expect(within(latest()).getByRole('blockquote').textContent).toBe('alice: first question');
    expect(within(latest()).getByText('TTL', { selector: 'dt' }).nextElementSibling?.textContent).toBe('32 · site');
    // The text view large, the hex dump folded away; the header fields table left out.
    await waitFor(() => expect(latest().querySelector('.wire-text .wire-part--marker')?.textContent).toBe('MCC2 '));
    expect(within(latest()).getByText('Bytes in hex').closest('details')?.open).toBe(false);
    expect(within(latest()).queryByRole('table')).toBeNull();

    // The newest message follows the conversation.
    act(() => {
      fake.receive(room.roomId, { nick: 'bob', text: 'an answer', ttl: 1 });
    });
    expect(within(latest()).getByRole('blockquote').textContent).toBe('bob: an answer');
    await waitFor(() => expect(latest().querySelector('.wire-text .wire-part--body')?.textContent).toBe('an answer'));
    expect(within(latest()).getByText('TTL', { selector: 'dt' }).nextElementSibling?.textContent).toBe('1 · subnet');

    await user.click(toggle);
    expect(localStorage.getItem(PRESENTER_KEY)).toBeNull();
    expect(screen.getByRole('complementary', { name: 'Room details' })).toBeTruthy();
  });

  it('no fingerprints and no key ids on the projector: "signature verified", "decrypted with the room key", the lock says private', async () => {
    const { user, room } = await classroom('correct horse battery staple');
    expect(room.keyId).toMatch(/^[0-9a-f]{8}$/);
    const header = () => screen.getByRole('heading', { level: 2, name: 'lecture' }).parentElement as HTMLElement;
    expect(header().textContent).toContain(`key ${room.keyId ?? ''}`);
    await user.click(screen.getByRole('button', { name: 'Presenter mode' }));
    expect(header().textContent).not.toContain(room.keyId ?? '');
    expect(header().textContent).toContain('private');
    const journey = within(latest()).getByRole('list', { name: 'How it got here' }).textContent ?? '';
    expect(journey).toContain('Signature verified.');
    expect(journey).toContain('Decrypted with the room key.');
    expect(journey).not.toMatch(/[0-9a-f]{4} [0-9a-f]{4}/);
    expect(journey).not.toContain(room.keyId ?? '');
    // The datagram as text keeps its structure; the values naming keys and peers are left out.
    await waitFor(() => expect(latest().querySelector('.wire-text .wire-part--key-id')?.textContent).toBe('"kid":"…"'));
    const wireText = latest().querySelector('.wire-text')?.textContent ?? '';
    expect(wireText).toMatch(/^MCC2 \{"t":"enc","peer":"…","kid":"…","sess":"…","n":\d+\}\\n.*<signature, 86 characters>$/);
    expect(wireText).not.toContain(room.keyId ?? '');

    // A message picked in presenter mode opens compact, with the same rule.
    await user.click(screen.getByText('first question', { selector: '.message__text' }));
    const story = screen.getByRole('region', { name: 'Wire story: Message from alice' });
    expect(story.className).toContain('inspector--compact');
    expect(within(story).getByRole('list', { name: 'How it got here' }).textContent).not.toContain(room.keyId ?? '');
  });

  it('says what to do in a room where nothing was said yet', async () => {
    const fake = await connectedFake();
    await fake.joinRoom({ name: 'empty', group: '239.255.1.1', port: 4000 });
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByRole('button', { name: 'Presenter mode' }));
    expect(latest().textContent).toContain('Nothing said here yet');
  });
});
