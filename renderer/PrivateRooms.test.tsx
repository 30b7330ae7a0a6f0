import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { emptyCounters } from '../shared/events.js';
import { App } from './App.js';
import { connectedFake } from './test-helpers.js';

// Private rooms and identities as the whole window shows them: the lock, the key id, our own
// fingerprint, the counters that mean trouble and the errors that say what to do.

async function appWithRooms() {
  const fake = await connectedFake();
  const secret = await fake.joinRoom({ name: 'secret', group: '239.255.42.98', port: 4242, passphrase: 'correct horse battery staple' });
  const plain = await fake.joinRoom({ name: 'plain', group: '239.255.42.99', port: 4242 });
  if (!secret.ok || !plain.ok) throw new Error('join failed');
  render(<App />);
  return { fake, secret: secret.value, plain: plain.value };
}

describe('private rooms in the window', () => {
  it('marks a passphrase room with a lock and words in the room list, and names its key in the header', async () => {
    const { secret } = await appWithRooms();
    const list = screen.getByRole('navigation', { name: 'Rooms' });
    const secretButton = within(list).getByRole('button', { name: /secret/ });
    const plainButton = within(list).getByRole('button', { name: /plain/ });
    expect(secretButton.querySelector('.lock svg')?.getAttribute('aria-hidden')).toBe('true');
    expect(within(secretButton).getByText('Private room, encrypted with a passphrase')).toBeTruthy();
    expect(plainButton.querySelector('.lock')).toBeNull();

    // The passphrase room is the one open (the first joined).
    const header = document.querySelector('.room-header') as HTMLElement;
    expect(within(header).getByRole('heading', { name: 'secret' })).toBeTruthy();
    expect(secret.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(within(header).getByText(`key ${secret.keyId ?? ''}`)).toBeTruthy();
    expect(screen.getByText(new RegExp(`encrypted with the passphrase \\(key ${secret.keyId ?? ''}\\)`))).toBeTruthy();
  });

  it('shows our own fingerprint next to the nickname, to read out loud', async () => {
    await appWithRooms();
    const setting = document.querySelector('.nickname-setting') as HTMLElement;
    expect(within(setting).getByText(/^Your fingerprint:/).querySelector('code')?.textContent).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
  });

  it('makes the security counters stand out once they are above zero', async () => {
    const { fake, secret } = await appWithRooms();
    act(() => fake.emit([{ type: 'counters', roomId: secret.roomId, counters: { ...emptyCounters(), datagramsIn: 9, wrongKey: 3, replayed: 2, unsigned: 1, plainInPrivate: 1, badSignature: 1, decryptFailed: 1, encryptedNoKey: 0 } }]));
    const item = (label: string) => screen.getByText(label, { selector: 'dt' }).parentElement as HTMLElement;
    for (const label of ['Encrypted, another passphrase', 'Replayed', 'Unsigned (not shown)', 'Unencrypted in a private room', 'Bad signature', 'Could not be decrypted']) {
      expect(item(label).className, label).toContain('counters__item--alert');
    }
    expect(item('Encrypted, no passphrase here').className).not.toContain('counters__item--alert');
    expect(item('Datagrams in').className).not.toContain('counters__item--alert');
  });

  it('shows WRONG_PASSPHRASE and ENCRYPTION_MISMATCH as banners that say what to do', async () => {
    const { fake, secret } = await appWithRooms();
    const wrong = 'Someone in this room uses another passphrase than yours: check that everyone typed the same one.';
    const mismatch = 'This room is encrypted by the others but you joined without a passphrase: leave it and join again with the passphrase.';
    act(() =>
      fake.emit([
        { type: 'error', roomId: secret.roomId, error: { code: 'WRONG_PASSPHRASE', message: wrong } },
        { type: 'error', roomId: null, error: { code: 'ENCRYPTION_MISMATCH', message: mismatch } },
      ]),
    );
    // The room's own notice is in the room, in a short form; one about no room is app-wide.
    const inRoom = screen.getByRole('list', { name: 'Notices in secret' });
    expect(within(inRoom).getAllByRole('listitem').map((li) => li.querySelector('.notice-line__text')?.textContent)).toEqual([
      'Messages here are encrypted with another passphrase than yours: check it with someone in the room.',
    ]);
    expect(within(screen.getByRole('list', { name: 'App notices' })).getByText(mismatch)).toBeTruthy();
    // Refused traffic is a warning: heard politely, not as an alert.
    expect(screen.getAllByRole('status').some((s) => s.textContent === `secret: ${wrong}`)).toBe(true);
  });
});
