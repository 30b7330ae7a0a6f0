import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { GroupView } from '../../shared/group-view.js';
import { useRoom } from '../store/selectors.js';
import { connectedFake, joinRoom } from '../test-helpers.js';
import { GroupPanel } from './GroupPanel.js';

function Panel({ roomId }: { roomId: string }) {
  const room = useRoom(roomId);
  return room ? <GroupPanel room={room} /> : null;
}

const panel = () => screen.getByRole('region', { name: 'Group on the wire' });

describe('GroupPanel', () => {
  it("shows the group's Ethernet address, the groups sharing it, link-local or not, and where the OS holds it", async () => {
    const fake = await connectedFake();
    const room = await joinRoom(fake, 'lobby', '239.255.42.99');
    render(<Panel roomId={room.roomId} />);
    expect(within(panel()).getByText('Asking the system…')).toBeTruthy();
    expect(await within(panel()).findByText('01:00:5e:7f:2a:63')).toBeTruthy();
    const text = panel().textContent ?? '';
    expect(text).toContain('239.255.42.99');
    expect(text).toContain('Shared with 31 other groups (224.127.42.99, 224.255.42.99, …)');
    expect(text).toContain('Link-localNo: routers may forward it');
    // The fake OS holds the group where the room joined: both of its interfaces.
    expect(text).toContain('The OS holds it oneth0, lo (from the demo (no operating system asked))');
  });

  it('says a 224.0.0.x group is link-local', async () => {
    const fake = await connectedFake();
    const room = await joinRoom(fake, 'mdns', '224.0.0.251', 5353);
    render(<Panel roomId={room.roomId} />);
    expect(await within(panel()).findByText('01:00:5e:00:00:fb')).toBeTruthy();
    expect(panel().textContent).toContain('Yes (224.0.0.x): routers never forward it, whatever the TTL.');
  });

  it('names interfaces where the room joined but the OS holds no membership', async () => {
    const fake = await connectedFake({ memberships: { available: true, source: '/proc/net/igmp', interfaces: [{ name: 'eth0', groups: ['239.255.42.99'] }] } });
    const room = await joinRoom(fake, 'lobby', '239.255.42.99');
    render(<Panel roomId={room.roomId} />);
    expect(await within(panel()).findByText(/not on lo, where this room joined/)).toBeTruthy();
    expect(panel().textContent).toContain('eth0 · not on lo');
  });

  it('says "not available" and why, and asks again on request', async () => {
    const fake = await connectedFake();
    const room = await joinRoom(fake, 'lobby', '239.255.42.99');
    const real = fake.getGroupView;
    const getGroupView = vi.spyOn(fake, 'getGroupView').mockImplementationOnce(async (roomId) => {
      const answer = await real(roomId);
      if (!answer.ok) return answer;
      const view: GroupView = { ...answer.value, os: { available: false, reason: 'netstat -g -n could not be read (ENOENT)' } };
      return { ok: true, value: view };
    });
    const user = userEvent.setup();
    render(<Panel roomId={room.roomId} />);
    expect(await within(panel()).findByText('not available: netstat -g -n could not be read (ENOENT)')).toBeTruthy();
    await user.click(within(panel()).getByRole('button', { name: 'Check again' }));
    expect(await within(panel()).findByText(/eth0, lo/)).toBeTruthy();
    expect(getGroupView).toHaveBeenCalledTimes(2);
    expect(getGroupView).toHaveBeenLastCalledWith(room.roomId);
  });

  it('shows why main could not answer', async () => {
    const fake = await connectedFake();
    const room = await joinRoom(fake, 'lobby', '239.255.42.99');
    vi.spyOn(fake, 'getGroupView').mockResolvedValue({ ok: false, error: { code: 'ROOM_NOT_FOUND', message: 'There is no joined room 239.255.42.99:4242.' } });
    render(<Panel roomId={room.roomId} />);
    expect(await within(panel()).findByText('There is no joined room 239.255.42.99:4242.')).toBeTruthy();
  });

  it('asks again when the room joins on other interfaces', async () => {
    const fake = await connectedFake();
    const room = await joinRoom(fake, 'lobby', '239.255.42.99');
    const getGroupView = vi.spyOn(fake, 'getGroupView');
    render(<Panel roomId={room.roomId} />);
    await within(panel()).findByText('01:00:5e:7f:2a:63');
    expect(getGroupView).toHaveBeenCalledTimes(1);
    fake.updateRoom(room.roomId, { interfaces: [{ name: 'lo', address: '127.0.0.1' }] });
    await vi.waitFor(() => expect(getGroupView).toHaveBeenCalledTimes(2));
  });
});
