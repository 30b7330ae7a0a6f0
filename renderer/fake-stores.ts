import { DEFAULT_PREFERENCES } from '../shared/preferences.js';
import type { KeyPort, RoomKeyHandle } from '../electron/shell/dispatch-ports.js';
import { DEFAULT_WINDOW, SETTINGS_VERSION, settingsSchema, type Settings, type SettingsStore } from '../electron/shell/settings-schema.js';

/**
 * The settings file and the key vault of the renderer's fake main process, in memory: the same
 * schema check on every change as the real store, no file; keys named like the real ones
 * (8 hex) but derived without scrypt, and "sealed" as if a keychain were there.
 */

export function memorySettings(peerId: string, nickname: string | null): Pick<SettingsStore, 'get' | 'update'> {
  let current: Settings = settingsSchema.parse({ version: SETTINGS_VERSION, peerId, nickname, rooms: [], window: DEFAULT_WINDOW, preferences: DEFAULT_PREFERENCES });
  return {
    get: () => current,
    update: async (change) => {
      current = settingsSchema.parse(change(current));
    },
  };
}

export function fakeKeyVault(): KeyPort {
  return {
    derive: async (passphrase, group, port): Promise<RoomKeyHandle> => ({ id: hash8(`${passphrase}\0${group}:${port}`) }),
    protect: (key) => `sealed:${key.id}`,
  };
}

/** FNV-1a: the same passphrase, group and port always name the same key. */
function hash8(text: string): string {
  let hash = 0x811c9dc5;
  for (const ch of text) hash = Math.imul(hash ^ (ch.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
