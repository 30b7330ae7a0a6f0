import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectedFake, joinRoom } from '../test-helpers.js';
import { MessageLog } from './MessageLog.js';

// jsdom has no layout: give the scroller a viewport and every row a height so the virtualizer has something to window.
const sizes = { clientHeight: 400, scrollHeight: 4000, offsetHeight: 40 };

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
    scroller.scrollTop = 100;
    fireEvent.scroll(scroller);
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
});
