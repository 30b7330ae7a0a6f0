import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App.js';
import { connect } from './connect.js';
import { createFakeApi } from './fake-api.js';
import { useChatStore } from './store/store.js';
import { connectedFake, joinRoom } from './test-helpers.js';

describe('start-up', () => {
  it('subscribes, reads the state, then says it is ready', async () => {
    const fake = createFakeApi();
    const order: string[] = [];
    const on = fake.on;
    vi.spyOn(fake, 'on').mockImplementation((event, cb) => (order.push(`on:${event}`), on(event, cb)));
    vi.spyOn(fake, 'getState').mockImplementation(async () => (order.push('getState'), { ok: true, value: { appVersion: '1', peerId: 'p', fingerprint: 'p', nickname: 'n', firstRun: false, rooms: [], interfaces: [], pinnedIface: null } }));
    vi.spyOn(fake, 'rendererReady').mockImplementation(async () => (order.push('rendererReady'), { ok: true, value: null }));
    await connect(fake);
    expect(order).toEqual(['on:core', 'on:notice', 'on:openRoom', 'getState', 'rendererReady']);
    expect(useChatStore.getState().phase).toBe('ready');
  });

  it('says so when the state cannot be read', async () => {
    const fake = createFakeApi();
    vi.spyOn(fake, 'getState').mockRejectedValue(new Error('ipc closed'));
    await connect(fake);
    render(<App />);
    expect(screen.getByRole('heading', { name: 'Multicast Chat could not start' })).toBeTruthy();
    expect(screen.getByText(/did not answer \(ipc closed\)/)).toBeTruthy();
  });
});

describe('first run', () => {
  it('asks for a valid nickname before showing the chat', async () => {
    // Until a nickname is chosen the core announces a stand-in (main's fallbackNickname): the prompt suggests it.
    const fake = await connectedFake({ firstRun: true, nickname: 'guest' });
    const setNickname = vi.spyOn(fake, 'setNickname');
    const user = userEvent.setup();
    render(<App />);
    expect(screen.queryByRole('navigation', { name: 'Rooms' })).toBeNull();
    const input = screen.getByLabelText('Choose a nickname') as HTMLInputElement;
    expect(input.value).toBe('guest');
    // Selected, so typing a name replaces the suggestion instead of adding to it.
    expect(document.activeElement).toBe(input);
    expect([input.selectionStart, input.selectionEnd]).toEqual([0, 5]);
    await user.clear(input);
    await user.click(screen.getByRole('button', { name: 'Start chatting' }));
    expect(screen.getByText('A nickname needs at least one character.')).toBeTruthy();
    await user.type(input, 'x'.repeat(33));
    expect(screen.getByText('A nickname has at most 32 characters.')).toBeTruthy();
    expect(setNickname).not.toHaveBeenCalled();
    await user.clear(input);
    await user.type(input, '  ada  {Enter}');
    expect(setNickname).toHaveBeenCalledWith('ada');
    expect(await screen.findByRole('navigation', { name: 'Rooms' })).toBeTruthy();
    expect(screen.getByText('ada')).toBeTruthy();
  });
});

describe('main window', () => {
  async function twoRooms() {
    const fake = await connectedFake();
    const lobby = await joinRoom(fake, 'lobby', '239.255.42.99');
    const lab = await joinRoom(fake, 'lab', '239.255.7.7', 5000);
    const user = userEvent.setup();
    render(<App />);
    return { fake, lobby, lab, user };
  }

  it('lists rooms with endpoint and unread count, and switches with the keyboard', async () => {
    const { fake, lab, user } = await twoRooms();
    act(() => {
      fake.receive(lab.roomId, { nick: 'bob', text: 'one' });
      fake.receive(lab.roomId, { nick: 'bob', text: 'two' });
    });
    const rooms = screen.getByRole('list', { name: 'Joined rooms' });
    const labButton = within(rooms).getByRole('button', { name: /lab/ });
    expect(labButton.textContent).toContain('239.255.7.7:5000');
    expect(labButton.textContent).toContain('2 unread');
    expect(screen.getByRole('heading', { level: 2, name: 'lobby' })).toBeTruthy();

    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(screen.getByRole('heading', { level: 2, name: 'lab' })).toBeTruthy();
    expect(labButton.textContent).not.toContain('unread');

    await user.keyboard('{Control>}1{/Control}');
    expect(screen.getByRole('heading', { level: 2, name: 'lobby' })).toBeTruthy();

    const lobbyButton = within(rooms).getByRole('button', { name: /lobby/ });
    lobbyButton.focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(labButton);
    expect(labButton.getAttribute('aria-current')).toBe('true');
    expect(labButton.tabIndex).toBe(0);
    expect(lobbyButton.tabIndex).toBe(-1);
  });

  it('leaves a room', async () => {
    const { fake, lobby, user } = await twoRooms();
    const leaveRoom = vi.spyOn(fake, 'leaveRoom');
    await user.click(screen.getByRole('button', { name: 'Leave room' }));
    expect(leaveRoom).toHaveBeenCalledWith(lobby.roomId);
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: 'lab' })).toBeTruthy());
    expect(within(screen.getByRole('list', { name: 'Joined rooms' })).queryByRole('button', { name: /lobby/ })).toBeNull();
  });

  it('shows peers, interfaces, counters and warnings of the open room', async () => {
    const fake = await connectedFake();
    const room = await joinRoom(fake, 'mdns', '224.0.0.251', 5353);
    act(() => {
      fake.receive(room.roomId, { nick: 'carol', text: 'hi', src: '192.168.1.77:5353' });
    });
    render(<App />);
    const people = screen.getByRole('list', { name: 'People in this room' });
    expect(within(people).getByText('carol')).toBeTruthy();
    // One line each: where they are heard and their app are in the peer's details.
    expect(within(people).queryByText('192.168.1.77:5353')).toBeNull();
    await userEvent.setup().click(within(people).getByRole('button', { name: 'Details: carol' }));
    expect(within(people).getByText('192.168.1.77:5353')).toBeTruthy();
    expect(within(people).getByText('Multicast Chat 0.1.0')).toBeTruthy();
    expect(screen.getByText('eth0')).toBeTruthy();
    expect(screen.getAllByText(/224\.0\.0\.251 is in 224\.0\.0\.0\/24, the link-local block/).length).toBeGreaterThan(0);
    const datagramsIn = screen.getByText('Datagrams in').parentElement;
    expect(datagramsIn?.textContent).toBe('Datagrams in1');
  });

  it('shows app notices one line each in the header, announced politely, that the user can dismiss', async () => {
    const { fake, user } = await twoRooms();
    act(() => fake.notice({ level: 'warning', message: 'Another copy of Multicast Chat is running. Close it to free the port.' }));
    const line = within(screen.getByRole('list', { name: 'App notices' })).getByText('Another copy of Multicast Chat is running. Close it to free the port.').closest('li');
    expect(line?.getAttribute('role')).toBeNull();
    expect(screen.getByRole('banner').contains(line ?? null)).toBe(true);
    expect(screen.getAllByRole('status').some((s) => s.textContent === 'Another copy of Multicast Chat is running. Close it to free the port.')).toBe(true);
    await user.click(screen.getByRole('button', { name: /^Dismiss: Another copy/ }));
    expect(screen.queryByText(/Another copy/)).toBeNull();
  });

  it('changes the nickname from the header', async () => {
    const { fake, user } = await twoRooms();
    const setNickname = vi.spyOn(fake, 'setNickname');
    await user.click(screen.getByRole('button', { name: 'Change nickname' }));
    const input = screen.getByLabelText('Nickname');
    await user.clear(input);
    await user.type(input, 'grace{Enter}');
    expect(setNickname).toHaveBeenCalledWith('grace');
    await waitFor(() => expect(within(screen.getByRole('banner')).getByText('grace')).toBeTruthy());
  });
});

describe('reliability and history in the window', () => {
  // jsdom has no layout: a viewport and row heights, so the virtualized log renders rows.
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
    vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockReturnValue(4000);
    vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(40);
  });
  afterEach(() => vi.restoreAllMocks());

  it('names the command-line interface the same way for every room and in the add-room form', async () => {
    const fake = await connectedFake({ pinnedIface: '127.0.0.1' });
    // Rejoined at start with the pin as its interface, and added in the form without one: both are pinned.
    const saved = await fake.joinRoom({ name: 'saved', group: '239.255.1.1', port: 4000, iface: '127.0.0.1' });
    await joinRoom(fake, 'added', '239.255.1.2', 4001);
    if (!saved.ok) throw new Error(saved.error.message);
    const user = userEvent.setup();
    render(<App />);
    const details = screen.getByRole('complementary', { name: 'Room details' });
    expect(within(details).getByText(/Loopback on · TTL 1/).textContent).toBe('Loopback on · TTL 1 · Pinned to 127.0.0.1 (--iface)');
    await user.click(within(screen.getByRole('list', { name: 'Joined rooms' })).getByRole('button', { name: /added/ }));
    expect(within(details).getByText(/Loopback on · TTL 1/).textContent).toBe('Loopback on · TTL 1 · Pinned to 127.0.0.1 (--iface)');
    await user.click(screen.getByRole('button', { name: '+ Add a room' }));
    const select = screen.getByLabelText('Interface') as HTMLSelectElement;
    expect(select.disabled).toBe(true);
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual(['127.0.0.1']);
    expect(screen.getByText('Pinned to 127.0.0.1 (--iface): every room uses it.')).toBeTruthy();
  });

  it('shows a reconnecting room in the list and in its header, then joined again', async () => {
    const fake = await connectedFake();
    const lobby = await joinRoom(fake, 'lobby', '239.255.42.99');
    render(<App />);
    act(() => fake.updateRoom(lobby.roomId, { status: 'reconnecting' }));
    const button = within(screen.getByRole('list', { name: 'Joined rooms' })).getByRole('button', { name: /lobby/ });
    expect(button.textContent).toContain('reconnecting…');
    expect(document.querySelector('.room-header .status-badge')?.textContent).toBe('reconnecting…');
    expect(screen.getByRole('list', { name: 'Messages in lobby' }).textContent).toContain('The network changed or went away: reconnecting…');
    act(() => fake.updateRoom(lobby.roomId, { status: 'joined' }));
    expect(button.textContent).not.toContain('reconnecting');
    expect(document.querySelector('.room-header .status-badge')?.textContent).toBe('joined');
  });

  it('writes lost messages and floods into the log', async () => {
    const fake = await connectedFake();
    const lobby = await joinRoom(fake, 'lobby', '239.255.42.99');
    render(<App />);
    act(() => {
      fake.receive(lobby.roomId, { nick: 'alice', text: 'hello' });
      fake.reportGap(lobby.roomId, 'alice', 2);
      fake.reportFlood(lobby.roomId, { nick: 'mallory', src: '198.18.1.66:6666', dropped: 1234 });
    });
    const log = screen.getByRole('list', { name: 'Messages in lobby' });
    expect(within(log).getByText(/2 messages from alice could not be recovered\./)).toBeTruthy();
    expect(within(log).getByText(/mallory \(198\.18\.1\.66:6666\) is flooding the room: 1,234 datagrams dropped\./)).toBeTruthy();
  });

  it('searches the saved history from the room header, newest first', async () => {
    const fake = createFakeApi({ nickname: 'me' });
    const lobby = await joinRoom(fake, 'lobby', '239.255.42.99');
    fake.remember(lobby.roomId, [
      { nick: 'alice', text: 'TTL 32 crosses the router', ts: 1_000 },
      { nick: 'bob', text: 'nothing to see', ts: 2_000 },
      { nick: 'carol', text: 'what does ttl mean?', ts: 3_000 },
    ]);
    await connect(fake);
    const searchHistory = vi.spyOn(fake, 'searchHistory');
    const user = userEvent.setup();
    render(<App />);
    const toggle = screen.getByRole('button', { name: 'Search' });
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const box = screen.getByLabelText('Search saved messages');
    expect(document.activeElement).toBe(box);
    await user.type(box, 'ttl{Enter}');
    expect(searchHistory).toHaveBeenCalledWith({ roomId: lobby.roomId, query: 'ttl', limit: 50 });
    const results = await screen.findByRole('list', { name: 'Messages containing “ttl”' });
    expect(within(results).getAllByRole('listitem').map((li) => li.querySelector('.message__text')?.textContent)).toEqual(['what does ttl mean?', 'TTL 32 crosses the router']);
    expect(screen.getByText('2 saved messages contain “ttl”. Newest first.')).toBeTruthy();
    await user.clear(box);
    await user.type(box, 'multicast{Enter}');
    expect(await screen.findByText('No saved message contains “multicast”.')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByLabelText('Search saved messages')).toBeNull();
    expect(document.activeElement).toBe(toggle);
  });
});
