import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { PeerMeter } from '../../shared/events.js';
import { connect } from '../connect.js';
import { createFakeApi } from '../fake-api.js';
import { resetCounters } from '../store/actions.js';
import { useChatStore } from '../store/store.js';
import { connectedFake, joinRoom } from '../test-helpers.js';
import { MeterPanel } from './MeterPanel.js';

const meter = (peerId: string, m: Partial<PeerMeter> = {}): PeerMeter => ({ peerId, received: 0, gaps: 0, repaired: 0, lost: 0, duplicates: 0, reordered: 0, late: 0, ...m });

async function roomWith(nicks: readonly string[]) {
  const fake = await connectedFake();
  const room = await joinRoom(fake, 'lobby', '239.255.42.99');
  const ids: Record<string, string> = {};
  act(() => {
    for (const nick of nicks) ids[nick] = fake.receive(room.roomId, { nick, text: 'hi' }).peerId ?? '';
  });
  render(<MeterPanel roomId={room.roomId} />);
  const table = () => screen.getByRole('table');
  /** A peer's numbers, in the order of the headings. */
  const counts = (nick: string) => {
    const group = within(table()).getByRole('rowheader', { name: new RegExp(`^${nick} `) }).closest('tbody') as HTMLElement;
    return Array.from(group.querySelectorAll('.meter__count'), (td) => td.textContent);
  };
  const detail = (nick: string) => (within(table()).getByRole('rowheader', { name: new RegExp(`^${nick} `) }).closest('tbody') as HTMLElement).querySelector('.meter__detail')?.textContent;
  return { fake, room, ids, table, counts, detail };
}

describe('MeterPanel', () => {
  it("shows each peer's received, gaps, repaired, lost, duplicates and reordered, with where it was heard and its app", async () => {
    const { fake, room, ids, table, counts, detail } = await roomWith(['carlos', 'alice']);
    act(() => fake.reportMeter(room.roomId, [meter(ids['carlos'] ?? '', { received: 120, gaps: 3, repaired: 2, lost: 1, duplicates: 4, reordered: 5 })]));
    const headings = within(table()).getAllByRole('columnheader').map((th) => th.querySelector('.visually-hidden')?.textContent);
    expect(headings).toEqual(['received', 'gaps', 'repaired', 'lost', 'duplicates', 'reordered']);
    // Sorted by nickname; a peer heard but not counted yet shows zeros.
    expect(within(table()).getAllByRole('rowheader').map((th) => th.textContent?.split(' ')[0])).toEqual(['alice', 'carlos']);
    expect(counts('carlos')).toEqual(['120', '3', '2', '1', '4', '5']);
    expect(counts('alice')).toEqual(['0', '0', '0', '0', '0', '0']);
    expect(detail('carlos')).toMatch(/^heard (just now|\d+ s ago) · 192\.168\.1\.\d+:4242 · Multicast Chat 0\.1\.0$/);
    // Loss stands out by weight and colour, and its column says what it is.
    const lost = table().querySelector('.meter__count--lost');
    expect(lost?.textContent).toBe('1');
  });

  it('keeps a peer that left, named, with its meter', async () => {
    const { fake, room, ids, counts, detail } = await roomWith(['carlos']);
    act(() => fake.reportMeter(room.roomId, [meter(ids['carlos'] ?? '', { received: 2, lost: 2 })]));
    const peer = Object.values(useChatStore.getState().rooms[room.roomId]?.peers ?? {})[0];
    act(() => {
      if (peer) fake.emit([{ type: 'peer-left', roomId: room.roomId, peer, reason: 'bye' }]);
    });
    expect(screen.getByRole('rowheader', { name: /^carlos #[0-9a-f]{8} \(left\)$/ })).toBeTruthy();
    expect(counts('carlos')).toEqual(['2', '0', '0', '2', '0', '0']);
    expect(detail('carlos')).toMatch(/^left, last heard /);
  });

  it('counts from the reset, and says since when', async () => {
    const { fake, room, ids, counts } = await roomWith(['carlos']);
    act(() => fake.reportMeter(room.roomId, [meter(ids['carlos'] ?? '', { received: 10, duplicates: 3 })]));
    act(() => resetCounters(room.roomId));
    act(() => fake.reportMeter(room.roomId, [meter(ids['carlos'] ?? '', { received: 14, duplicates: 4 })]));
    expect(counts('carlos')).toEqual(['4', '0', '0', '0', '1', '0']);
    expect(screen.getByText(/^Counted since .+ \(Reset, under Rates and counters\)\.$/)).toBeTruthy();
  });

  it('turns on duplicate lines in the log for a demo, and off again', async () => {
    const { fake, room, ids } = await roomWith(['carlos']);
    const user = userEvent.setup();
    const toggle = screen.getByRole('checkbox', { name: 'Show duplicates in the log' });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    const lines = () => (useChatStore.getState().rooms[room.roomId]?.log ?? []).filter((e) => e.kind === 'system' && e.text.includes('duplicate')).map((e) => e.text);
    act(() => fake.reportMeter(room.roomId, [meter(ids['carlos'] ?? '', { duplicates: 2 })]));
    expect(lines()).toEqual([]);
    await user.click(toggle);
    act(() => fake.reportMeter(room.roomId, [meter(ids['carlos'] ?? '', { duplicates: 5 })]));
    expect(lines()).toEqual(['3 duplicate datagrams from carlos (already had them: dropped).']);
    await user.click(toggle);
    act(() => fake.reportMeter(room.roomId, [meter(ids['carlos'] ?? '', { duplicates: 9 })]));
    expect(lines()).toHaveLength(1);
  });

  it("starts from the core's meters when the window connects", async () => {
    const fake = createFakeApi();
    const joined = await fake.joinRoom({ name: 'lobby', group: '239.255.42.99', port: 4242 });
    if (!joined.ok) throw new Error(joined.error.message);
    fake.reportMeter(joined.value.roomId, [meter('cccc111122223333', { received: 7, repaired: 1 })]);
    const getMeter = vi.spyOn(fake, 'getMeter');
    await connect(fake);
    expect(getMeter).toHaveBeenCalledWith(joined.value.roomId);
    expect(useChatStore.getState().rooms[joined.value.roomId]?.meters).toEqual({ cccc111122223333: meter('cccc111122223333', { received: 7, repaired: 1 }) });
  });
});
