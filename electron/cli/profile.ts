/**
 * mcchat's memory between runs, per user and profile: the signing key (so peers see the same
 * fingerprint every time), the trust store (who first used which nickname, which fingerprints
 * were verified) and the nickname last set with /nick. The same pieces as the app's, protected
 * the same way without a keychain: files 0600 in folders 0700.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { MAX_NICK_LENGTH } from '../../shared/protocol/constants.js';
import { nicknameSchema } from '../../shared/room-config.js';
import { generateIdentity, type Identity } from '../core/crypto/identity.js';
import { loadOrCreateIdentity } from '../core/crypto/identity-store.js';
import { writePrivateFile } from '../core/crypto/private-file.js';
import { TrustStore } from '../core/crypto/trust-store.js';
import { profileDir, userConfigRoot, type ConfigPlace } from './config-dir.js';
import { claimSlot, MAX_SLOTS } from './slot-lock.js';

const NICKNAME_FILE = 'mcchat.json';
const nicknameFileSchema = z.object({ version: z.literal(1), nickname: nicknameSchema });

export interface CliProfile {
  /** The profile's folder (trust store and nickname); the key of slot 1 lives here too. */
  readonly dir: string;
  /** Which of the profile's keys this run uses: 1 normally, 2… while other runs hold the first. */
  readonly slot: number;
  readonly identity: Identity;
  readonly trust: TrustStore;
  /** Things the user should know (a damaged file, a temporary key); printed as warnings. */
  readonly notices: readonly string[];
  /** The nickname to use when none was given: the saved one or the user name, "-2" on slot 2. */
  defaultNick(): string;
  /** Remembers a nickname set with /nick as this profile's default. */
  saveNickname(nick: string): Promise<void>;
  /** Frees the slot for the next run (also done on exit). */
  release(): void;
}

function username(): string {
  try {
    return os.userInfo().username;
  } catch {
    return '';
  }
}

async function loadNickname(file: string): Promise<string | null> {
  try {
    const parsed = nicknameFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data.nickname : null;
  } catch {
    return null; // missing or damaged: the user name is the default, and /nick writes it anew
  }
}

/** "root" on slot 1, "root-2" on slot 2: two runs at once are two keys, and should not share a name. */
function withSlot(nick: string, slot: number): string {
  if (slot <= 1) return nick;
  const suffix = `-${slot}`;
  return `${nick.slice(0, MAX_NICK_LENGTH - suffix.length)}${suffix}`;
}

export async function openProfile(profile: string | null, place: ConfigPlace = { platform: process.platform, env: process.env, home: os.homedir() }): Promise<CliProfile> {
  const dir = profileDir(userConfigRoot(place), profile);
  const notices: string[] = [];
  const slot = claimSlot(dir);
  let identity: Identity;
  if (slot) {
    // No keychain for a CLI: the seed is protected by the file's permissions (0600).
    const loaded = await loadOrCreateIdentity(slot.dir, null);
    identity = loaded.identity;
    if (loaded.notice) notices.push(loaded.notice);
  } else {
    identity = generateIdentity();
    notices.push(`All ${MAX_SLOTS} keys of ${dir} are in use by other mcchat runs, or the folder cannot be written: this run uses a temporary key (a new fingerprint).`);
  }
  const trust = await TrustStore.open(path.join(dir, 'trust.json'));
  if (trust.notice) notices.push(trust.notice);
  const nicknameFile = path.join(dir, NICKNAME_FILE);
  const saved = await loadNickname(nicknameFile);
  const slotNumber = slot?.number ?? MAX_SLOTS + 1;
  return {
    dir,
    slot: slotNumber,
    identity,
    trust,
    notices,
    defaultNick: () => withSlot(saved ?? nicknameSchema.safeParse(username().slice(0, MAX_NICK_LENGTH)).data ?? 'mcchat', slotNumber),
    saveNickname: (nick) => writePrivateFile(nicknameFile, `${JSON.stringify({ version: 1, nickname: nick })}\n`),
    release: () => slot?.release(),
  };
}
