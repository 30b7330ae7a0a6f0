import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useChatStore } from '../store/store.js';
import { connectedFake, joinRoom } from '../test-helpers.js';
import { AddRoomForm } from './AddRoomForm.js';

async function setup(joined: readonly string[] = []) {
  const fake = await connectedFake();
  for (const group of joined) await joinRoom(fake, group, group);
  await waitFor(() => expect(Object.keys(useChatStore.getState().rooms)).toHaveLength(joined.length));
  const user = userEvent.setup();
  render(<AddRoomForm />);
  const replace = async (label: string, text: string) => {
    const input = screen.getByLabelText(label);
    await user.clear(input);
    if (text) await user.type(input, text);
    return input;
  };
  return { fake, user, replace };
}

describe('AddRoomForm', () => {
  it('shows the schema message under a group that is not multicast', async () => {
    const { fake, user, replace } = await setup();
    const joinRoom = vi.spyOn(fake, 'joinRoom');
    const group = await replace('Multicast group', '10.0.0.1');
    expect(group.getAttribute('aria-invalid')).toBe('true');
    const error = screen.getByText('The group must be a multicast address, between 224.0.0.0 and 239.255.255.255.');
    expect(group.getAttribute('aria-describedby')).toContain(error.id);
    await user.click(screen.getByRole('button', { name: 'Join room' }));
    expect(joinRoom).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(group);
  });

  it('rejects port 70000 and an empty port with readable messages', async () => {
    const { replace } = await setup();
    await replace('Port', '70000');
    expect(screen.getByText('The port must be between 1 and 65535.')).toBeTruthy();
    await replace('Port', '');
    expect(screen.getByText('The port must be a number.')).toBeTruthy();
  });

  it('warns about a link-local group without blocking the join', async () => {
    const { fake, user, replace } = await setup();
    const joinRoom = vi.spyOn(fake, 'joinRoom');
    await replace('Multicast group', '224.0.0.5');
    expect(screen.getByText(/224\.0\.0\.5 is in 224\.0\.0\.0\/24, the link-local block/)).toBeTruthy();
    expect(screen.getByLabelText('Multicast group').getAttribute('aria-invalid')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Join room' }));
    await waitFor(() => expect(joinRoom).toHaveBeenCalledWith({ name: undefined, group: '224.0.0.5', port: 4242, ttl: 1, iface: undefined, loopback: true }));
    const state = useChatStore.getState();
    expect(state.roomOrder).toHaveLength(1);
    expect(state.rooms[state.selectedRoomId ?? '']?.snapshot.group).toBe('224.0.0.5');
  });

  it("puts main's checkRoom error under the field it names", async () => {
    const { fake, user } = await setup();
    vi.spyOn(fake, 'checkRoom').mockResolvedValue({
      ok: false,
      error: { code: 'INTERFACE_NOT_FOUND', message: 'No interface on this machine has the address 192.168.1.10.', field: 'iface' },
    });
    await user.selectOptions(screen.getByLabelText('Interface'), '192.168.1.10');
    const error = await screen.findByText('No interface on this machine has the address 192.168.1.10.');
    expect(screen.getByLabelText('Interface').getAttribute('aria-describedby')).toContain(error.id);
  });

  it('shows a failed join under the field and clears it when the value changes', async () => {
    const { fake, user, replace } = await setup();
    vi.spyOn(fake, 'joinRoom').mockResolvedValue({ ok: false, error: { code: 'PORT_IN_USE', message: 'Port 4242 is taken by another program.', field: 'port' } });
    await user.click(screen.getByRole('button', { name: 'Join room' }));
    expect(await screen.findByText('Port 4242 is taken by another program.')).toBeTruthy();
    await replace('Port', '4243');
    expect(screen.queryByText('Port 4242 is taken by another program.')).toBeNull();
  });

  it('takes an optional passphrase, hidden until shown, warns when it is weak and sends it with the join', async () => {
    const { fake, user } = await setup();
    const checkRoom = vi.spyOn(fake, 'checkRoom');
    const joinRoom = vi.spyOn(fake, 'joinRoom');
    const field = screen.getByLabelText('Passphrase (optional)');
    expect(field.getAttribute('type')).toBe('password');
    // The one line that says where it goes and who needs it.
    const hint = screen.getByText(/never leaves this computer; everyone in the room needs the same one/);
    expect(field.getAttribute('aria-describedby')).toContain(hint.id);

    await user.type(field, 'cats');
    await user.click(screen.getByRole('button', { name: 'Show passphrase' }));
    expect(field.getAttribute('type')).toBe('text');
    expect(screen.getByRole('button', { name: 'Hide passphrase' }).getAttribute('aria-pressed')).toBe('true');
    const weak = await screen.findByText(/Shorter than 12 characters/);
    expect(field.getAttribute('aria-describedby')).toContain(weak.closest('ul')?.id);
    expect(checkRoom).toHaveBeenLastCalledWith(expect.objectContaining({ passphrase: 'cats' }));
    await user.click(screen.getByRole('button', { name: 'Hide passphrase' }));
    expect(field.getAttribute('type')).toBe('password');

    // A weak passphrase is advice, not a refusal.
    await user.click(screen.getByRole('button', { name: 'Join room' }));
    await waitFor(() => expect(joinRoom).toHaveBeenCalledWith(expect.objectContaining({ group: '239.255.42.99', port: 4242, passphrase: 'cats' })));
    const state = useChatStore.getState();
    expect(state.rooms[state.selectedRoomId ?? '']?.snapshot.encrypted).toBe(true);
    // The form forgets it once joined.
    expect((screen.getByLabelText('Passphrase (optional)') as HTMLInputElement).value).toBe('');
  });

  it('joins a plain room without a passphrase key, and a long passphrase gets no warning', async () => {
    const { fake, user } = await setup();
    const joinRoom = vi.spyOn(fake, 'joinRoom');
    const checkRoom = vi.spyOn(fake, 'checkRoom');
    await user.type(screen.getByLabelText('Passphrase (optional)'), 'correct horse battery staple');
    // "No warning" means something only once main has answered for this passphrase: wait for that answer, not for a while.
    await waitFor(() => expect(checkRoom).toHaveBeenCalledWith(expect.objectContaining({ passphrase: 'correct horse battery staple' })), { timeout: 10_000 });
    await act(async () => {
      await checkRoom.mock.results.at(-1)?.value;
    });
    expect(screen.queryByText(/Shorter than 12 characters/)).toBeNull();
    await user.clear(screen.getByLabelText('Passphrase (optional)'));
    await user.click(screen.getByRole('button', { name: 'Join room' }));
    await waitFor(() => expect(joinRoom).toHaveBeenCalled());
    expect(joinRoom.mock.calls[0]?.[0]).not.toHaveProperty('passphrase');
  });

  it('offers the first endpoint not joined yet: the default group, else the next one up on the same port', async () => {
    const { fake, user } = await setup(['239.255.42.99', '239.255.42.100']);
    const joinRoomSpy = vi.spyOn(fake, 'joinRoom');
    expect((screen.getByLabelText('Multicast group') as HTMLInputElement).value).toBe('239.255.42.101');
    expect((screen.getByLabelText('Port') as HTMLInputElement).value).toBe('4242');
    expect((screen.getByLabelText('Name (optional)') as HTMLInputElement).placeholder).toBe('239.255.42.101:4242');
    // Join with what is filled in just works.
    await user.click(screen.getByRole('button', { name: 'Join room' }));
    await waitFor(() => expect(joinRoomSpy).toHaveBeenCalledWith(expect.objectContaining({ group: '239.255.42.101', port: 4242 })));
    expect(await joinRoomSpy.mock.results[0]?.value).toMatchObject({ ok: true });
    await waitFor(() => expect(useChatStore.getState().selectedRoomId).toBe('239.255.42.101:4242'));
    // The form, ready for another, offers the next one.
    expect((screen.getByLabelText('Multicast group') as HTMLInputElement).value).toBe('239.255.42.102');
  });

  it('follows a room joined elsewhere while the form is open, but never overrides a group or port the user typed', async () => {
    const { fake, user, replace } = await setup();
    expect((screen.getByLabelText('Multicast group') as HTMLInputElement).value).toBe('239.255.42.99');
    await act(async () => {
      await joinRoom(fake, 'lobby', '239.255.42.99');
    });
    await waitFor(() => expect((screen.getByLabelText('Multicast group') as HTMLInputElement).value).toBe('239.255.42.100'));
    // Typing a name leaves the offer alone; editing the port keeps the offered group.
    await user.type(screen.getByLabelText('Name (optional)'), 'Class');
    await replace('Port', '5000');
    expect((screen.getByLabelText('Multicast group') as HTMLInputElement).value).toBe('239.255.42.100');
    await act(async () => {
      await joinRoom(fake, 'other', '239.255.42.100');
    });
    expect((screen.getByLabelText('Multicast group') as HTMLInputElement).value).toBe('239.255.42.100');
  });

  it('moves focus to the field a refused join is about, with its message in the description', async () => {
    const { user, replace } = await setup(['239.255.42.99']);
    const group = await replace('Multicast group', '239.255.42.99');
    await user.click(screen.getByRole('button', { name: 'Join room' }));
    const error = await screen.findByText('You are already in the room on 239.255.42.99:4242.');
    expect(document.activeElement).toBe(group);
    expect(group.getAttribute('aria-invalid')).toBe('true');
    expect(group.getAttribute('aria-describedby')).toContain(error.id);
  });

  it('a refused port takes focus to the port; a refusal about no field leaves it on Join', async () => {
    const { fake, user } = await setup();
    const joinRoomSpy = vi
      .spyOn(fake, 'joinRoom')
      .mockResolvedValueOnce({ ok: false, error: { code: 'PORT_IN_USE', message: 'Port 4242 is taken by another program.', field: 'port' } });
    const join = screen.getByRole('button', { name: 'Join room' });
    await user.click(join);
    await screen.findByText('Port 4242 is taken by another program.');
    expect(document.activeElement).toBe(screen.getByLabelText('Port'));

    joinRoomSpy.mockResolvedValueOnce({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong.' } });
    await user.click(join);
    expect((await screen.findByRole('alert')).textContent).toBe('Something went wrong.');
    expect(document.activeElement).toBe(join);
  });
});
