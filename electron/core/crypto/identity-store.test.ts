import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDENTITY_FILE, loadOrCreateIdentity, type SecretProtector } from './identity-store.js';

const posix = process.platform !== 'win32';
const NOW = Date.UTC(2025, 0, 31, 12, 0, 0);
const options = { now: () => NOW };

/** Stands in for safeStorage: real encryption under a key the test process holds. */
function fakeKeychain(): SecretProtector & { available: boolean } {
  const key = randomBytes(32);
  return {
    available: true,
    isEncryptionAvailable() {
      return this.available;
    },
    encryptString(plain: string): Buffer {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from('v10'), iv, body, cipher.getAuthTag()]);
    },
    decryptString(data: Buffer): string {
      const iv = data.subarray(3, 15);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(15, data.length - 16)), decipher.final()]).toString('utf8');
    },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mcchat-identity-'));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const file = () => path.join(dir, IDENTITY_FILE);
const listing = async () => (await readdir(dir)).sort();

describe('identity store', () => {
  it('creates an identity once and gives the same one back', async () => {
    const first = await loadOrCreateIdentity(dir, null, options);
    expect(first.notice).toBeNull();
    expect(first.protection).toBe('file-permissions');
    const again = await loadOrCreateIdentity(dir, null, options);
    expect(again.identity.peerId).toBe(first.identity.peerId);
    expect(again.identity.publicKey).toEqual(first.identity.publicKey);
    expect(again.identity.exportSeed()).toEqual(first.identity.exportSeed());
    expect(await listing()).toEqual([IDENTITY_FILE]); // no temporary files left behind
    const stored = JSON.parse(await readFile(file(), 'utf8'));
    expect(stored).toMatchObject({ version: 1, publicKey: Buffer.from(first.identity.publicKey).toString('base64'), seed: { kind: 'plain' } });
  });

  it.skipIf(!posix)('keeps the file readable by the user only (0600), and tightens a loosened one', async () => {
    await loadOrCreateIdentity(dir, null, options);
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    await chmod(file(), 0o644);
    await loadOrCreateIdentity(dir, null, options);
    expect((await stat(file())).mode & 0o777).toBe(0o600);
  });

  it('creates its folder when missing', async () => {
    const nested = path.join(dir, 'a', 'b');
    const { notice } = await loadOrCreateIdentity(nested, null, options);
    expect(notice).toBeNull();
    expect(await readdir(nested)).toEqual([IDENTITY_FILE]);
  });

  it('with the OS keychain, stores no trace of the seed in the clear', async () => {
    const keychain = fakeKeychain();
    const { identity, protection } = await loadOrCreateIdentity(dir, keychain, options);
    expect(protection).toBe('os');
    const seed = Buffer.from(identity.exportSeed());
    const text = await readFile(file(), 'utf8');
    for (const form of [seed.toString('base64'), seed.toString('base64url'), seed.toString('hex'), seed.toString('latin1')]) {
      expect(text.includes(form)).toBe(false);
    }
    expect(JSON.parse(text).seed.kind).toBe('os');
    const again = await loadOrCreateIdentity(dir, keychain, options);
    expect(again).toMatchObject({ protection: 'os', notice: null });
    expect(again.identity.peerId).toBe(identity.peerId);
  });

  it('moves a plain seed into the keychain once it becomes available', async () => {
    const { identity } = await loadOrCreateIdentity(dir, null, options);
    const keychain = fakeKeychain();
    const upgraded = await loadOrCreateIdentity(dir, keychain, options);
    expect(upgraded).toMatchObject({ protection: 'os', notice: null });
    expect(upgraded.identity.peerId).toBe(identity.peerId);
    expect(JSON.parse(await readFile(file(), 'utf8')).seed.kind).toBe('os');
  });

  it('moves a corrupt file aside, says so, and starts a new identity', async () => {
    const damaged = ['{"version":1,', 'null', '{"version":2}', '\u0000\u0001garbage', JSON.stringify({ version: 1, publicKey: 'AAAA', seed: { kind: 'plain', data: 'AAAA' } })];
    for (const content of damaged) {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir);
      await writeFile(file(), content);
      const result = await loadOrCreateIdentity(dir, null, options);
      expect(result.notice).toMatch(/damaged.*kept as identity\.json\.corrupt-2025-01-31T12-00-00-000Z.*new identity/);
      expect(await listing()).toEqual([IDENTITY_FILE, 'identity.json.corrupt-2025-01-31T12-00-00-000Z']);
      expect(await readFile(path.join(dir, 'identity.json.corrupt-2025-01-31T12-00-00-000Z'), 'utf8')).toBe(content);
      expect((await loadOrCreateIdentity(dir, null, options)).identity.peerId).toBe(result.identity.peerId);
    }
  });

  it('treats a seed that does not match its public key as damage', async () => {
    const { identity } = await loadOrCreateIdentity(dir, null, options);
    const stored = JSON.parse(await readFile(file(), 'utf8'));
    stored.seed.data = randomBytes(32).toString('base64');
    await writeFile(file(), JSON.stringify(stored));
    const result = await loadOrCreateIdentity(dir, null, options);
    expect(result.notice).toMatch(/does not match/);
    expect(result.identity.peerId).not.toBe(identity.peerId);
  });

  it('moves an unreadable file aside too', async () => {
    await mkdir(file()); // a folder where the file should be: reading it fails with EISDIR
    const result = await loadOrCreateIdentity(dir, null, options);
    expect(result.notice).toMatch(/could not be read/);
    expect(await listing()).toEqual([IDENTITY_FILE, 'identity.json.corrupt-2025-01-31T12-00-00-000Z']);
  });

  it('keeps a keychain-encrypted file aside when the keychain is gone, and starts a new identity', async () => {
    const keychain = fakeKeychain();
    const { identity } = await loadOrCreateIdentity(dir, keychain, options);
    const original = await readFile(file(), 'utf8');

    keychain.available = false;
    const result = await loadOrCreateIdentity(dir, keychain, options);
    expect(result.notice).toMatch(/keychain, which is not available now.*kept as identity\.json\.locked-2025-01-31T12-00-00-000Z/);
    expect(result.identity.peerId).not.toBe(identity.peerId);
    expect(result.protection).toBe('file-permissions');
    expect(await readFile(path.join(dir, 'identity.json.locked-2025-01-31T12-00-00-000Z'), 'utf8')).toBe(original);

    // The kept file still opens with the keychain that made it.
    await rm(file());
    await writeFile(file(), original);
    keychain.available = true;
    expect((await loadOrCreateIdentity(dir, keychain, options)).identity.peerId).toBe(identity.peerId);
  });

  it('treats a keychain that cannot decrypt (another user, a reset keyring) like a missing one', async () => {
    await loadOrCreateIdentity(dir, fakeKeychain(), options);
    const other = fakeKeychain();
    const result = await loadOrCreateIdentity(dir, other, options);
    expect(result.notice).toMatch(/could not be decrypted/);
    expect(result.protection).toBe('os');
    expect(await listing()).toEqual([IDENTITY_FILE, 'identity.json.locked-2025-01-31T12-00-00-000Z']);
  });

  it('falls back to file permissions when the keychain says yes but fails', async () => {
    const broken: SecretProtector = {
      isEncryptionAvailable: () => true,
      encryptString: () => {
        throw new Error('keyring locked');
      },
      decryptString: () => {
        throw new Error('keyring locked');
      },
    };
    const result = await loadOrCreateIdentity(dir, broken, options);
    expect(result).toMatchObject({ protection: 'file-permissions', notice: null });
    expect((await loadOrCreateIdentity(dir, broken, options)).identity.peerId).toBe(result.identity.peerId);
  });

  it('runs with a temporary identity, and says so, when its folder cannot be made', async () => {
    // A file where a folder should be fails for root too, unlike permission bits.
    await writeFile(path.join(dir, 'not-a-folder'), '');
    const result = await loadOrCreateIdentity(path.join(dir, 'not-a-folder', 'profile'), null, options);
    expect(result.notice).toMatch(/could not be saved.*temporary/);
    expect(result.identity.publicKey).toHaveLength(32);
  });
});
