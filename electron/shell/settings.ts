import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import type { AppNotice } from '../../shared/ipc/contract.js';
import { DEFAULT_PREFERENCES } from '../../shared/preferences.js';
import { DEFAULT_GROUP, DEFAULT_PORT, DEFAULT_TTL } from '../../shared/protocol/constants.js';
import { nicknameSchema } from '../../shared/room-config.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../core/crypto/private-file.js';
import { DEFAULT_WINDOW, SETTINGS_VERSION, settingsSchema, windowStateSchema, type LoadResult, type Settings, type SettingsStore, type WindowState } from './settings-schema.js';

export * from './settings-schema.js';

export const SETTINGS_FILE = 'settings.json';

/** The name the core announces before the user has chosen one (rooms wait for the choice). */
export function fallbackNickname(username: string | undefined): string {
  const parsed = nicknameSchema.safeParse(username ?? '');
  return parsed.success ? parsed.data : 'guest';
}

export function newPeerId(): string {
  return randomBytes(8).toString('hex');
}

export function defaultSettings(peerId: string = newPeerId()): Settings {
  return {
    version: SETTINGS_VERSION,
    peerId,
    nickname: null,
    rooms: [{ name: 'Lobby', group: DEFAULT_GROUP, port: DEFAULT_PORT, ttl: DEFAULT_TTL, loopback: true }],
    window: { ...DEFAULT_WINDOW },
    preferences: DEFAULT_PREFERENCES,
  };
}

/** The file operations the store uses: node:fs/promises, or a fake that fails on purpose. */
export interface SettingsFs {
  readFile(file: string): Promise<Buffer>;
  writeFile(file: string, data: string, options: { encoding: 'utf8'; flush: boolean; mode: number; flag: 'wx' }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(dir: string, options: { recursive: true; mode: number }): Promise<unknown>;
  rm(file: string, options: { force: true }): Promise<void>;
}

export interface SettingsStoreOptions {
  /** The user data folder: settings.json lives there. */
  readonly dir: string;
  readonly fs?: SettingsFs;
  readonly now?: () => Date;
  readonly makePeerId?: () => string;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Settings as a JSON file in the user data folder. Writes go to a temporary file that is
 * flushed and then renamed over settings.json, so a crash leaves the old file or the new one,
 * never half of one. A damaged file is kept aside and replaced by defaults, never a crash.
 */
export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const fs = options.fs ?? (nodeFs as unknown as SettingsFs);
  const now = options.now ?? (() => new Date());
  const makePeerId = options.makePeerId ?? newPeerId;
  const file = path.join(options.dir, SETTINGS_FILE);
  let current: Settings | null = null;
  let writable = true;
  let writes: Promise<void> = Promise.resolve();

  async function renameWithRetry(from: string, to: string): Promise<void> {
    // Windows: an antivirus or indexer holding the file makes rename fail for a moment.
    for (let attempt = 0; ; attempt++) {
      try {
        await fs.rename(from, to);
        return;
      } catch (error) {
        const code = errorCode(error);
        if (attempt >= 4 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error;
        await sleep(20 * (attempt + 1));
      }
    }
  }

  async function writeAtomically(settings: Settings): Promise<void> {
    // Only this user may read them (room names, nickname, interfaces); a folder we create is ours alone.
    await fs.mkdir(options.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    // An unpredictable temporary name, never followed or reused if something is already there.
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.writeFile(temp, `${JSON.stringify(settings, null, 2)}\n`, { encoding: 'utf8', flush: true, mode: PRIVATE_FILE_MODE, flag: 'wx' });
      await renameWithRetry(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  /** Queues a write of the settings as they are when the write starts (later changes coalesce). */
  function scheduleWrite(): Promise<void> {
    const next = writes.then(() => {
      if (!writable || current === null) return;
      return writeAtomically(current);
    });
    writes = next.catch(() => undefined);
    return next;
  }

  function salvagePeerId(raw: unknown): string {
    const candidate = typeof raw === 'object' && raw !== null ? (raw as { peerId?: unknown }).peerId : undefined;
    const parsed = settingsSchema.shape.peerId.safeParse(candidate);
    return parsed.success ? parsed.data : makePeerId();
  }

  async function keepAside(): Promise<string> {
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const aside = path.join(options.dir, `settings.corrupt-${stamp}.json`);
    await fs.rename(file, aside);
    return aside;
  }

  async function recoverFromDamage(raw: unknown): Promise<LoadResult> {
    const settings = defaultSettings(salvagePeerId(raw));
    current = settings;
    let notice: AppNotice;
    try {
      const aside = await keepAside();
      notice = {
        level: 'warning',
        message: `Your settings file was damaged; it was kept as ${path.basename(aside)} and defaults were restored.`,
      };
    } catch (error) {
      // Could not move it: leave it alone rather than overwrite what we could not save.
      writable = false;
      const detail = error instanceof Error ? error.message : String(error);
      return {
        settings,
        created: false,
        notice: {
          level: 'error',
          message: `Your settings file ${file} is damaged and could not be moved aside (${detail}). Defaults are used and changes will not be saved.`,
        },
      };
    }
    try {
      await scheduleWrite();
    } catch {
      // Reported when the next change fails to save; the defaults are in memory.
    }
    return { settings, created: false, notice };
  }

  return {
    file,

    async load(): Promise<LoadResult> {
      let text: string;
      try {
        text = (await fs.readFile(file)).toString('utf8');
      } catch (error) {
        if (errorCode(error) === 'ENOENT') {
          current = defaultSettings(makePeerId());
          try {
            await scheduleWrite();
          } catch {
            // First run on a read-only folder: the app still works for this session.
          }
          return { settings: current, created: true, notice: null };
        }
        writable = false;
        current = defaultSettings(makePeerId());
        const detail = error instanceof Error ? error.message : String(error);
        return {
          settings: current,
          created: false,
          notice: { level: 'error', message: `Your settings could not be read (${detail}). Defaults are used and changes will not be saved.` },
        };
      }

      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        return recoverFromDamage(undefined);
      }
      const parsed = settingsSchema.safeParse(raw);
      if (!parsed.success) {
        // Only the preferences are wrong (edited by hand, or a newer version's): keep the rooms and nickname.
        const withoutPreferences = typeof raw === 'object' && raw !== null ? settingsSchema.safeParse({ ...raw, preferences: undefined }) : null;
        if (!withoutPreferences?.success) return recoverFromDamage(raw);
        current = withoutPreferences.data;
        try {
          await scheduleWrite();
        } catch {
          // Reported when the next change fails to save.
        }
        return {
          settings: current,
          created: false,
          notice: { level: 'warning', message: 'Your notification, tray and theme preferences in the settings file were not valid and were reset to their defaults.' },
        };
      }
      current = parsed.data;
      return { settings: current, created: false, notice: null };
    },

    get(): Settings {
      if (current === null) throw new Error('Settings are read with load() before use.');
      return current;
    },

    async update(change) {
      // Everything up to the write happens synchronously: get() sees the change at once.
      if (current === null) throw new Error('Settings are read with load() before use.');
      current = settingsSchema.parse(change(current));
      await scheduleWrite();
    },

    flush: () => writes,
  };
}

function sameWindow(a: WindowState, b: WindowState): boolean {
  return a.width === b.width && a.height === b.height && a.x === b.x && a.y === b.y;
}

/** Saves the window's bounds unless they are what is saved already (no write on every close). */
export function saveWindowState(store: SettingsStore, bounds: WindowState): Promise<void> {
  const parsed = windowStateSchema.safeParse(bounds);
  if (!parsed.success || sameWindow(store.get().window, parsed.data)) return Promise.resolve();
  return store.update((s) => ({ ...s, window: parsed.data }));
}
