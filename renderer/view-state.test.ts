import { beforeEach, describe, expect, it } from 'vitest';
import { selectRoom } from './store/actions.js';
import { resetStore, useChatStore } from './store/store.js';
import { connectedFake, joinRoom } from './test-helpers.js';

beforeEach(() => resetStore());

describe('view state for main', () => {
  it('reports the room in view on every change, once each, and opens the room main asks for', async () => {
    const fake = await connectedFake();
    const lab = await joinRoom(fake, 'Lab', '239.255.1.1');
    const lobby = await joinRoom(fake, 'Lobby', '239.255.1.2');
    selectRoom(lab.roomId);
    selectRoom(lab.roomId);
    await Promise.resolve();
    expect(fake.views.filter((v) => v !== null).at(-1)).toBe(lab.roomId);
    fake.requestOpenRoom(lobby.roomId);
    expect(useChatStore.getState().selectedRoomId).toBe(lobby.roomId);
    expect(fake.views.at(-1)).toBe(lobby.roomId);
    expect(new Set(fake.views).size).toBe(fake.views.length);
  });
});
