import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../App.js';
import { connectedFake } from '../../test-helpers.js';

// jsdom has no layout: a viewport for the log and a height for every row, so the virtualizer renders rows.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(() => 400);
  vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockImplementation(() => 4000);
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(() => 40);
});
afterEach(() => vi.restoreAllMocks());

const inspector = () => screen.getByRole('region', { name: /^Wire story:/ });
const row = (text: string): HTMLElement => {
  const found = screen.getByText(text, { selector: '.message__text' }).closest<HTMLElement>('[data-message-key]');
  if (!found) throw new Error(`no row for "${text}"`);
  return found;
};
const fact = (label: string): string | null => within(inspector()).getByText(label, { selector: 'dt' }).nextElementSibling?.textContent ?? null;

async function lobbyWith(setup: (fake: Awaited<ReturnType<typeof connectedFake>>, roomId: string) => void, passphrase?: string) {
  const fake = await connectedFake();
  const joined = await fake.joinRoom({ name: 'lobby', group: '239.255.42.99', port: 4242, ttl: 32, ...(passphrase ? { passphrase } : {}) });
  if (!joined.ok) throw new Error(joined.error.message);
  act(() => setup(fake, joined.value.roomId));
  const user = userEvent.setup();
  render(<App />);
  return { fake, room: joined.value, user };
}

describe('the message inspector', () => {
  it('a chat message: where it came from, its TTL and scope, how it got here, its header fields and a hex dump with the parts marked', async () => {
    const { user } = await lobbyWith((fake, roomId) => {
      fake.receive(roomId, { nick: 'alice', text: 'Hello Everyone!', src: '192.168.1.20:4242', ttl: 32, via: 'repair', iface: 'eth0' });
    });
    await user.click(row('Hello Everyone!'));
    expect(within(inspector()).getByRole('heading', { level: 2 }).textContent).toBe('Wire story: Message from alice');
    expect(fact('From')).toBe('192.168.1.20:4242');
    expect(fact('Arrived on')).toBe('eth0 (192.168.1.10)');
    expect(fact('To group')).toBe('239.255.42.99:4242');
    expect(fact('TTL')).toBe('32 · site');
    expect(fact('Sequence number')).toMatch(/^\d+$/);
    const journey = within(inspector()).getByRole('list', { name: 'How it got here' }).textContent ?? '';
    expect(journey).toContain('Repaired: lost on the way, then resent by the sender after a NACK asked for it.');
    expect(journey).toMatch(/Signature verified: key [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}\./);

    const fields = await within(inspector()).findByRole('table', { name: 'Header fields' });
    const seq = within(fields).getByRole('rowheader', { name: 'seq' }).closest('tr');
    expect(seq?.textContent).toContain('sequence number');
    expect(within(fields).getByRole('rowheader', { name: 'ttl' }).closest('tr')?.textContent).toContain('site scope');
    const dump = within(inspector()).getByLabelText('Hex dump of the datagram');
    expect(dump.textContent).toMatch(/^0000 {2}4d 43 43 32 20 7b/);
    expect(dump.querySelector('.wire-part--marker')?.textContent).toBe('4d 43 43 32 20');
    expect(dump.querySelectorAll('.wire-part--signature').length).toBeGreaterThan(0);
    // The text is in the dump (split across rows where the 16-byte rows break it).
    expect(dump.textContent).toContain('ello Every');
    const legend = within(inspector()).getByRole('list', { name: 'Parts of the datagram' }).textContent ?? '';
    expect(legend).toContain('marker 5 B');
    expect(legend).toContain('body 15 B');
    // The room details are back when it closes.
    expect(screen.queryByRole('complementary', { name: 'Room details' })).toBeNull();
    await user.click(within(inspector()).getByRole('button', { name: 'Close the wire story' }));
    expect(screen.queryByRole('region', { name: /^Wire story:/ })).toBeNull();
    expect(screen.getByRole('complementary', { name: 'Room details' })).toBeTruthy();
    expect(document.activeElement).toBe(row('Hello Everyone!'));
  });

  it('keyboard: the arrows move between messages in the log, Enter opens one, Escape closes it and focus returns to the row', async () => {
    const { user } = await lobbyWith((fake, roomId) => {
      for (const text of ['first', 'second', 'third']) fake.receive(roomId, { nick: 'bob', text });
    });
    screen.getByRole('list', { name: 'Messages in lobby' }).focus();
    await user.keyboard('{ArrowUp}');
    expect(document.activeElement).toBe(row('third'));
    await user.keyboard('{ArrowUp}{ArrowUp}{ArrowDown}');
    expect(document.activeElement).toBe(row('second'));
    await user.keyboard('{Enter}');
    expect(inspector()).toBeTruthy();
    expect(within(inspector()).getByRole('blockquote').textContent).toBe('second');
    // Focus went to the story's heading, so it is read from the top.
    expect(document.activeElement).toBe(within(inspector()).getByRole('heading', { level: 2 }));
    expect(row('second').className).toContain('message--inspected');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: /^Wire story:/ })).toBeNull();
    expect(document.activeElement).toBe(row('second'));
    expect(row('second').className).not.toContain('message--inspected');
  });

  it("a raw datagram: its source and size; no TTL; its text's bytes, saying the original bytes are not kept", async () => {
    const { user } = await lobbyWith((fake, roomId) => {
      fake.receive(roomId, { raw: true, text: 'Hello Everyone!', src: '10.0.0.5:50000' });
    });
    await user.click(row('Hello Everyone!'));
    expect(within(inspector()).getByRole('heading', { level: 2 }).textContent).toBe('Wire story: Raw datagram from 10.0.0.5:50000');
    expect(fact('From')).toBe('10.0.0.5:50000');
    expect(fact('TTL')).toBe('not known');
    expect(fact('Sequence number')).toBe('none (raw)');
    expect(inspector().textContent).toContain('Raw datagram: no marker, no header, no signature.');
    expect(inspector().textContent).toContain('The original bytes of a raw datagram are not kept.');
    expect(within(inspector()).queryByRole('table')).toBeNull();
    const dump = within(inspector()).getByLabelText('Hex dump of the datagram');
    expect(dump.querySelector('.wire-part--raw')?.textContent).toBe('48 65 6c 6c 6f 20 45 76 65 72 79 6f 6e 65 21');
  });

  it("a passphrase room's message: decrypted with the key id; on the wire the key id, the ciphertext and the tag", async () => {
    const { user, room } = await lobbyWith((fake, roomId) => {
      fake.receive(roomId, { nick: 'carol', text: 'only members read this' });
    }, 'correct horse battery staple');
    expect(room.keyId).toMatch(/^[0-9a-f]{8}$/);
    await user.click(row('only members read this'));
    const journey = within(inspector()).getByRole('list', { name: 'How it got here' }).textContent ?? '';
    expect(journey).toContain(`Decrypted with key ${room.keyId ?? ''}.`);
    await within(inspector()).findByText(/Only this clear header can be read on the wire/);
    const legend = within(inspector()).getByRole('list', { name: 'Parts of the datagram' }).textContent ?? '';
    expect(legend).toContain('key id 16 B');
    expect(legend).toContain('ciphertext');
    expect(legend).toContain('GCM tag 16 B');
    const fields = within(inspector()).getByRole('table', { name: 'Header fields' });
    expect(within(fields).getByRole('rowheader', { name: 'kid' }).closest('tr')?.textContent).toContain(`"${room.keyId ?? ''}"`);
    expect(within(fields).queryByRole('rowheader', { name: 'nick' })).toBeNull();
    const dump = within(inspector()).getByLabelText('Hex dump of the datagram');
    expect(dump.querySelector('.wire-part--key-id')).toBeTruthy();
    expect(dump.querySelector('.wire-part--tag')).toBeTruthy();
    expect(dump.textContent).not.toContain('only members');
  });

  it('our own message: sent by you, signed with our key, from our interface', async () => {
    const { fake, user, room } = await lobbyWith(() => undefined);
    await act(async () => {
      await fake.sendMessage({ roomId: room.roomId, text: 'hi from me', raw: false });
    });
    await user.click(row('hi from me'));
    expect(within(inspector()).getByRole('heading', { level: 2 }).textContent).toBe('Wire story: Your message');
    expect(fact('From (you)')).toBe('192.168.1.10:4242');
    expect(fact('Sent on')).toBe('eth0 (192.168.1.10)');
    const journey = within(inspector()).getByRole('list', { name: 'How it got here' }).textContent ?? '';
    expect(journey).toContain('Sent by you.');
    expect(journey).toContain('Signed with your key f00d face cafe 0001.');
    expect(await within(inspector()).findByLabelText('Hex dump of the datagram')).toBeTruthy();
  });

  it('text from the network stays text: no markup, control and bidi characters shown as escapes or dots', async () => {
    const evil = '<img src=x onerror=alert(1)>\u0007\u202eevil';
    const { user } = await lobbyWith((fake, roomId) => {
      fake.receive(roomId, { nick: 'mallory', text: evil });
    });
    await user.click(row(evil));
    const dump = await within(inspector()).findByLabelText('Hex dump of the datagram');
    expect(inspector().querySelector('img, script')).toBeNull();
    const wireText = inspector().querySelector('.wire-text .wire-part--body')?.textContent;
    expect(wireText).toBe('<img src=x onerror=alert(1)>\\x07\\u202eevil');
    // Only printable ASCII and the row breaks: every other byte is a dot in the text column.
    expect([...(dump.textContent ?? '')].every((c) => c === '\n' || (c >= ' ' && c <= '~'))).toBe(true);
  });

  it('says so when the datagrams are no longer kept', async () => {
    const { fake, user } = await lobbyWith((f, roomId) => {
      f.receive(roomId, { nick: 'dave', text: 'old news' });
    });
    vi.spyOn(fake, 'getMessageWire').mockResolvedValue({ ok: true, value: null });
    await user.click(row('old news'));
    expect(await within(inspector()).findByText(/no longer kept/)).toBeTruthy();
    // What the message itself says is still there.
    expect(fact('TTL')).toBe('1 · subnet');
  });

  it('clicking a link in a message follows the link and does not open the inspector', async () => {
    const { user } = await lobbyWith((fake, roomId) => {
      fake.receive(roomId, { nick: 'erin', text: 'see https://example.org/x' });
    });
    await user.click(screen.getByRole('link', { name: 'https://example.org/x' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: /^Wire story:/ })).toBeNull());
  });
});
