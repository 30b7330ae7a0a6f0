import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useChatStore } from '../store/store.js';
import { connectedFake, joinRoom } from '../test-helpers.js';
import { Composer } from './Composer.js';

async function setup() {
  const fake = await connectedFake();
  const room = await joinRoom(fake, 'lobby', '239.255.42.99');
  const sendMessage = vi.spyOn(fake, 'sendMessage');
  const user = userEvent.setup();
  render(<Composer roomId={room.roomId} />);
  const box = screen.getByLabelText('Message to lobby') as HTMLTextAreaElement;
  return { fake, room, sendMessage, user, box };
}

describe('Composer', () => {
  it('sends on Enter, clears the box and shows the message once', async () => {
    const { room, sendMessage, user, box } = await setup();
    await user.type(box, 'hello{Enter}');
    expect(sendMessage).toHaveBeenCalledExactlyOnceWith({ roomId: room.roomId, text: 'hello', raw: false });
    await waitFor(() => expect(box.value).toBe(''));
    const shown = (useChatStore.getState().rooms[room.roomId]?.log ?? []).filter((e) => e.kind === 'chat');
    expect(shown.map((m) => m.kind === 'chat' && m.text)).toEqual(['hello']);
  });

  it('starts a new line on Shift+Enter instead of sending', async () => {
    const { sendMessage, user, box } = await setup();
    await user.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(sendMessage).not.toHaveBeenCalled();
    expect(box.value).toBe('line one\nline two');
  });

  it('counts UTF-8 bytes against 8192, and against 1200 in raw mode', async () => {
    const { user, box } = await setup();
    await user.type(box, 'héllo €');
    expect(screen.getByText('10 / 8192 bytes')).toBeTruthy();
    await user.click(screen.getByRole('checkbox', { name: 'Raw' }));
    expect(screen.getByText('10 / 1200 bytes')).toBeTruthy();
    expect(screen.getByText(/Send bare text, as the Python snippets do/)).toBeTruthy();
  });

  it('refuses text over the limit before asking main', async () => {
    const { sendMessage, user, box } = await setup();
    await user.click(screen.getByRole('checkbox', { name: 'Raw' }));
    await user.click(box);
    await user.paste('x'.repeat(1201));
    expect(screen.getByText('1201 / 1200 bytes')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/Too long to send: 1201 bytes of UTF-8, the limit is 1200 for a raw datagram/);
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    await user.keyboard('{Enter}');
    expect(sendMessage).not.toHaveBeenCalled();
  });

  it('passes raw: true when Raw is ticked', async () => {
    const { room, sendMessage, user, box } = await setup();
    await user.click(screen.getByRole('checkbox', { name: 'Raw' }));
    await user.type(box, 'bare');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(sendMessage).toHaveBeenCalledWith({ roomId: room.roomId, text: 'bare', raw: true });
  });

  it('is disabled with the reason while the room is not joined', async () => {
    const { fake, room, box } = await setup();
    expect(box.disabled).toBe(false);
    fake.updateRoom(room.roomId, { status: 'joining' });
    await waitFor(() => expect(box.disabled).toBe(true));
    expect(screen.getByText('Joining the group… you can send as soon as the room is joined.')).toBeTruthy();
    fake.updateRoom(room.roomId, { status: 'error', error: { code: 'PORT_IN_USE', message: 'Port 4242 is taken.' } });
    expect(await screen.findByText('This room is not joined, so nothing can be sent. Port 4242 is taken.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('says "Reconnecting…" while the room rejoins, keeps the draft, and takes messages again once joined', async () => {
    const { fake, room, user, box } = await setup();
    await user.type(box, 'draft');
    act(() => fake.updateRoom(room.roomId, { status: 'reconnecting' }));
    expect(box.disabled).toBe(true);
    expect(screen.getByRole('status').textContent).toMatch(/^Reconnecting… The network changed or went away/);
    expect(box.getAttribute('aria-describedby')).toContain(screen.getByRole('status').id);
    expect(box.value).toBe('draft');
    act(() => fake.updateRoom(room.roomId, { status: 'joined' }));
    expect(box.disabled).toBe(false);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('shows the send error from main and keeps the text', async () => {
    const { sendMessage, user, box } = await setup();
    sendMessage.mockResolvedValue({ ok: false, error: { code: 'NETWORK_ERROR', message: 'The network is unreachable. Check the cable or Wi-Fi.' } });
    await user.type(box, 'lost{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('The network is unreachable. Check the cable or Wi-Fi.');
    expect(box.value).toBe('lost');
  });
});
