import { z } from 'zod';
import { ifaceSchema } from './room-config.js';

/**
 * The user's preferences, kept in settings.json by main and changed from the Settings dialog.
 * Shared so the IPC contract and the settings file check them with the same schemas.
 */

/** all: every message; mentions: only "@nick"; none: muted, the unread count still shows. */
export const notifyLevelSchema = z.enum(['all', 'mentions', 'none']);
export type NotifyLevel = z.output<typeof notifyLevelSchema>;

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.output<typeof themeSchema>;

const roomIdSchema = z.string().min(1).max(128);

/**
 * "all" by default: a new message in a room the user is not looking at notifies out of the box, as
 * the app promises (a first "mentions" default meant an ordinary message never did). Bursts are
 * summed up per room ("12 new messages in Lab"), and a busy room can be set to mentions or none.
 * A settings file that stores a level keeps it: only a missing one takes this default.
 */
export const DEFAULT_NOTIFY_LEVEL: NotifyLevel = 'all';

export const preferencesSchema = z.object({
  notifications: z
    .object({
      enabled: z.boolean().default(true),
      /** For every room without its own level. */
      defaultLevel: notifyLevelSchema.default(DEFAULT_NOTIFY_LEVEL),
      /** Per room id ("group:port"): overrides defaultLevel. */
      rooms: z.record(roomIdSchema, notifyLevelSchema).default({}),
    })
    .default({ enabled: true, defaultLevel: DEFAULT_NOTIFY_LEVEL, rooms: {} }),
  /** Closing the window keeps the app (and its rooms) running in the tray. */
  closeToTray: z.boolean().default(false),
  theme: themeSchema.default('system'),
  /** Large text and the newest message's wire story, for a projector. */
  presenter: z.boolean().default(false),
  /** The interface every room uses when no --iface is given; null lets the core choose. Applies at the next start. */
  defaultIface: ifaceSchema.nullable().default(null),
});

export type Preferences = z.output<typeof preferencesSchema>;

export const DEFAULT_PREFERENCES: Preferences = preferencesSchema.parse({});

/** A change from the Settings dialog: only the fields given change; a room level of null removes it. */
export const preferencesPatchSchema = z
  .object({
    notifications: z
      .object({
        enabled: z.boolean(),
        defaultLevel: notifyLevelSchema,
        rooms: z.record(roomIdSchema, notifyLevelSchema.nullable()),
      })
      .partial()
      .strict(),
    closeToTray: z.boolean(),
    theme: themeSchema,
    presenter: z.boolean(),
    defaultIface: ifaceSchema.nullable(),
  })
  .partial()
  .strict();

export type PreferencesPatch = z.input<typeof preferencesPatchSchema>;

export function applyPreferencesPatch(current: Preferences, patch: z.output<typeof preferencesPatchSchema>): Preferences {
  const rooms: Record<string, NotifyLevel> = { ...current.notifications.rooms };
  for (const [roomId, level] of Object.entries(patch.notifications?.rooms ?? {})) {
    if (level === null) delete rooms[roomId];
    else rooms[roomId] = level;
  }
  const { rooms: _ignored, ...notificationFields } = patch.notifications ?? {};
  void _ignored;
  return preferencesSchema.parse({
    ...current,
    ...patch,
    notifications: { ...current.notifications, ...notificationFields, rooms },
  });
}

/** The level that applies to a room. */
export function roomNotifyLevel(preferences: Preferences, roomId: string): NotifyLevel {
  return preferences.notifications.rooms[roomId] ?? preferences.notifications.defaultLevel;
}
