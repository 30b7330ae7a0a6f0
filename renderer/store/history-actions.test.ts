import { act, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CommandArg } from '../../shared/ipc/contract.js';
import { connect } from '../connect.js';
import { createFakeApi, type FakeMcchat } from '../fake-api.js';
import { joinRoom } from '../test-helpers.js';
import { loadOlderHistory } from './history-actions.js';
import { useChatStore } from './store.js';
import { unreadCounts } from './test-state.js';

const DAY = 24 * 60 * 60_000;
const texts = (roomId: string): string[] => (useChatStore.getState().rooms[roomId]?.log ?? []).flatMap((e) => (e.kind === 'system' ? [] : [e.text]));
const historyOf = (roomId: string) => useChatStore.getState().rooms[roomId]?.history;
const idle = (roomId: string) => waitFor(() => expect(historyOf(roomId)?.status).toBe('idle'));

/** A window starting up with `stored` older messages on disk in a second, unselected room. */
async function startWithHistory(stored: number, beforeConnect?: (fake: FakeMcchat, lobbyId: string) => void) {
  const fake = createFakeApi({ nickname: 'me' });
  const lab = await joinRoom(fake, 'lab', '239.255.7.7');
  const lobby = await joinRoom(fake, 'lobby', '239.255.42.99');
  fake.remember(lobby.roomId, Array.from({ length: stored }, (_, i) => ({ nick: 'alice', text: `old ${i}`, ts: Date.now() - DAY + i * 1_000 })));
  // Before the spy below, so a callback that wraps getHistory wraps the real one.
  beforeConnect?.(fake, lobby.roomId);
  const getHistory = vi.spyOn(fake, 'getHistory');
  await connect(fake);
  return { fake, lab, lobby, getHistory };
}

describe('history paging', () => {
  it('loads the first 200 stored messages of each joined room at start, once, above the live ones and not unread', async () => {
    const { lab, lobby, getHistory } = await startWithHistory(450);
    await idle(lobby.roomId);
    expect(getHistory).toHaveBeenCalledTimes(2);
    expect(getHistory).toHaveBeenCalledWith({ roomId: lobby.roomId, limit: 200 });
    expect(getHistory).toHaveBeenCalledWith({ roomId: lab.roomId, limit: 200 });
    const shown = texts(lobby.roomId);
    expect(shown).toHaveLength(200);
    expect(shown[0]).toBe('old 250');
    expect(shown[199]).toBe('old 449');
    expect(useChatStore.getState().selectedRoomId).toBe(lab.roomId);
    expect(unreadCounts()).toEqual({});
    // The room's "Joined" line comes after what was stored before it.
    const last = (useChatStore.getState().rooms[lobby.roomId]?.log ?? []).at(-1);
    expect(last?.kind === 'system' && last.text).toMatch(/^Joined 239\.255\.42\.99:4242/);
  });

  it('pages back with the cursor until the start, then asks no more', async () => {
    const { lobby, getHistory } = await startWithHistory(450);
    await idle(lobby.roomId);
    expect(historyOf(lobby.roomId)?.before).toBe(250);
    await loadOlderHistory(lobby.roomId);
    expect(getHistory).toHaveBeenLastCalledWith({ roomId: lobby.roomId, before: 250, limit: 200 });
    await loadOlderHistory(lobby.roomId);
    expect(getHistory).toHaveBeenLastCalledWith({ roomId: lobby.roomId, before: 50, limit: 200 });
    expect(historyOf(lobby.roomId)?.before).toBeNull();
    const calls = getHistory.mock.calls.length;
    await loadOlderHistory(lobby.roomId);
    expect(getHistory).toHaveBeenCalledTimes(calls);
    const shown = texts(lobby.roomId);
    expect(shown).toEqual(Array.from({ length: 450 }, (_, i) => `old ${i}`));
    expect(unreadCounts()).toEqual({});
  });

  it('shows a message once when the first page and the live stream both bring it', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { fake, lobby } = await startWithHistory(3, (f) => {
      const real = f.getHistory;
      vi.spyOn(f, 'getHistory').mockImplementation(async (arg: CommandArg<'getHistory'>) => {
        await gate;
        return real(arg);
      });
    });
    // Arrives live (and is stored) while the first page is on its way: the page brings it too.
    act(() => {
      fake.receive(lobby.roomId, { nick: 'bob', text: 'live while loading' });
    });
    release();
    await idle(lobby.roomId);
    expect(texts(lobby.roomId)).toEqual(['old 0', 'old 1', 'old 2', 'live while loading']);
    expect(unreadCounts()).toEqual({ [lobby.roomId]: 1 });
  });

  it('says why a page could not be loaded, and loads it when asked again', async () => {
    const { fake, lobby } = await startWithHistory(5, (f) => {
      const real = f.getHistory;
      vi.spyOn(f, 'getHistory')
        .mockResolvedValueOnce({ ok: false, error: { code: 'INTERNAL', message: 'The history file is locked.' } })
        .mockResolvedValueOnce({ ok: false, error: { code: 'INTERNAL', message: 'The history file is locked.' } })
        .mockImplementation(real);
    });
    await waitFor(() => expect(historyOf(lobby.roomId)?.status).toBe('failed'));
    expect(historyOf(lobby.roomId)?.error).toBe('The history file is locked.');
    expect(texts(lobby.roomId)).toEqual([]);
    await loadOlderHistory(lobby.roomId);
    expect(historyOf(lobby.roomId)).toEqual({ status: 'idle', before: null, error: null });
    expect(texts(lobby.roomId)).toHaveLength(5);
    expect(fake.getHistory).toHaveBeenCalledTimes(3);
  });

  it('waits until a room is joined before asking for its history', async () => {
    const { fake, lobby, getHistory } = await startWithHistory(2, (f, lobbyId) => {
      f.updateRoom(lobbyId, { status: 'error', error: { code: 'PORT_IN_USE', message: 'Port 4242 is taken.' } });
    });
    expect(getHistory.mock.calls.map(([arg]) => arg.roomId)).not.toContain(lobby.roomId);
    act(() => fake.updateRoom(lobby.roomId, { status: 'joined', error: null }));
    await idle(lobby.roomId);
    expect(texts(lobby.roomId)).toEqual(['old 0', 'old 1']);
  });

  it('drops a page that comes back after the room was left', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { fake, lobby } = await startWithHistory(3, (f) => {
      const real = f.getHistory;
      vi.spyOn(f, 'getHistory').mockImplementation(async (arg: CommandArg<'getHistory'>) => {
        await gate;
        return real(arg);
      });
    });
    await fake.leaveRoom(lobby.roomId);
    expect(useChatStore.getState().rooms[lobby.roomId]).toBeUndefined();
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(useChatStore.getState().rooms[lobby.roomId]).toBeUndefined();
  });
});

