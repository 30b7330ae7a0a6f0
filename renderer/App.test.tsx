import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
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
    vi.spyOn(fake, 'getState').mockImplementation(async () => (order.push('getState'), { ok: true, value: { appVersion: '1', peerId: 'p', nickname: 'n', firstRun: false, rooms: [], interfaces: [], pinnedIface: null } }));
    vi.spyOn(fake, 'rendererReady').mockImplementation(async () => (order.push('rendererReady'), { ok: true, value: null }));
    await connect(fake);
    expect(order).toEqual(['on:core', 'on:notice', 'getState', 'rendererReady']);
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
    const fake = await connectedFake({ firstRun: true, nickname: '' });
    const setNickname = vi.spyOn(fake, 'setNickname');
    const user = userEvent.setup();
    render(<App />);
    expect(screen.queryByRole('navigation', { name: 'Rooms' })).toBeNull();
    const input = screen.getByLabelText('Choose a nickname');
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
    expect(within(people).getByText('192.168.1.77:5353')).toBeTruthy();
    expect(within(people).getByText('Multicast Chat 0.1.0')).toBeTruthy();
    expect(screen.getByText('eth0')).toBeTruthy();
    expect(screen.getAllByText(/224\.0\.0\.251 is in 224\.0\.0\.0\/24, the link-local block/).length).toBeGreaterThan(0);
    const datagramsIn = screen.getByText('Datagrams in').parentElement;
    expect(datagramsIn?.textContent).toBe('Datagrams in1');
  });

  it('shows notices as banners the user can dismiss', async () => {
    const { fake, user } = await twoRooms();
    act(() => fake.notice({ level: 'warning', message: 'Another copy of Multicast Chat is running. Close it to free the port.' }));
    const banner = screen.getByText('Another copy of Multicast Chat is running. Close it to free the port.').closest('li');
    expect(banner?.getAttribute('role')).toBe('status');
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
