import { act, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage, GapReport } from '../../shared/events.js';
import { connectedFake, joinRoom } from '../test-helpers.js';
import { MessageLog } from './MessageLog.js';

// jsdom has no layout: a viewport and row heights, so the virtualizer renders the rows.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(() => 800);
  vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockImplementation(() => 800);
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(() => 40);
});
afterEach(() => vi.restoreAllMocks());

async function conversation(nick = 'carlos') {
  const fake = await connectedFake();
  const room = await joinRoom(fake, 'lobby', '239.255.42.99');
  // A minute ahead, so the app's own lines (joined, …) sort above the conversation whatever the clock.
  const ts = Date.now() + 60_000;
  let sent: ChatMessage[] = [];
  act(() => {
    sent = ['four', 'seven', 'eight'].map((text, i) => fake.receive(room.roomId, { nick, text, ts: ts + i }));
  });
  const [four, seven] = sent;
  const gap = (patch: Partial<GapReport> = {}): GapReport => ({
    id: 'sess:0',
    peerId: seven?.peerId ?? '',
    nick,
    first: 5,
    last: 6,
    count: 2,
    repaired: 0,
    lost: 0,
    outOfScope: 0,
    nacks: 1,
    state: 'asking',
    order: seven?.order ?? '',
    ...patch,
  });
  render(<MessageLog roomId={room.roomId} />);
  const rows = () => within(screen.getByRole('list', { name: 'Messages in lobby' })).getAllByRole('listitem').map((row) => row.textContent ?? '');
  return { fake, room, gap, rows, four, seven };
}

describe('loss markers in the log', () => {
  it('show where the gap is, before the message that revealed it, and change in place to "repaired"', async () => {
    const { fake, room, gap, rows } = await conversation();
    act(() => fake.emit([{ type: 'loss', roomId: room.roomId, gap: gap() }]));
    const marker = screen.getByText('2 messages from carlos missing — asking (1 NACK)');
    const texts = rows();
    const at = texts.findIndex((t) => t.includes('missing — asking'));
    expect(texts[at - 1]).toMatch(/four$/);
    expect(texts[at + 1]).toMatch(/seven$/);
    const row = marker.closest('.loss-marker') as HTMLElement;
    expect(row.className).toContain('loss-marker--asking');
    expect(within(row).getByText('seq 5–6')).toBeTruthy();
    // The icon is decoration: the words carry the state.
    expect(row.querySelector('[aria-hidden="true"]')?.textContent).toBe('\u21bb\ufe0e');

    act(() => fake.emit([{ type: 'loss', roomId: room.roomId, gap: gap({ state: 'repaired', repaired: 2, nacks: 2 }) }]));
    expect(screen.queryByText(/asking/)).toBeNull();
    const repaired = screen.getByText('2 messages from carlos missing — repaired after 2 NACKs').closest('.loss-marker') as HTMLElement;
    expect(repaired.className).toContain('loss-marker--repaired');
    expect(rows().filter((t) => t.includes('missing'))).toHaveLength(1);
  });

  it('says "lost" in place of the old line at the end of the log', async () => {
    const { fake, room, gap, rows } = await conversation();
    act(() => fake.emit([{ type: 'loss', roomId: room.roomId, gap: gap() }]));
    act(() => {
      fake.emit([{ type: 'loss', roomId: room.roomId, gap: gap({ state: 'lost', lost: 2, nacks: 12 }) }]);
      fake.reportGap(room.roomId, 'carlos', 2);
    });
    const loss = rows().filter((t) => /missing|recovered/.test(t));
    expect(loss).toHaveLength(1);
    expect(loss[0]).toMatch(/ 2 messages from carlos missing — lost after 12 NACKs seq 5–6$/);
    expect(screen.getByText(/lost after 12 NACKs/).closest('.loss-marker')?.className).toContain('loss-marker--lost');
  });

  it('shows a nickname from the wire as text, never as markup', async () => {
    const { fake, room, gap } = await conversation('<img src=x onerror=alert(1)>');
    act(() => fake.emit([{ type: 'loss', roomId: room.roomId, gap: gap() }]));
    const marker = document.querySelector('.loss-marker') as HTMLElement;
    expect(marker.querySelector('img')).toBeNull();
    expect(marker.textContent).toContain('2 messages from <img src=x onerror=alert(1)> missing');
  });
});

describe('repaired messages', () => {
  it('carry a "repaired" tag; one that came after being given up says it arrived late', async () => {
    const { fake, four } = await conversation();
    act(() => {
      if (!four) return;
      fake.emit([
        { type: 'message', message: { ...four, id: 'five', text: 'five', order: `${four.order}1`, via: 'repair' } },
        { type: 'message', message: { ...four, id: 'six', text: 'six', order: `${four.order}2`, via: 'late' } },
      ]);
    });
    const five = screen.getByText('five').closest('.message') as HTMLElement;
    expect(within(five).getByText('repaired').getAttribute('title')).toMatch(/NACK asked for it/);
    expect(within(screen.getByText('six').closest('.message') as HTMLElement).getByText('arrived late')).toBeTruthy();
    expect(within(screen.getByText('seven').closest('.message') as HTMLElement).queryByText(/repaired|late/)).toBeNull();
  });
});
