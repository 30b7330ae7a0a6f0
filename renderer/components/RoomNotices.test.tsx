import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../App.js';
import { connectedFake, joinRoom } from '../test-helpers.js';

const roomButton = (name: string) => within(screen.getByRole('list', { name: 'Joined rooms' })).getByRole('button', { name: new RegExp(name) });

describe('notices in their place', () => {
  it("a room's notices show in that room only, one line each, fold to one line, and can be dismissed", async () => {
    const fake = await connectedFake();
    const lobby = await joinRoom(fake, 'lobby', '239.255.42.99');
    await joinRoom(fake, 'lab', '239.255.42.100');
    const user = userEvent.setup();
    render(<App />);
    const plain = 'Unencrypted datagrams arrive in passphrase room lobby; they are not shown (a peer without the passphrase, or the lecture\'s snippets).';
    const disk = 'Messages in room lobby could not be saved (disk full): they are shown, marked "not saved".';
    act(() =>
      fake.emit([
        { type: 'error', roomId: lobby.roomId, error: { code: 'ENCRYPTION_MISMATCH', message: plain } },
        { type: 'error', roomId: lobby.roomId, error: { code: 'ENCRYPTION_MISMATCH', message: plain } },
        { type: 'error', roomId: lobby.roomId, error: { code: 'HISTORY_WRITE_FAILED', message: disk } },
      ]),
    );
    const list = screen.getByRole('list', { name: 'Notices in lobby' });
    const lines = within(list).getAllByRole('listitem');
    expect(lines.map((li) => li.querySelector('.notice-line__text')?.textContent)).toEqual([
      'Unencrypted datagrams arrive and are not shown (a peer without the passphrase, or the lecture’s snippets).',
      disk,
    ]);
    expect(lines[0]?.textContent).toContain('×2');
    // The full sentence on hover; the failure is an alert, heard at once.
    expect(lines[0]?.querySelector('.notice-line__text')?.getAttribute('title')).toBe(plain);
    expect(screen.getAllByRole('alert').some((a) => a.textContent === `lobby: ${disk}`)).toBe(true);
    expect(screen.queryByRole('list', { name: 'App notices' })).toBeNull();

    await user.click(roomButton('lab'));
    expect(screen.queryByRole('list', { name: /^Notices in/ })).toBeNull();
    await user.click(roomButton('lobby'));

    const toggle = screen.getByRole('button', { name: /2 notices/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('list', { name: 'Notices in lobby' })).toBeNull();
    expect(document.querySelector('.room-notices__latest')?.textContent).toBe(disk);
    await user.click(toggle);
    await user.click(screen.getByRole('button', { name: `Dismiss: ${disk}` }));
    expect(within(screen.getByRole('list', { name: 'Notices in lobby' })).getAllByRole('listitem')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Dismiss all notices in lobby' }));
    expect(screen.queryByRole('list', { name: 'Notices in lobby' })).toBeNull();
  });

  it('names where refused datagrams came from, adding up repeats per source', async () => {
    const fake = await connectedFake();
    const lobby = await joinRoom(fake, 'lobby', '239.255.42.99');
    render(<App />);
    const plain = 'Unencrypted datagrams arrive in passphrase room lobby; they are not shown (a peer without the passphrase, or the lecture\'s snippets).';
    const error = { code: 'ENCRYPTION_MISMATCH', message: plain } as const;
    act(() =>
      fake.emit([
        { type: 'error', roomId: lobby.roomId, error, sources: [{ src: '198.18.0.5:40000', count: 1 }], moreSources: 0 },
        { type: 'error', roomId: lobby.roomId, error, sources: [{ src: '198.18.0.7:5000', count: 9 }, { src: '198.18.0.5:40000', count: 4 }, { src: '198.18.0.8:1', count: 2 }, { src: '198.18.0.9:1', count: 1 }], moreSources: 30 },
      ]),
    );
    const line = within(screen.getByRole('list', { name: 'Notices in lobby' })).getByRole('listitem');
    expect(line.querySelector('.notice-line__text')?.textContent).toBe(
      'Unencrypted datagrams arrive and are not shown (a peer without the passphrase, or the lecture’s snippets). From 198.18.0.7:5000 (9), 198.18.0.5:40000 (5), 198.18.0.8:1 (2) and 31 more.',
    );
    // The line may be cut short on a narrow window: the sources are in its hover text too.
    expect(line.querySelector('.notice-line__text')?.getAttribute('title')).toMatch(/snippets\)\. From 198\.18\.0\.7:5000 \(9\)/);
  });

  it('"no keychain" notices for several rooms are one app-wide line, dismissed at once', async () => {
    const fake = await connectedFake();
    await joinRoom(fake, 'lobby', '239.255.42.99');
    const user = userEvent.setup();
    render(<App />);
    act(() => {
      for (const name of ['Lab', 'Secret', 'Lab']) {
        fake.notice({ level: 'info', message: `This computer has no keychain to keep the key of ${name} safely: you will be asked for its passphrase at the next start.` });
      }
    });
    const list = screen.getByRole('list', { name: 'App notices' });
    expect(within(list).getAllByRole('listitem').map((li) => li.querySelector('.notice-line__text')?.textContent)).toEqual([
      'No keychain on this computer to keep room keys: Lab, Secret will ask for their passphrase at the next start.',
    ]);
    await user.click(within(list).getByRole('button', { name: /^Dismiss: No keychain/ }));
    expect(screen.queryByRole('list', { name: 'App notices' })).toBeNull();
  });
});
