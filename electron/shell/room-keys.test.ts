import { describe, expect, it } from 'vitest';
import type { SecretProtector } from '../core/crypto/identity-store.js';
import { createRoomKeyVault } from './room-keys.js';
import { osSecretProtector } from './secrets.js';

/** A keychain stand-in that really transforms the data, so "stored in clear" would show. */
const fakeKeychain: SecretProtector = {
  isEncryptionAvailable: () => true,
  encryptString: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (data) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8'),
};

describe('room key vault', () => {
  it('derives with scrypt in main, seals the key with the keychain, and restores the same key', async () => {
    const vault = createRoomKeyVault(fakeKeychain);
    const key = await vault.derive('violet tractor under 41 clouds', '239.255.9.9', 9999);
    const saved = vault.protect(key);
    expect(saved).not.toBeNull();
    expect(Buffer.from(saved!, 'base64').toString('base64')).not.toContain(Buffer.from(key.exportBytes()).toString('base64'));
    expect(vault.restore(saved!)?.id).toBe(key.id);
    expect(vault.restore('bm90IGEga2V5')).toBeNull();
  });

  it('keeps nothing without a keychain', async () => {
    const vault = createRoomKeyVault(null);
    const key = await vault.derive('violet tractor under 41 clouds', '239.255.9.9', 9999);
    expect(vault.protect(key)).toBeNull();
    expect(vault.restore('anything')).toBeNull();
  });
});

describe('OS secret protector', () => {
  it('uses the keychain only when it really encrypts', () => {
    expect(osSecretProtector({ ...fakeKeychain, isEncryptionAvailable: () => false })).toBeNull();
    const basic = { ...fakeKeychain, getSelectedStorageBackend: () => 'basic_text' };
    expect(osSecretProtector(basic)).toBe(process.platform === 'linux' ? null : basic);
    const gnome = { ...fakeKeychain, getSelectedStorageBackend: () => 'gnome_libsecret' };
    expect(osSecretProtector(gnome)).toBe(gnome);
  });
});
