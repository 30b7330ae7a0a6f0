import { describe, expect, it } from 'vitest';
import type { ChatMessage, CoreEvent } from '../../shared/events.js';
import { DEFAULT_PREFERENCES, applyPreferencesPatch, type Preferences, type PreferencesPatch } from '../../shared/preferences.js';
import { preferencesPatchSchema } from '../../shared/preferences.js';
import { FakeClock } from '../core/clock.js';
import { BURST_MS, createAttention, type AttentionNotification } from './attention.js';
import { mentions, plainText } from './notify-text.js';

let counter = 0;
function message(roomId: string, text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  counter++;
  return {
    kind: 'chat', roomId, id: counter.toString(16).padStart(16, '0'), text, nick: 'bob', peerId: 'b0b0b0b0b0b0b0b0', src: '127.0.0.1:4242',
    ttl: 1, seq: counter, ts: 0, receivedAt: 0, own: false, fragments: 1, bytes: 10, order: String(counter), via: 'live', ...extra,
  };
}

function setup(patch: PreferencesPatch = {}) {
  const clock = new FakeClock();
  const listeners = new Set<(event: CoreEvent) => void>();
  const shown: AttentionNotification[] = [];
  const withdrawn: string[] = [];
  const totals: number[] = [];
  let preferences: Preferences = applyPreferencesPatch(DEFAULT_PREFERENCES, preferencesPatchSchema.parse(patch));
  const attention = createAttention({
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    nickname: () => 'Ada',
    roomName: (roomId) => ({ lab: 'Lab', lobby: 'Lobby' })[roomId] ?? roomId,
    preferences: () => preferences,
    notify: (n) => shown.push(n),
    withdraw: (roomId) => withdrawn.push(roomId),
    onUnread: (total) => totals.push(total),
    clock,
  });
  const receive = (m: ChatMessage): void => listeners.forEach((l) => l({ type: 'message', message: m }));
  const setPreferences = (next: PreferencesPatch): void => {
    preferences = applyPreferencesPatch(preferences, preferencesPatchSchema.parse(next));
  };
  return { attention, clock, shown, withdrawn, totals, receive, setPreferences, listeners };
}

describe('notification rules', () => {
  it('a message in the room in view of a focused window is neither unread nor notified', () => {
    const t = setup({ notifications: { defaultLevel: 'all' } });
    t.attention.setView('lab');
    t.attention.setFocused(true);
    t.receive(message('lab', 'hello'));
    expect(t.shown).toEqual([]);
    expect(t.attention.unreadTotal()).toBe(0);
  });

  it('the same room while the window is not focused: unread and notified (level all)', () => {
    const t = setup({ notifications: { defaultLevel: 'all' } });
    t.attention.setView('lab');
    t.attention.setFocused(false);
    t.receive(message('lab', 'hello'));
    expect(t.shown).toEqual([{ roomId: 'lab', title: 'Lab', body: 'bob: hello' }]);
    expect(t.totals).toEqual([1]);
  });

  it('another room while focused: notified (level all)', () => {
    const t = setup({ notifications: { defaultLevel: 'all' } });
    t.attention.setView('lobby');
    t.attention.setFocused(true);
    t.receive(message('lab', 'hello'));
    expect(t.shown.map((n) => n.roomId)).toEqual(['lab']);
  });

  it('by default (no level saved) an ordinary message in another room notifies, and a mention says so', () => {
    const t = setup();
    t.attention.setView('lobby');
    t.attention.setFocused(true);
    t.receive(message('lab', 'hello everyone'));
    t.attention.setFocused(false);
    t.receive(message('lobby', 'thanks @ADA!'));
    expect(t.shown).toEqual([
      { roomId: 'lab', title: 'Lab', body: 'bob: hello everyone' },
      { roomId: 'lobby', title: 'bob mentioned you in Lobby', body: 'bob: thanks @ADA!' },
    ]);
    expect(t.attention.unreadTotal()).toBe(2);
  });

  it('level mentions: only mentions notify, but everything counts as unread', () => {
    const t = setup({ notifications: { defaultLevel: 'mentions' } });
    t.receive(message('lab', 'hello everyone'));
    t.receive(message('lobby', 'thanks @ADA!'));
    expect(t.shown).toEqual([{ roomId: 'lobby', title: 'bob mentioned you in Lobby', body: 'bob: thanks @ADA!' }]);
    expect(t.attention.unreadTotal()).toBe(2);
  });

  it('a room set to mentions keeps quiet under the default all; a room set to all notifies under a default of mentions', () => {
    const t = setup({ notifications: { rooms: { lab: 'mentions' } } });
    t.receive(message('lab', 'hello everyone'));
    t.receive(message('lobby', 'hello lobby'));
    expect(t.shown.map((n) => n.roomId)).toEqual(['lobby']);
    t.setPreferences({ notifications: { defaultLevel: 'mentions', rooms: { lab: 'all' } } });
    t.clock.advance(BURST_MS);
    t.receive(message('lab', 'again'));
    t.receive(message('lobby', 'again'));
    expect(t.shown.map((n) => n.roomId)).toEqual(['lobby', 'lab']);
  });

  it('a muted room (none) never notifies, not even a mention; notifications off silences every room', () => {
    const t = setup({ notifications: { defaultLevel: 'all', rooms: { lab: 'none' } } });
    t.receive(message('lab', '@Ada look'));
    expect(t.shown).toEqual([]);
    expect(t.attention.unreadTotal()).toBe(1);
    t.setPreferences({ notifications: { enabled: false } });
    t.receive(message('lobby', '@Ada look'));
    expect(t.shown).toEqual([]);
    expect(t.attention.unreadTotal()).toBe(2);
  });

  it('history, own messages and a second copy of a message are not new', () => {
    const t = setup({ notifications: { defaultLevel: 'all' } });
    t.receive(message('lab', 'old', { history: true }));
    t.receive(message('lab', 'old too', { via: 'history' }));
    t.receive(message('lab', 'mine', { own: true }));
    const once = message('lab', 'repaired');
    t.receive(once);
    t.clock.advance(BURST_MS);
    t.receive({ ...once, via: 'repair' });
    expect(t.attention.unreadTotal()).toBe(1);
    expect(t.shown).toHaveLength(1);
  });

  it('raw datagrams count and notify under "all", but "@nick" in one is no mention', () => {
    const t = setup({ notifications: { defaultLevel: 'mentions' } });
    t.receive(message('lab', '@Ada hi', { kind: 'raw', nick: null, peerId: null }));
    expect(t.shown).toEqual([]);
    expect(t.attention.unreadTotal()).toBe(1);
    t.setPreferences({ notifications: { defaultLevel: 'all' } });
    t.receive(message('lab', 'hello\u202Eevil', { kind: 'raw', nick: null, peerId: null }));
    expect(t.shown).toEqual([{ roomId: 'lab', title: 'Lab', body: 'Raw datagram: hello evil' }]);
  });

  it('a burst is one notification, then one summary per room after a few seconds (also under the default level)', () => {
    const t = setup();
    for (let i = 0; i < 12; i++) t.receive(message('lab', `line ${i} @ada`.replace('@ada', i === 5 ? '@ada' : '')));
    t.receive(message('lobby', 'elsewhere'));
    expect(t.shown.map((n) => n.title)).toEqual(['Lab', 'Lobby']);
    t.clock.advance(BURST_MS);
    expect(t.shown.slice(2)).toEqual([{ roomId: 'lab', title: '12 new messages in Lab', body: 'One mentions you.' }]);
    t.clock.advance(BURST_MS * 3);
    expect(t.shown).toHaveLength(3);
  });

  it('looking at the room clears its unread, drops a pending summary and withdraws its notification', () => {
    const t = setup({ notifications: { defaultLevel: 'all' } });
    t.receive(message('lab', 'one'));
    t.receive(message('lab', 'two'));
    t.receive(message('lobby', 'three'));
    expect(t.attention.unreadTotal()).toBe(3);
    t.attention.setView('lab');
    expect(t.attention.unreadTotal()).toBe(3);
    t.attention.setFocused(true);
    expect(t.attention.unreadTotal()).toBe(1);
    expect(t.withdrawn).toEqual(['lab']);
    t.clock.advance(BURST_MS);
    expect(t.shown.map((n) => n.title)).toEqual(['Lab', 'Lobby']);
    expect(t.totals.at(-1)).toBe(1);
  });

  it('leaving a room forgets its unread', () => {
    const t = setup();
    t.receive(message('lab', 'one'));
    t.listeners.forEach((l) => l({ type: 'room', room: { roomId: 'lab', status: 'left' } as never }));
    expect(t.attention.unreadTotal()).toBe(0);
  });
});

describe('notification text', () => {
  it('is one plain line: controls and bidi overrides gone, length capped', () => {
    expect(plainText('a\nb\u0007c\u202Ed\u200Be', 100)).toBe('a b c d e');
    expect(Array.from(plainText('x'.repeat(500), 200))).toHaveLength(200);
    expect(plainText('x'.repeat(500), 200).endsWith('…')).toBe(true);
  });

  it('mentions are "@nick" as a whole word, in any case', () => {
    expect(mentions('hi @ada', 'Ada')).toBe(true);
    expect(mentions('@ADA: look', 'Ada')).toBe(true);
    expect(mentions('hi @adam', 'Ada')).toBe(false);
    expect(mentions('mail ada@x.org', 'Ada')).toBe(false);
    expect(mentions('hi ada', 'Ada')).toBe(false);
    expect(mentions('cc @a.b', 'a.b')).toBe(true);
  });
});
