import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES, applyPreferencesPatch, preferencesPatchSchema, preferencesSchema, roomNotifyLevel } from './preferences.js';

describe('preferences defaults', () => {
  it('out of the box every room notifies about every new message (level all), with notifications on', () => {
    expect(DEFAULT_PREFERENCES.notifications).toEqual({ enabled: true, defaultLevel: 'all', rooms: {} });
    expect(roomNotifyLevel(DEFAULT_PREFERENCES, 'lab')).toBe('all');
    // A file with a notifications section but no level takes the default too.
    expect(preferencesSchema.parse({ notifications: { enabled: true } }).notifications.defaultLevel).toBe('all');
  });

  it('a level already stored in the settings file is kept: only the default changed', () => {
    for (const level of ['mentions', 'none', 'all'] as const) {
      const stored = preferencesSchema.parse({ notifications: { enabled: true, defaultLevel: level, rooms: { lab: 'none' } } });
      expect(stored.notifications.defaultLevel).toBe(level);
      expect(roomNotifyLevel(stored, 'lobby')).toBe(level);
      expect(roomNotifyLevel(stored, 'lab')).toBe('none');
    }
  });

  it('a room level of null returns the room to the default', () => {
    const withRoom = applyPreferencesPatch(DEFAULT_PREFERENCES, preferencesPatchSchema.parse({ notifications: { rooms: { lab: 'mentions' } } }));
    expect(roomNotifyLevel(withRoom, 'lab')).toBe('mentions');
    const back = applyPreferencesPatch(withRoom, preferencesPatchSchema.parse({ notifications: { rooms: { lab: null } } }));
    expect(roomNotifyLevel(back, 'lab')).toBe('all');
  });
});
