import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { connectedFake, joinRoom } from '../test-helpers.js';
import { PeersPanel } from './PeersPanel.js';

async function roomWith(nicks: readonly string[]) {
  const fake = await connectedFake();
  const room = await joinRoom(fake, 'lobby', '239.255.42.99');
  act(() => {
    for (const nick of nicks) fake.receive(room.roomId, { nick, text: 'hi' });
  });
  render(<PeersPanel roomId={room.roomId} />);
  const list = screen.getByRole('list', { name: 'People in this room' });
  const shownNicks = () => within(list).getAllByRole('listitem').map((li) => li.querySelector('.peer__nick')?.textContent);
  return { fake, room, list, nicks: shownNicks };
}

describe('PeersPanel', () => {
  it('sorts people by nickname as people count: peer2 before peer10, case and accents as the language sorts them', async () => {
    const { nicks } = await roomWith(['peer10', 'Émile', 'peer2', 'bob', 'alice', 'Zoë']);
    // You first, then the others.
    expect(nicks()).toEqual(['me', 'alice', 'bob', 'Émile', 'peer2', 'peer10', 'Zoë']);
  });

  it('flags a flooding peer with an icon and a word, and drops the flag when it calms down', async () => {
    const { fake, room, list } = await roomWith(['alice', 'mallory']);
    act(() => fake.reportFlood(room.roomId, { nick: 'mallory', src: '198.18.1.66:6666', dropped: 500 }));
    const mallory = within(list).getByText('mallory').closest('li') as HTMLElement;
    const flag = within(mallory).getByText(/flooding/);
    // The word is there for everyone; the icon is decoration for screen readers.
    expect(flag.textContent).toMatch(/^⚠︎ flooding: sends faster than the room's limit/);
    expect(flag.querySelector('[aria-hidden="true"]')?.textContent).toBe('⚠︎');
    expect(mallory.className).toContain('peer--flooding');
    expect(within(within(list).getByText('alice').closest('li') as HTMLElement).queryByText(/flooding/)).toBeNull();
    act(() => fake.endFlood(room.roomId, 'mallory'));
    expect(within(mallory).queryByText(/flooding/)).toBeNull();
  });
});
