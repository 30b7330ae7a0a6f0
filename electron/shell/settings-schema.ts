import { z } from 'zod';
import type { AppNotice } from '../../shared/ipc/contract.js';
import { DEFAULT_PREFERENCES, preferencesSchema } from '../../shared/preferences.js';
import { groupSchema, ifaceSchema, nicknameSchema, portSchema, ttlSchema } from '../../shared/room-config.js';

/**
 * The settings file's shape and the store's interface, apart from the store itself (settings.ts,
 * files and node:crypto): the command dispatcher needs only these, and it also runs in the
 * renderer's fake main process, in a browser.
 */

export const SETTINGS_VERSION = 1;

/** A room as saved: what is needed to join it again at the next start. */
export const savedRoomSchema = z.object({
  name: z.string().trim().min(1).max(64),
  group: groupSchema,
  port: portSchema,
  ttl: ttlSchema,
  iface: ifaceSchema.optional(),
  loopback: z.boolean(),
  /** A passphrase room; `key` is its key encrypted by the OS keychain (absent without one). */
  encrypted: z.boolean().optional(),
  key: z.string().max(1024).optional(),
});

const coordinate = z.number().int().min(-100_000).max(100_000);

export const windowStateSchema = z.object({
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(200).max(20_000),
  x: coordinate.optional(),
  y: coordinate.optional(),
});

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** This installation's peer id: random on the first run, the same ever after. */
  peerId: z.string().regex(/^[0-9a-f]{16}$/),
  /** null until the user has chosen one: the first-run screen. */
  nickname: nicknameSchema.nullable(),
  rooms: z.array(savedRoomSchema).max(64),
  window: windowStateSchema,
  /** Notifications, tray, theme, presenter mode, interface: absent in older files, so defaulted. */
  preferences: preferencesSchema.default(DEFAULT_PREFERENCES),
});

export type Settings = z.output<typeof settingsSchema>;
export type SavedRoom = z.output<typeof savedRoomSchema>;
export type WindowState = z.output<typeof windowStateSchema>;

export const DEFAULT_WINDOW: WindowState = { width: 1100, height: 720 };

export interface LoadResult {
  readonly settings: Settings;
  /** True when there was no settings file: a fresh installation. */
  readonly created: boolean;
  /** Something the user should know: the file was damaged or unreadable. */
  readonly notice: AppNotice | null;
}

export interface SettingsStore {
  readonly file: string;
  /** Reads the file (or makes defaults); never throws. */
  load(): Promise<LoadResult>;
  get(): Settings;
  /** Applies a change in memory at once and writes the file; rejects when the write fails. */
  update(change: (current: Settings) => Settings): Promise<void>;
  /** Resolves when every write started so far has finished. */
  flush(): Promise<void>;
}
