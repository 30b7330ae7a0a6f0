import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ReachResult } from '../../shared/events.js';
import type { Result } from '../../shared/ipc/result.js';
import { useRoom } from '../store/selectors.js';
import { connectedFake, joinRoom } from '../test-helpers.js';
import { ReachPanel } from './ReachPanel.js';

function Panel({ roomId }: { roomId: string }) {
  const room = useRoom(roomId);
  return room ? <ReachPanel room={room} /> : null;
}

const panel = () => screen.getByRole('region', { name: 'How far does my TTL reach?' });
const probeButton = () => within(panel()).getByRole('button', { name: 'Probe' });
const lines = () => within(panel()).queryAllByRole('listitem').map((li) => li.textContent);

/** A room with bob and carol announced (the fake's peers), and a probe the test answers. */
async function setup(ttl = 1) {
  const fake = await connectedFake();
  const room = await joinRoom(fake, 'lobby', '239.255.42.99');
  if (ttl !== 1) await fake.setTtl({ roomId: room.roomId, ttl });
  let bob = '';
  let carol = '';
  act(() => {
    bob = fake.receive(room.roomId, { nick: 'bob', text: 'hi' }).peerId ?? '';
    carol = fake.receive(room.roomId, { nick: 'carol', text: 'hi' }).peerId ?? '';
  });
  const answers: ((result: Result<readonly ReachResult[]>) => void)[] = [];
  const probeReach = vi.spyOn(fake, 'probeReach').mockImplementation(() => new Promise((resolve) => answers.push(resolve)));
  const user = userEvent.setup();
  const view = render(<Panel roomId={room.roomId} />);
  const answer = async (rows: readonly ReachResult[] | Result<readonly ReachResult[]>) => {
    await act(async () => answers.shift()?.(Array.isArray(rows) ? { ok: true, value: rows } : (rows as Result<readonly ReachResult[]>)));
  };
  return { fake, room, bob, carol, probeReach, user, answer, view };
}

const DAVE = { peerId: 'da7e00000000abcd', nick: 'dave', src: '10.1.2.3:4242' };

describe('ReachPanel', () => {
  it('says what it does, offers a TTL limit of 8 and a Probe button, and shows nothing found yet', async () => {
    await setup();
    expect(panel().textContent).toContain('Like a traceroute for scope: small probes go out at TTL 1, 2, … up to the limit, and each peer answers once, at the lowest TTL that reached it.');
    expect((within(panel()).getByLabelText('TTL limit') as HTMLInputElement).value).toBe('8');
    expect((probeButton() as HTMLButtonElement).disabled).toBe(false);
    expect(lines()).toEqual([]);
  });

  it('while it runs: the button is disabled and the panel says which TTL is going out, then waits for the last answers', async () => {
    const { room, probeReach, user, answer, bob } = await setup();
    await user.clear(within(panel()).getByLabelText('TTL limit'));
    await user.type(within(panel()).getByLabelText('TTL limit'), '5');
    await user.click(probeButton());
    expect(probeReach).toHaveBeenCalledWith({ roomId: room.roomId, ttlMax: 5 });
    expect((probeButton() as HTMLButtonElement).disabled).toBe(true);
    expect(probeButton().getAttribute('aria-describedby')).toBe('reach-progress');
    // Five TTLs 200 ms apart (a second to see one of them), then the wait for the last answers.
    expect(within(panel()).getByText(/^Probing TTL [1-5] of 5…$/)).toBeTruthy();
    expect(await within(panel()).findByText('Waiting for the last answers…', {}, { timeout: 4_000 })).toBeTruthy();
    // A second click does nothing: one probe per room.
    await user.click(probeButton());
    expect(probeReach).toHaveBeenCalledTimes(1);
    await answer([
      { ttl: 1, peers: [{ peerId: bob, nick: 'bob', src: '192.168.1.20:4242' }] },
      { ttl: 2, peers: [] },
      { ttl: 3, peers: [{ peerId: 'da7e00000000abcd', nick: 'dave', src: '10.1.2.3:4242' }] },
      { ttl: 4, peers: [] },
      { ttl: 5, peers: [] },
    ]);
    expect(within(panel()).queryByText(/Probing|Waiting/)).toBeNull();
    expect((probeButton() as HTMLButtonElement).disabled).toBe(false);
    expect(lines()).toEqual(['TTL 1 (subnet): bob', 'TTL 2: nobody new', 'TTL 3 — 2 routers away: dave #da7e0000', 'TTL 4–5: nobody new']);
  });

  it('lists per TTL who answered first there, with scope names and routers, and compares with the room’s TTL', async () => {
    const { fake, room, bob, carol, user, answer } = await setup();
    await user.click(probeButton());
    await answer([
      { ttl: 1, peers: [{ peerId: bob, nick: 'bob', src: '192.168.1.20:4242' }, { peerId: carol, nick: 'carol', src: '192.168.1.21:4242' }] },
      { ttl: 2, peers: [DAVE] },
      { ttl: 3, peers: [] },
      { ttl: 4, peers: [] },
      { ttl: 5, peers: [] },
      { ttl: 6, peers: [] },
      { ttl: 7, peers: [] },
      { ttl: 8, peers: [] },
    ]);
    // dave never announced himself in this room: his name comes with the start of his peer id.
    expect(lines()).toEqual(['TTL 1 (subnet): bob, carol', 'TTL 2 — 1 router away: dave #da7e0000', 'TTL 3–8: nobody new']);
    expect(within(panel()).getByRole('list', { name: 'Who answered, per TTL' })).toBeTruthy();
    const text = panel().textContent ?? '';
    expect(text).toContain('3 peers answered; the farthest is 1 router away (first reached at TTL 2).');
    expect(text).toContain("The room's TTL 1 reaches 2 of 3 peers that answered; TTL 2 would reach them all.");
    expect(text).toMatch(/Probed up to TTL 8 at \d/);
    // The address each answer came from is there for whoever points at a name.
    expect(within(panel()).getByText('dave #da7e0000').getAttribute('title')).toBe('10.1.2.3:4242');

    // The comparison follows the room's TTL as it changes.
    await act(async () => void (await fake.setTtl({ roomId: room.roomId, ttl: 32 })));
    expect(panel().textContent).toContain("The room's TTL 32 reaches all 3 peers that answered.");
    await act(async () => void (await fake.setTtl({ roomId: room.roomId, ttl: 0 })));
    expect(panel().textContent).toContain("The room's TTL 0 reaches none of the 3 peers that answered: its messages never leave this computer.");
  });

  it('announces the result politely, inside the labelled region', async () => {
    const { user, answer, bob } = await setup();
    await user.click(probeButton());
    await answer([{ ttl: 1, peers: [{ peerId: bob, nick: 'bob', src: '192.168.1.20:4242' }] }]);
    const live = panel().querySelector('[aria-live="polite"]');
    expect(live?.textContent).toContain('TTL 1 (subnet): bob');
    expect(live?.textContent).toContain("The room's TTL 1 reaches the one peer that answered.");
    // The ticking progress is not in it.
    expect(live?.querySelector('#reach-progress')).toBeNull();
  });

  it('says when nobody answered', async () => {
    const { user, answer } = await setup();
    await user.click(probeButton());
    await answer([
      { ttl: 1, peers: [] },
      { ttl: 2, peers: [] },
    ]);
    expect(lines()).toEqual(['TTL 1–2: nobody new']);
    expect(panel().textContent).toContain('Nobody answered up to TTL 2: no other member in the room, or only passive listeners and one-shot senders (they do not answer).');
    expect(panel().textContent).not.toContain("The room's TTL");
  });

  it('shows names as text only, and tells apart two peers with the same name', async () => {
    const { user, answer, bob } = await setup();
    await user.click(probeButton());
    await answer([
      { ttl: 1, peers: [{ peerId: bob, nick: 'bob', src: '192.168.1.20:4242' }, { peerId: 'b0b0000000000099', nick: 'bob', src: '192.168.1.99:4242' }] },
      { ttl: 2, peers: [{ peerId: 'e0e0000000000001', nick: '<img src=x onerror=alert(1)>', src: '10.0.0.9:4242' }] },
    ]);
    expect(lines()).toEqual([`TTL 1 (subnet): bob #${bob.slice(0, 8)}, bob #b0b00000`, 'TTL 2 — 1 router away: <img src=x onerror=alert(1)> #e0e00000']);
    expect(panel().querySelector('img')).toBeNull();
  });

  it('shows why a probe did not run, as a sentence, and lets the user try again', async () => {
    const { user, answer, probeReach } = await setup();
    await user.click(probeButton());
    await answer({ ok: false, error: { code: 'PROBE_RUNNING', message: 'A probe of lobby is already running (up to TTL 8, about 3 s): wait for its answer.' } });
    const error = within(panel()).getByText(/^The probe did not run: /);
    expect(error.textContent).toBe('The probe did not run: A probe of lobby is already running (up to TTL 8, about 3 s): wait for its answer.');
    expect(error.closest('[aria-live="polite"]')).toBeTruthy();
    expect((probeButton() as HTMLButtonElement).disabled).toBe(false);

    // The IPC call itself failing (main gone) is a sentence too, never a stack.
    probeReach.mockRejectedValueOnce(new Error('Error invoking remote method: reply was never sent'));
    await user.click(probeButton());
    const failed = await within(panel()).findByText(/did not answer/);
    expect(failed.textContent).toBe(
      "The probe did not run: Multicast Chat's background process did not answer (Error invoking remote method: reply was never sent). Restart the app if this keeps happening.",
    );
    expect(panel().textContent).not.toMatch(/\bat \S+ \(|\.tsx?:\d+/);
  });

  it('refuses a TTL limit outside 1–32 before asking main', async () => {
    const { user, probeReach, room } = await setup();
    const limit = within(panel()).getByLabelText('TTL limit');
    for (const bad of ['0', '33', '2.5']) {
      await user.clear(limit);
      await user.type(limit, bad);
      expect(within(panel()).getByText('The TTL limit must be a whole number from 1 to 32.')).toBeTruthy();
      expect(limit.getAttribute('aria-invalid')).toBe('true');
      expect((probeButton() as HTMLButtonElement).disabled).toBe(true);
    }
    await user.clear(limit);
    await user.type(limit, '32{Enter}');
    expect(probeReach).toHaveBeenCalledExactlyOnceWith({ roomId: room.roomId, ttlMax: 32 });
  });

  it('a passive room cannot probe: the button is disabled and says why; so is a room that is not joined', async () => {
    const { fake, room, probeReach } = await setup();
    act(() => fake.updateRoom(room.roomId, { mode: 'passive' }));
    expect((probeButton() as HTMLButtonElement).disabled).toBe(true);
    expect(within(panel()).getByText('This room is joined passively: it sends nothing, so it cannot probe.').id).toBe('reach-blocked');
    expect(probeButton().getAttribute('aria-describedby')).toBe('reach-blocked');
    act(() => fake.updateRoom(room.roomId, { mode: undefined, status: 'reconnecting' }));
    expect((probeButton() as HTMLButtonElement).disabled).toBe(true);
    expect(within(panel()).getByText('The room is not joined right now: it can probe once it is.')).toBeTruthy();
    act(() => fake.updateRoom(room.roomId, { status: 'joined' }));
    expect((probeButton() as HTMLButtonElement).disabled).toBe(false);
    expect(probeReach).not.toHaveBeenCalled();
  });

  it('keeps a probe that ends while the panel is away (a message inspected), and shows it on return', async () => {
    const { room, user, answer, bob, view, probeReach } = await setup();
    await user.clear(within(panel()).getByLabelText('TTL limit'));
    await user.type(within(panel()).getByLabelText('TTL limit'), '3');
    await user.click(probeButton());
    expect(probeReach).toHaveBeenCalledWith({ roomId: room.roomId, ttlMax: 3 });
    view.unmount();
    await answer([{ ttl: 1, peers: [{ peerId: bob, nick: 'bob', src: '192.168.1.20:4242' }] }, { ttl: 2, peers: [] }, { ttl: 3, peers: [] }]);
    render(<Panel roomId={room.roomId} />);
    expect(lines()).toEqual(['TTL 1 (subnet): bob', 'TTL 2–3: nobody new']);
    // The limit it ran with comes back too.
    expect((within(panel()).getByLabelText('TTL limit') as HTMLInputElement).value).toBe('3');
  });
});
