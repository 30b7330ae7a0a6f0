import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from './App.js';
import { flushDrafts, loadDrafts, MAX_DRAFT_CHARS, MAX_DRAFTS, resetDrafts, setDraft } from './store/drafts.js';
import { useLeftRoom } from './store/leave-undo.js';
import { connectedFake, joinRoom } from './test-helpers.js';

const roomButton = (name: string) => within(screen.getByRole('list', { name: 'Joined rooms' })).getByRole('button', { name: new RegExp(name) });
const composer = () => screen.getByRole('textbox', { name: /^Message to/ }) as HTMLTextAreaElement;

describe('the window title', () => {
  it('counts unread messages across rooms: "(3) Multicast Chat", plain at 0', async () => {
    const fake = await connectedFake();
    const lobby = await joinRoom(fake, 'lobby', '239.255.42.99');
    const lab = await joinRoom(fake, 'lab', '239.255.42.100');
    const quiet = await joinRoom(fake, 'quiet', '239.255.42.101');
    const user = userEvent.setup();
    render(<App />);
    expect(document.title).toBe('Multicast Chat');
    act(() => {
      fake.receive(lab.roomId, { nick: 'bob', text: 'one' });
      fake.receive(lab.roomId, { nick: 'bob', text: 'two' });
      fake.receive(quiet.roomId, { nick: 'carol', text: 'three' });
      fake.receive(lobby.roomId, { nick: 'dave', text: 'in view: not unread' });
    });
    await waitFor(() => expect(document.title).toBe('(3) Multicast Chat'));
    await user.click(roomButton('lab'));
    await waitFor(() => expect(document.title).toBe('(1) Multicast Chat'));
    await user.click(roomButton('quiet'));
    await waitFor(() => expect(document.title).toBe('Multicast Chat'));
  });

  it('counts the open room while the window is in the background, as the taskbar badge does', async () => {
    const fake = await connectedFake();
    const lobby = await joinRoom(fake, 'lobby', '239.255.42.99');
    render(<App />);
    act(() => void window.dispatchEvent(new FocusEvent('blur')));
    act(() => {
      fake.receive(lobby.roomId, { nick: 'bob', text: 'while you were away' });
      fake.receive(lobby.roomId, { nick: 'bob', text: 'still away?' });
    });
    await waitFor(() => expect(document.title).toBe('(2) Multicast Chat'));
    // Back in front: the open room is being read again.
    act(() => void window.dispatchEvent(new FocusEvent('focus')));
    await waitFor(() => expect(document.title).toBe('Multicast Chat'));
    act(() => fake.receive(lobby.roomId, { nick: 'bob', text: 'seen at once' }));
    await waitFor(() => expect(document.body.textContent).toContain('seen at once'));
    expect(document.title).toBe('Multicast Chat');
  });
});

describe('drafts', () => {
  it('keeps each room its own draft across switches, clears it once sent', async () => {
    const fake = await connectedFake();
    await joinRoom(fake, 'lobby', '239.255.42.99');
    await joinRoom(fake, 'lab', '239.255.42.100');
    const user = userEvent.setup();
    render(<App />);
    await user.type(composer(), 'half a thought');
    await user.click(roomButton('lab'));
    expect(composer().value).toBe('');
    await user.type(composer(), 'for the lab');
    await user.click(roomButton('lobby'));
    expect(composer().value).toBe('half a thought');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(composer().value).toBe(''));
    await user.click(roomButton('lab'));
    expect(composer().value).toBe('for the lab');
  });

  it('survives a restart through localStorage, bounded in size and number of rooms', () => {
    setDraft('r1', 'kept');
    flushDrafts();
    resetDrafts();
    expect(loadDrafts()).toEqual({ r1: 'kept' });
    setDraft('huge', 'x'.repeat(MAX_DRAFT_CHARS + 100));
    for (let i = 0; i < MAX_DRAFTS + 5; i++) setDraft(`room-${i}`, `draft ${i}`);
    flushDrafts();
    const stored = loadDrafts();
    expect(Object.keys(stored)).toHaveLength(MAX_DRAFTS);
    expect(stored.r1).toBeUndefined();
    expect(stored[`room-${MAX_DRAFTS + 4}`]).toBe(`draft ${MAX_DRAFTS + 4}`);
    localStorage.setItem('mcchat.drafts.v1', '{not json');
    expect(loadDrafts()).toEqual({});
  });
});

describe('focus after each action', () => {
  it('goes to the composer after a click on a room, Alt+Down and Ctrl+1', async () => {
    const fake = await connectedFake();
    await joinRoom(fake, 'lobby', '239.255.42.99');
    await joinRoom(fake, 'lab', '239.255.42.100');
    const user = userEvent.setup();
    render(<App />);
    await user.click(roomButton('lab'));
    await waitFor(() => expect(document.activeElement).toBe(composer()));
    expect(composer().getAttribute('aria-label')).toBe('Message to lab');
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    await waitFor(() => expect(composer().getAttribute('aria-label')).toBe('Message to lobby'));
    await waitFor(() => expect(document.activeElement).toBe(composer()));
    await user.keyboard('{Control>}2{/Control}');
    await waitFor(() => expect(composer().getAttribute('aria-label')).toBe('Message to lab'));
    await waitFor(() => expect(document.activeElement).toBe(composer()));
  });

  it('opens the add-room dialog on its first field, traps Tab, closes on Escape back to the button, and after joining focuses the new room\'s composer', async () => {
    const fake = await connectedFake();
    await joinRoom(fake, 'lobby', '239.255.42.99');
    const user = userEvent.setup();
    render(<App />);
    const opener = screen.getByRole('button', { name: '+ Add a room' });
    await user.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Add a room' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Name (optional)'));
    await user.tab({ shift: true });
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);

    await user.click(opener);
    await user.type(screen.getByLabelText('Name (optional)'), 'lab');
    await user.clear(screen.getByLabelText('Multicast group'));
    await user.type(screen.getByLabelText('Multicast group'), '239.255.42.100');
    await user.click(screen.getByRole('button', { name: 'Join room' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(composer().getAttribute('aria-label')).toBe('Message to lab'));
    await waitFor(() => expect(document.activeElement).toBe(composer()));
  });

  it('after the first-run nickname, the default room\'s composer has focus', async () => {
    const fake = await connectedFake({ firstRun: true, nickname: 'guest' });
    await joinRoom(fake, 'lobby', '239.255.42.99');
    const user = userEvent.setup();
    render(<App />);
    await user.clear(screen.getByLabelText('Choose a nickname'));
    await user.type(screen.getByLabelText('Choose a nickname'), 'ann');
    await user.click(screen.getByRole('button', { name: 'Start chatting' }));
    await waitFor(() => expect(document.activeElement).toBe(composer()));
  });
});

describe('leaving', () => {
  it('leaves at once, focuses the room list, and offers Undo for 6 s that joins the room again as it was', async () => {
    const fake = await connectedFake();
    await joinRoom(fake, 'lobby', '239.255.42.99');
    await fake.joinRoom({ name: 'lab', group: '239.255.42.100', port: 4300, ttl: 4, loopback: false });
    await joinRoom(fake, 'quiet', '239.255.42.101');
    const joinSpy = vi.spyOn(fake, 'joinRoom');
    const user = userEvent.setup();
    render(<App />);
    await user.click(roomButton('lab'));
    await user.click(screen.getByRole('button', { name: 'Leave room' }));
    const status = await screen.findByText('Left lab.');
    expect(status.closest('[role="status"]')).toBeTruthy();
    // The room that took its place opens, and the list has focus on it.
    await waitFor(() => expect(document.activeElement).toBe(roomButton('quiet')));
    expect(screen.queryByRole('button', { name: /^lab/ })).toBeNull();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Undo: join lab again' }));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(composer().getAttribute('aria-label')).toBe('Message to lab'));
    expect(joinSpy).toHaveBeenCalledWith({ name: 'lab', group: '239.255.42.100', port: 4300, ttl: 4, loopback: false, position: 1 });
    // Back where it was: Ctrl+1-9 point at the same rooms as before.
    const listed = within(screen.getByRole('list', { name: 'Joined rooms' })).getAllByRole('button').map((b) => b.textContent ?? '');
    expect(listed.map((t) => ['lobby', 'lab', 'quiet'].find((n) => t.startsWith(n)))).toEqual(['lobby', 'lab', 'quiet']);
    expect(screen.queryByText('Left lab.')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(composer()));
  });

  it('the undo goes away after 6 s unless the pointer or focus is on it', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const fake = await connectedFake();
      await joinRoom(fake, 'lobby', '239.255.42.99');
      render(<App />);
      act(() => screen.getByRole('button', { name: 'Leave room' }).click());
      await screen.findByText('Left lobby.');
      act(() => vi.advanceTimersByTime(5_900));
      expect(screen.queryByText('Left lobby.')).toBeTruthy();
      act(() => vi.advanceTimersByTime(200));
      expect(screen.queryByText('Left lobby.')).toBeNull();
      expect(useLeftRoom.getState().left).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a passphrase room asks first (no undo: its passphrase is not kept); Stay keeps it', async () => {
    const fake = await connectedFake();
    await fake.joinRoom({ name: 'secret', group: '239.255.42.101', port: 4242, passphrase: 'correct horse battery staple' });
    const leave = vi.spyOn(fake, 'leaveRoom');
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByRole('button', { name: 'Leave room' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Leave secret?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Stay' }));
    await user.keyboard('{Escape}');
    expect(leave).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Leave room' }));
    await user.click(screen.getByRole('button', { name: 'Leave room' }));
    await user.click(screen.getByRole('button', { name: 'Leave secret' }));
    await waitFor(() => expect(leave).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'secret' })).toBeNull());
    expect(screen.queryByText('Left secret.')).toBeNull();
    // No room left: the skip link goes to the main content, which is there to receive it.
    const skip = screen.getByRole('link', { name: 'Skip to the main content' });
    expect(document.querySelector(skip.getAttribute('href') ?? '')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: '+ Add a room' })));
  });
});
