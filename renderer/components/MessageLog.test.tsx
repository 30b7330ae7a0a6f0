import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandArg, CommandResult } from '../../shared/ipc/contract.js';
import type { Result } from '../../shared/ipc/result.js';
import { connect } from '../connect.js';
import { createFakeApi } from '../fake-api.js';
import { useChatStore } from '../store/store.js';
import { connectedFake, joinRoom } from '../test-helpers.js';
import { MessageLog } from './MessageLog.js';

// jsdom has no layout: give the scroller a viewport and every row a height so the virtualizer has something to window.
const sizes = { clientHeight: 400, scrollHeight: 4000, offsetHeight: 40 };

/** What the browser reports while the user scrolls with the wheel: from the bottom, where a room opens, to `top`. */
function scrollUserTo(scroller: HTMLElement, top: number): void {
  scroller.scrollTop = sizes.scrollHeight - sizes.clientHeight;
  fireEvent.scroll(scroller);
  fireEvent.wheel(scroller, { deltaY: -120 });
  scroller.scrollTop = top;
  fireEvent.scroll(scroller);
}

/** Where the virtualizer's window starts in the whole log: a row's place in the log minus its place in the window. */
function windowStart(scroller: HTMLElement): number {
  const row = within(scroller).getAllByRole('listitem')[0];
  return Number(row?.getAttribute('aria-posinset')) - Number(row?.getAttribute('data-index')) - 1;
}

beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(() => sizes.clientHeight);
  vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockImplementation(() => sizes.scrollHeight);
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(() => sizes.offsetHeight);
});
afterEach(() => vi.restoreAllMocks());

async function roomWithMessages(count: number) {
  const fake = await connectedFake();
  const room = await joinRoom(fake, 'lobby', '239.255.42.99');
  act(() => {
    for (let i = 0; i < count; i++) fake.receive(room.roomId, { nick: 'alice', text: `message ${i}` });
  });
  return { fake, room };
}

describe('MessageLog', () => {
  it('renders only a window of a long log, as a list', async () => {
    const { room } = await roomWithMessages(2_000);
    render(<MessageLog roomId={room.roomId} />);
    const list = screen.getByRole('list', { name: 'Messages in lobby' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(100);
    // 2,000 messages + "Joined" + "alice joined" lines.
    expect(rows[0]?.getAttribute('aria-setsize')).toBe('2002');
  });

  it('offers a way back to the bottom once the user scrolls up, counting what arrived since', async () => {
    const { fake, room } = await roomWithMessages(50);
    const user = userEvent.setup();
    render(<MessageLog roomId={room.roomId} />);
    expect(screen.queryByRole('button', { name: /new message|Jump to latest/ })).toBeNull();

    const scroller = screen.getByRole('list', { name: 'Messages in lobby' });
    scrollUserTo(scroller, 100);
    expect(screen.getByRole('button', { name: 'Jump to latest' })).toBeTruthy();

    act(() => {
      fake.receive(room.roomId, { nick: 'bob', text: 'while you were reading' });
      fake.receive(room.roomId, { nick: 'bob', text: 'and another' });
    });
    // bob is new, so his first message also brings a "bob joined" line.
    const jump = screen.getByRole('button', { name: '3 new messages' });
    await user.click(jump);
    expect(screen.queryByRole('button', { name: /new messages/ })).toBeNull();
  });

  it('keeps following while the view is at the bottom', async () => {
    const { room } = await roomWithMessages(50);
    render(<MessageLog roomId={room.roomId} />);
    const scroller = screen.getByRole('list', { name: 'Messages in lobby' });
    scroller.scrollTop = sizes.scrollHeight - sizes.clientHeight - 10;
    fireEvent.scroll(scroller);
    expect(screen.queryByRole('button', { name: /Jump to latest|new message/ })).toBeNull();
  });

  it('asks for the previous page near the top, says it is loading, and does not count the page as new', async () => {
    const fake = createFakeApi({ nickname: 'me' });
    const room = await joinRoom(fake, 'lobby', '239.255.42.99');
    fake.remember(room.roomId, Array.from({ length: 450 }, (_, i) => ({ nick: 'alice', text: `old ${i}`, ts: Date.now() - 86_400_000 + i })));
    await connect(fake);
    await waitFor(() => expect(useChatStore.getState().rooms[room.roomId]?.history?.status).toBe('idle'));
    // Hold the next page until the test has looked at the loading state.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const real = fake.getHistory;
    const getHistory = vi.spyOn(fake, 'getHistory').mockImplementation(async (arg: CommandArg<'getHistory'>) => {
      await gate;
      return real(arg);
    });
    render(<MessageLog roomId={room.roomId} />);
    const scroller = screen.getByRole('list', { name: 'Messages in lobby' });
    const setSize = () => Number(within(scroller).getAllByRole('listitem')[0]?.getAttribute('aria-setsize'));
    expect(setSize()).toBe(201);

    scrollUserTo(scroller, 100);
    await waitFor(() => expect(getHistory).toHaveBeenCalledExactlyOnceWith({ roomId: room.roomId, before: 250, limit: 200 }));
    expect(screen.getByText('Loading older messages…').getAttribute('role')).toBe('status');
    // Still loading: scrolling more does not ask twice.
    fireEvent.scroll(scroller);
    // The log asks from a timer at 0 ms after the scroll; one queued after it runs after it, however slow the machine.
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(getHistory).toHaveBeenCalledTimes(1);

    await act(async () => {
      release();
      await gate;
    });
    await waitFor(() => expect(setSize()).toBe(401));
    expect(screen.queryByText('Loading older messages…')).toBeNull();
    // The older page went in above: nothing new below, so the button offers no count.
    expect(screen.getByRole('button', { name: 'Jump to latest' })).toBeTruthy();
    act(() => {
      fake.receive(room.roomId, { nick: 'alice', text: 'new below' });
    });
    // The message, and the "alice joined" line her first live message brings.
    expect(screen.getByRole('button', { name: '2 new messages' })).toBeTruthy();
  });

  it('says when an older page could not be loaded, and tries again on request', async () => {
    const fake = createFakeApi({ nickname: 'me' });
    const room = await joinRoom(fake, 'lobby', '239.255.42.99');
    fake.remember(room.roomId, Array.from({ length: 300 }, (_, i) => ({ nick: 'alice', text: `old ${i}`, ts: Date.now() - 86_400_000 + i })));
    await connect(fake);
    await waitFor(() => expect(useChatStore.getState().rooms[room.roomId]?.history?.status).toBe('idle'));
    const failure: Result<CommandResult<'getHistory'>> = { ok: false, error: { code: 'INTERNAL', message: 'The history file is locked.' } };
    const getHistory = vi.spyOn(fake, 'getHistory').mockResolvedValueOnce(failure);
    const user = userEvent.setup();
    render(<MessageLog roomId={room.roomId} />);
    const scroller = screen.getByRole('list', { name: 'Messages in lobby' });
    scrollUserTo(scroller, 0);
    const retry = await screen.findByRole('button', { name: 'Try again' });
    expect(retry.closest('[role="status"]')?.textContent).toMatch(/^Older messages could not be loaded\. The history file is locked\./);
    await user.click(retry);
    await waitFor(() => expect(within(scroller).getAllByRole('listitem')[0]?.getAttribute('aria-setsize')).toBe('301'));
    expect(getHistory).toHaveBeenCalledTimes(2);
    expect(getHistory).toHaveBeenLastCalledWith({ roomId: room.roomId, before: 100, limit: 200 });
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('fills a log too short to scroll with older pages, until the start of the history', async () => {
    const fake = createFakeApi({ nickname: 'me' });
    const room = await joinRoom(fake, 'lobby', '239.255.42.99');
    fake.remember(room.roomId, Array.from({ length: 450 }, (_, i) => ({ nick: 'alice', text: `old ${i}`, ts: Date.now() - 86_400_000 + i })));
    await connect(fake);
    await waitFor(() => expect(useChatStore.getState().rooms[room.roomId]?.history?.status).toBe('idle'));
    const getHistory = vi.spyOn(fake, 'getHistory');
    // Content shorter than the viewport: nothing to scroll, so no scroll event would ever ask.
    sizes.scrollHeight = 300;
    try {
      render(<MessageLog roomId={room.roomId} />);
      await waitFor(() => expect(useChatStore.getState().rooms[room.roomId]?.history?.before).toBeNull());
    } finally {
      sizes.scrollHeight = 4000;
    }
    expect(getHistory.mock.calls.map(([arg]) => arg.before)).toEqual([250, 50]);
    expect(within(screen.getByRole('list', { name: 'Messages in lobby' })).getAllByRole('listitem')[0]?.getAttribute('aria-setsize')).toBe('451');
  });

  it('keeps following through scrolls the user did not make (the virtualizer correcting row sizes), and stops when the user scrolls up', async () => {
    const { fake, room } = await roomWithMessages(50);
    render(<MessageLog roomId={room.roomId} />);
    const scroller = screen.getByRole('list', { name: 'Messages in lobby' });
    scroller.scrollTop = 3_600;
    fireEvent.scroll(scroller);
    // Up and short of the bottom, with no wheel, key, touch or pointer: a correction, not the user leaving.
    scroller.scrollTop = 2_982;
    fireEvent.scroll(scroller);
    expect(screen.queryByRole('button', { name: /Jump to latest|new message/ })).toBeNull();
    // The wheel, then the same move: the user reads back.
    fireEvent.wheel(scroller, { deltaY: -120 });
    scroller.scrollTop = 2_000;
    fireEvent.scroll(scroller);
    act(() => {
      fake.receive(room.roomId, { nick: 'alice', text: 'while reading' });
    });
    expect(screen.getByRole('button', { name: '1 new message' })).toBeTruthy();
  });

  it('gives the virtualizer only the newest entries, and takes older ones in each time the user reaches the top', async () => {
    const { room } = await roomWithMessages(2_500);
    render(<MessageLog roomId={room.roomId} />);
    const scroller = screen.getByRole('list', { name: 'Messages in lobby' });
    // 2,500 messages + "Joined" + "alice joined": the newest 1,000 are in the window, all count in the set.
    expect(within(scroller).getAllByRole('listitem')[0]?.getAttribute('aria-setsize')).toBe('2502');
    expect(windowStart(scroller)).toBe(1_502);
    // Near the top, not at it: one step back, the user can scroll on.
    scrollUserTo(scroller, 100);
    await waitFor(() => expect(windowStart(scroller)).toBe(502));
    scroller.scrollTop = 0;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(windowStart(scroller)).toBe(0));
    expect(within(scroller).getAllByRole('listitem')[0]?.getAttribute('aria-setsize')).toBe('2502');
  });

  it('at the very top, keeps taking older entries in without another scroll event (none can come from there)', async () => {
    const { room } = await roomWithMessages(3_500);
    render(<MessageLog roomId={room.roomId} />);
    const scroller = screen.getByRole('list', { name: 'Messages in lobby' });
    expect(windowStart(scroller)).toBe(2_502);
    // One scroll to the top, as when the rows did not stay in view after a step: three steps follow.
    scrollUserTo(scroller, 0);
    await waitFor(() => expect(windowStart(scroller)).toBe(0));
  });

  it('Home goes to the first entry of the whole log in one key press, End back to the latest', async () => {
    const { room } = await roomWithMessages(2_500);
    render(<MessageLog roomId={room.roomId} />);
    const scroller = screen.getByRole('list', { name: 'Messages in lobby' });
    expect(windowStart(scroller)).toBe(1_502);
    fireEvent.keyDown(scroller, { key: 'Home' });
    await waitFor(() => expect(windowStart(scroller)).toBe(0));
    // The virtualizer wrote the top of the log; jsdom does not scroll, so say it happened as a browser would.
    expect(scroller.scrollTop).toBe(0);
    fireEvent.scroll(scroller);
    await waitFor(() => expect(within(scroller).getAllByRole('listitem')[0]?.getAttribute('aria-posinset')).toBe('1'));
    expect(screen.getByRole('button', { name: 'Jump to latest' })).toBeTruthy();
    fireEvent.keyDown(scroller, { key: 'End' });
    await waitFor(() => expect(screen.queryByRole('button', { name: /Jump to latest|new message/ })).toBeNull());
  });
});
