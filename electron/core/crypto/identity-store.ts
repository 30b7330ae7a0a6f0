/**
 * Keeps this installation's identity seed on disk. Where the OS offers a keychain (Electron's
 * safeStorage), the seed is stored encrypted with it; otherwise it is stored in a file only this
 * user may read. Whatever state the file is in, the app starts: a damaged or undecryptable file
 * is kept aside (never deleted, it may be recoverable) and a new identity is made, with a notice
 * saying so, because peers will see a new fingerprint.
 */
import { chmod, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { generateIdentity, identityFromSeed, PUBLIC_KEY_BYTES, SEED_BYTES, type Identity } from './identity.js';
import { errorCode, errorMessage, moveAside, PRIVATE_FILE_MODE, writePrivateFile } from './private-file.js';

/** Exactly the shape of Electron's `safeStorage`, so the shell can pass it in as it is. */
export interface SecretProtector {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(data: Buffer): string;
}

export type IdentityProtection = 'os' | 'file-permissions';

export interface LoadedIdentity {
  readonly identity: Identity;
  /** How the seed is protected at rest: by the OS keychain, or by the file's permissions only. */
  readonly protection: IdentityProtection;
  /** Something the user should know (the old identity could not be used); null normally. */
  readonly notice: string | null;
}

export interface IdentityStoreOptions {
  /** Milliseconds since 1970, for the names of files kept aside. */
  readonly now?: () => number;
}

export const IDENTITY_FILE = 'identity.json';
const IDENTITY_FILE_VERSION = 1;

const base64 = z.base64().max(1024);

export const identityFileSchema = z.object({
  version: z.literal(IDENTITY_FILE_VERSION),
  publicKey: base64,
  seed: z.discriminatedUnion('kind', [z.object({ kind: z.literal('os'), data: base64 }), z.object({ kind: z.literal('plain'), data: base64 })]),
});

export type IdentityFile = z.output<typeof identityFileSchema>;

const NEW_FINGERPRINT = 'Peers who knew you will see a new fingerprint.';

/** Reads the identity in `dir`, or makes one. Never throws for anything the file may contain. */
export async function loadOrCreateIdentity(dir: string, protector: SecretProtector | null, options: IdentityStoreOptions = {}): Promise<LoadedIdentity> {
  const now = options.now ?? Date.now;
  const file = path.join(dir, IDENTITY_FILE);
  const osAvailable = isAvailable(protector);

  /** Makes a new identity and saves it; `notice` explains why it was needed, if it was not the first run. */
  async function create(notice: string | null): Promise<LoadedIdentity> {
    const identity = generateIdentity();
    try {
      const protection = await save(file, identity, osAvailable ? protector : null);
      return { identity, protection, notice };
    } catch (error) {
      const unsaved = `Your identity could not be saved to ${file} (${errorMessage(error)}): this run uses a temporary one, and the next run will have another. ${NEW_FINGERPRINT}`;
      return { identity, protection: 'file-permissions', notice: notice ? `${notice} ${unsaved}` : unsaved };
    }
  }

  /** Keeps the unusable file as `identity.json.<label>-<time>` and starts over. */
  async function replace(label: 'corrupt' | 'locked', problem: string): Promise<LoadedIdentity> {
    let aside: string;
    try {
      aside = await moveAside(file, label, now());
    } catch (error) {
      // Could not move it: leave it where it is rather than overwrite what may be recoverable.
      return {
        identity: generateIdentity(),
        protection: 'file-permissions',
        notice: `${problem} It could not be moved aside (${errorMessage(error)}), so this run uses a temporary identity. ${NEW_FINGERPRINT}`,
      };
    }
    return create(`${problem} It was kept as ${aside} and a new identity was created. ${NEW_FINGERPRINT}`);
  }

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    // ENOTDIR: a file where the folder should be; there is no identity file to keep aside.
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return create(null);
    return replace('corrupt', `Your identity file could not be read (${errorMessage(error)}).`);
  }

  const stored = parse(text);
  if (!stored) return replace('corrupt', 'Your identity file was damaged.');

  let seed: Buffer;
  if (stored.seed.kind === 'os') {
    if (!osAvailable || !protector) {
      return replace('locked', "Your identity is encrypted with the system's keychain, which is not available now.");
    }
    try {
      seed = Buffer.from(base64.parse(protector.decryptString(Buffer.from(stored.seed.data, 'base64'))), 'base64');
    } catch (error) {
      return replace('locked', `Your identity could not be decrypted with the system's keychain (${errorMessage(error)}).`);
    }
  } else {
    seed = Buffer.from(stored.seed.data, 'base64');
  }

  const identity = seed.length === SEED_BYTES ? identityFromSeed(seed) : null;
  seed.fill(0);
  if (!identity || !sameBytes(identity.publicKey, Buffer.from(stored.publicKey, 'base64'))) {
    return replace('corrupt', 'Your identity file was damaged (its key does not match its seed).');
  }

  if (stored.seed.kind === 'os') return { identity, protection: 'os', notice: null };
  if (osAvailable) {
    // The keychain became available since the seed was saved in the clear: move it in.
    try {
      return { identity, protection: await save(file, identity, protector), notice: null };
    } catch {
      // Still usable as it is; try again at the next start.
    }
  }
  // Someone may have loosened the file's permissions (a copy, a backup restore): tighten them.
  await chmod(file, PRIVATE_FILE_MODE).catch(() => undefined);
  return { identity, protection: 'file-permissions', notice: null };
}

/** Writes the identity file; returns how the seed ended up protected. */
async function save(file: string, identity: Identity, protector: SecretProtector | null): Promise<IdentityProtection> {
  const seed = Buffer.from(identity.exportSeed());
  try {
    let stored: IdentityFile['seed'] | null = null;
    if (protector) {
      try {
        stored = { kind: 'os', data: protector.encryptString(seed.toString('base64')).toString('base64') };
      } catch {
        // The keychain said yes but failed: the file's permissions are what is left.
      }
    }
    stored ??= { kind: 'plain', data: seed.toString('base64') };
    const content: IdentityFile = { version: IDENTITY_FILE_VERSION, publicKey: Buffer.from(identity.publicKey).toString('base64'), seed: stored };
    await writePrivateFile(file, `${JSON.stringify(content, null, 2)}\n`);
    return stored.kind === 'os' ? 'os' : 'file-permissions';
  } finally {
    seed.fill(0);
  }
}

function parse(text: string): IdentityFile | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const result = identityFileSchema.safeParse(json);
  if (!result.success) return null;
  return Buffer.from(result.data.publicKey, 'base64').length === PUBLIC_KEY_BYTES ? result.data : null;
}

function isAvailable(protector: SecretProtector | null): boolean {
  try {
    return protector?.isEncryptionAvailable() === true;
  } catch {
    return false;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
