import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useRoom } from '../store/selectors.js';
import { connectedFake, joinRoom } from '../test-helpers.js';
import { TtlPicker } from './TtlPicker.js';

function Picker({ roomId }: { roomId: string }) {
  const room = useRoom(roomId);
  return room ? <TtlPicker room={room} /> : null;
}

describe('TtlPicker', () => {
  it('calls setTtl with 32 when "site" is chosen and explains the scope', async () => {
    const fake = await connectedFake();
    const room = await joinRoom(fake, 'lobby', '239.255.42.99');
    const setTtl = vi.spyOn(fake, 'setTtl');
    const user = userEvent.setup();
    render(<Picker roomId={room.roomId} />);
    expect(screen.getByText(/TTL 1 \(subnet\): Restricted to this subnet/)).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('TTL scope'), '32 – site');
    expect(setTtl).toHaveBeenCalledWith({ roomId: room.roomId, ttl: 32 });
    expect(await screen.findByText(/TTL 32 \(site\): Restricted to the same site, organization or department\./)).toBeTruthy();
    expect((screen.getByLabelText('TTL scope') as HTMLSelectElement).value).toBe('32');
  });

  it('accepts a custom TTL and refuses one out of range', async () => {
    const fake = await connectedFake();
    const room = await joinRoom(fake, 'lobby', '224.0.0.9');
    const setTtl = vi.spyOn(fake, 'setTtl');
    const user = userEvent.setup();
    render(<Picker roomId={room.roomId} />);
    await user.selectOptions(screen.getByLabelText('TTL scope'), 'custom');
    const input = screen.getByLabelText('Custom TTL, 0 to 255');
    await user.clear(input);
    await user.type(input, '300');
    await user.click(screen.getByRole('button', { name: 'Set TTL' }));
    expect(screen.getByRole('alert').textContent).toBe('The TTL must be between 0 and 255.');
    expect(setTtl).not.toHaveBeenCalled();
    await user.clear(input);
    await user.type(input, '7');
    await user.click(screen.getByRole('button', { name: 'Set TTL' }));
    expect(setTtl).toHaveBeenCalledWith({ roomId: room.roomId, ttl: 7 });
    // describeTtl also says that 224.0.0.x never leaves the subnet, whatever the TTL.
    await waitFor(() => expect(screen.getByText(/TTL 7: crosses at most 6 routers.*224\.0\.0\.x is link-local/)).toBeTruthy());
  });

  it('shows why main refused the change and keeps the old TTL', async () => {
    const fake = await connectedFake();
    const room = await joinRoom(fake, 'lobby', '239.255.42.99');
    vi.spyOn(fake, 'setTtl').mockResolvedValue({ ok: false, error: { code: 'NOT_JOINED', message: 'The room is not joined.' } });
    const user = userEvent.setup();
    render(<Picker roomId={room.roomId} />);
    await user.selectOptions(screen.getByLabelText('TTL scope'), '255 – global');
    expect((await screen.findByRole('alert')).textContent).toBe('The room is not joined.');
    expect((screen.getByLabelText('TTL scope') as HTMLSelectElement).value).toBe('1');
  });
});
