import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { setPeers } from '../store/actions.js';
import { connectedFake, joinRoom, peer } from '../test-helpers.js';
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

  it("shows each peer's fingerprint, and marks it verified and back through the core", async () => {
    const { fake, list } = await roomWith(['alice']);
    const setPeerVerified = vi.spyOn(fake, 'setPeerVerified');
    const user = userEvent.setup();
    const alice = within(list).getByText('alice').closest('li') as HTMLElement;
    // One line until opened: the fingerprint and verifying are in the details.
    expect(alice.querySelector('.peer__fingerprint')).toBeNull();
    const details = within(alice).getByRole('button', { name: 'Details: alice' });
    expect(details.getAttribute('aria-expanded')).toBe('false');
    await user.click(details);
    expect(details.getAttribute('aria-expanded')).toBe('true');
    const fingerprint = alice.querySelector('.peer__fingerprint code');
    expect(fingerprint?.textContent).toMatch(/^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/);
    expect(alice.querySelector('.peer__verified')).toBeNull();

    await user.click(within(alice).getByRole('button', { name: 'Mark verified: alice' }));
    const peerId = fingerprint?.textContent?.replaceAll(' ', '');
    expect(setPeerVerified).toHaveBeenCalledWith({ peerId, verified: true });
    await waitFor(() => expect(alice.querySelector('.peer__verified')?.textContent).toBe('✓ verified'));

    await user.click(within(alice).getByRole('button', { name: 'Unverify: alice' }));
    expect(setPeerVerified).toHaveBeenLastCalledWith({ peerId, verified: false });
    await within(alice).findByRole('button', { name: 'Mark verified: alice' });
    expect(alice.querySelector('.peer__verified')).toBeNull();
  });

  it('warns loudly about a peer using a nickname first seen with another key', async () => {
    const { room, list } = await roomWith([]);
    act(() =>
      setPeers(room.roomId, [
        peer({ peerId: 'aaaa111122223333', nick: 'alice', fingerprint: 'aaaa 1111 2222 3333' }),
        peer({ peerId: 'ffff111122223333', nick: 'alice', fingerprint: 'ffff 1111 2222 3333', impersonates: 'aaaa111122223333' }),
      ]),
    );
    const items = within(list).getAllByRole('listitem');
    // Told apart on their one line by the short id.
    const impostor = items.find((li) => li.textContent?.includes('#ffff1111')) as HTMLElement;
    const owner = items.find((li) => li.textContent?.includes('#aaaa1111')) as HTMLElement;
    expect(within(impostor).getByText(/uses a nickname first seen with another key — maybe not who they say/i)).toBeTruthy();
    expect(impostor.className).toContain('peer--impostor');
    expect(within(owner).queryByText(/first seen with another key/i)).toBeNull();
  });
});
