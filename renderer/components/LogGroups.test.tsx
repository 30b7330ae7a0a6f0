import { act, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App.js';
import { continuesGroup, GROUP_MS } from '../lib/log-groups.js';
import { connectedFake, joinRoom, message } from '../test-helpers.js';

// jsdom lays nothing out: give the virtualized log a viewport, as MessageLog.test.tsx does.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(() => 400);
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(() => 40);
});
afterEach(() => vi.restoreAllMocks());

describe('grouping in the log', () => {
  it('puts a sender’s consecutive messages within a few minutes under one header', () => {
    const first = message({ ts: 1_000_000 });
    expect(continuesGroup(first, message({ ts: 1_000_000 + GROUP_MS }))).toBe(true);
    expect(continuesGroup(first, message({ ts: 1_000_001 + GROUP_MS }))).toBe(false);
    expect(continuesGroup(first, message({ ts: 1_000_500, peerId: 'bbbb111122223333', nick: 'bob' }))).toBe(false);
    expect(continuesGroup(first, message({ ts: 1_000_500, own: true }))).toBe(false);
    expect(continuesGroup(message({ kind: 'raw', src: '10.0.0.1:5007', nick: null, peerId: null }), message({ kind: 'raw', src: '10.0.0.1:5007', nick: null, peerId: null }))).toBe(true);
    expect(continuesGroup(undefined, first)).toBe(false);
  });

  it('shows nick and time once per group, the TTL badge again only where it changes, and who and when to screen readers on every row', async () => {
    const fake = await connectedFake();
    const lobby = await joinRoom(fake, 'lobby', '239.255.42.99');
    render(<App />);
    const t = Date.now();
    act(() => {
      fake.receive(lobby.roomId, { nick: 'bob', text: 'one', ts: t, ttl: 1 });
      fake.receive(lobby.roomId, { nick: 'bob', text: 'two', ts: t + 60_000, ttl: 1 });
      fake.receive(lobby.roomId, { nick: 'bob', text: 'three', ts: t + 120_000, ttl: 32 });
      fake.receive(lobby.roomId, { nick: 'carol', text: 'four', ts: t + 130_000, ttl: 1 });
      fake.receive(lobby.roomId, { nick: 'carol', text: 'five', ts: t + 130_000 + GROUP_MS + 1, ttl: 1 });
    });
    const log = screen.getByRole('list', { name: 'Messages in lobby' });
    const rows = within(log)
      .getAllByRole('listitem')
      .map((li) => li.querySelector('.message'))
      .filter((m): m is HTMLElement => m !== null);
    const view = rows.map((row) => [row.querySelector('.message__text')?.textContent, row.querySelector('.message__nick')?.textContent ?? null, row.querySelector('.badge--ttl')?.textContent ?? null]);
    expect(view).toEqual([
      ['one', expect.stringMatching(/^bob #/), 'subnet'],
      ['two', null, null],
      ['three', null, 'site'],
      ['four', expect.stringMatching(/^carol #/), 'subnet'],
      ['five', expect.stringMatching(/^carol #/), 'subnet'],
    ]);
    expect(rows[1]?.classList.contains('message--continued')).toBe(true);
    expect(rows[1]?.querySelector('.visually-hidden')?.textContent).toMatch(/^bob, .+: $/);
  });
});
