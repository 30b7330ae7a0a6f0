import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyCounters, type RoomCounters } from '../../shared/events.js';
import { applyCoreEvents } from '../store/ingest.js';
import { useChatStore } from '../store/store.js';
import { connectedFake, joinRoom } from '../test-helpers.js';
import { TrafficPanel } from './TrafficPanel.js';

afterEach(() => vi.useRealTimers());

async function panel() {
  const fake = await connectedFake();
  const room = await joinRoom(fake, 'lobby', '239.255.42.99');
  const counters = (at: number, c: Partial<RoomCounters>) =>
    act(() => useChatStore.setState((s) => applyCoreEvents(s, [{ type: 'counters', roomId: room.roomId, counters: { ...emptyCounters(), ...c } }], at)));
  render(<TrafficPanel roomId={room.roomId} />);
  const region = screen.getByRole('region', { name: 'Rates and counters' });
  const rate = (title: string) =>
    Array.from((within(region).getByText(title).closest('.rates__row') as HTMLElement).querySelectorAll('.rates__value'), (v) => v.textContent);
  const counter = (label: string) => within(region).getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;
  return { fake, room, region, counters, rate, counter };
}

describe('TrafficPanel', () => {
  it('shows datagrams and bytes per second, in and out, from consecutive counters events, with a live graph', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(100_000);
    const { counters, rate, region } = await panel();
    counters(98_000, { datagramsIn: 10, bytesIn: 1_000 });
    counters(99_000, { datagramsIn: 40, bytesIn: 4_500, datagramsOut: 2, bytesOut: 250 });
    act(() => vi.advanceTimersByTime(1_000));
    expect(rate('Datagrams per second')).toEqual(['30', '2']);
    expect(rate('Bytes per second')).toEqual(['3.5 kB/s', '250 B/s']);
    const graphs = within(region).getAllByRole('img');
    expect(graphs.map((g) => g.getAttribute('aria-label'))).toEqual([
      'Datagrams per second over the last minute: in at most 30, out at most 2',
      'Bytes per second over the last minute: in at most 3.5 kB/s, out at most 250 B/s',
    ]);
    // One line each for in and out; out is dashed, so colour is not the only difference.
    expect(graphs[0]?.querySelectorAll('polyline')).toHaveLength(2);
    expect(graphs[0]?.querySelector('.sparkline__line--dashed')).not.toBeNull();
    // No counters for a few seconds: nothing changed, the rate is zero; the graph still shows the minute.
    act(() => vi.advanceTimersByTime(3_000));
    expect(rate('Datagrams per second')).toEqual(['0', '0']);
    expect(graphs[0]?.getAttribute('aria-label')).toContain('in at most 30');
  });

  it('groups the counters as mcchat does: traffic, reliability, security', async () => {
    const { region, counters, counter } = await panel();
    counters(Date.now(), { datagramsIn: 9, lossDetected: 2, badSignature: 1 });
    expect(within(region).getAllByRole('heading', { level: 4 }).map((h) => h.textContent)).toEqual(['Traffic', 'Reliability', 'Security']);
    const groupOf = (label: string) => within(region).getByText(label, { selector: 'dt' }).closest('.counter-group')?.querySelector('h4')?.textContent;
    expect(groupOf('Datagrams in')).toBe('Traffic');
    expect(groupOf('Lost datagrams detected')).toBe('Reliability');
    expect(groupOf('Bad signature')).toBe('Security');
    expect(counter('Datagrams in')).toBe('9');
    expect(within(region).getByText('Bad signature', { selector: 'dt' }).closest('.counters__item')?.className).toContain('counters__item--alert');
  });

  it('resets in the window: counts from then on, says since when, and the core keeps its totals', async () => {
    const { room, region, counters, counter } = await panel();
    const user = userEvent.setup();
    counters(Date.now() - 2_000, { datagramsIn: 50, bytesIn: 5_000, badSignature: 2 });
    expect(within(region).getByText('Counted since this room was joined.')).toBeTruthy();
    await user.click(within(region).getByRole('button', { name: 'Reset' }));
    expect(counter('Datagrams in')).toBe('0');
    expect(counter('Bad signature')).toBe('0');
    expect(within(region).getByText('Bad signature', { selector: 'dt' }).closest('.counters__item')?.className).not.toContain('alert');
    expect(within(region).getByText(/^Counted since \d{1,2}:\d\d:\d\d( [AP]M)?, when you pressed Reset\.$/)).toBeTruthy();
    counters(Date.now(), { datagramsIn: 53, bytesIn: 5_300, badSignature: 2 });
    expect(counter('Datagrams in')).toBe('3');
    expect(counter('Bytes in')).toBe('300');
    // The totals are still whole in the store (and in the core): only the window's view moved.
    expect(useChatStore.getState().rooms[room.roomId]?.counters?.datagramsIn).toBe(53);
  });
});
