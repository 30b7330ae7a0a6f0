import { useId } from 'react';
import type { NotifyLevel, Preferences } from '../../../shared/preferences.js';
import { useRoom, useSelectedRoomId } from '../../store/selectors.js';
import { useChatStore } from '../../store/store.js';
import { ChoiceGroup, type Choice } from './ChoiceGroup.js';
import type { SavePreference } from './save.js';

/** The levels, with the user's own "@nick" in the mentions line. */
function levels(nickname: string): readonly Choice<NotifyLevel>[] {
  return [
    { value: 'all', label: 'All messages', description: 'Every new message in a room you are not looking at, or while the window is in the background.' },
    { value: 'mentions', label: 'Mentions only', description: `Only messages that mention you (@${nickname || 'yournick'}).` },
    { value: 'none', label: 'Nothing', description: 'No notifications; the unread count still shows in the room list, the title, badge and tray.' },
  ];
}

const LEVELS = levels('yournick');
const labelOf = (level: NotifyLevel): string => LEVELS.find((l) => l.value === level)?.label ?? level;

interface Props {
  readonly notifications: Preferences['notifications'];
  readonly save: SavePreference;
}

/** On or off, the level for every room, and the open room's own level. */
export function NotificationSettings({ notifications, save }: Props) {
  const id = useId();
  const room = useRoom(useSelectedRoomId());
  const nickname = useChatStore((s) => s.nickname);
  const override = room ? notifications.rooms[room.roomId] : undefined;

  return (
    <div className="settings__section">
      <h3 className="settings__title">
        Notifications
      </h3>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={notifications.enabled}
          aria-describedby={`${id}-enabled`}
          onChange={(e) => save('Notifications', { notifications: { enabled: e.target.checked } })}
        />
        Show notifications for new messages
      </label>
      <p id={`${id}-enabled`} className="hint settings__description">
        When on, rooms notify as chosen below. When off, no room notifies; the unread count still shows in the title, badge and tray.
      </p>
      <ChoiceGroup
        legend="By default, notify me about"
        value={notifications.defaultLevel}
        choices={levels(nickname)}
        onChange={(level) => save('The default notification level', { notifications: { defaultLevel: level } })}
      />
      {room ? (
        <div className="field">
          <label htmlFor={`${id}-room`}>This room ({room.name})</label>
          <select
            id={`${id}-room`}
            value={override ?? ''}
            aria-describedby={`${id}-room-hint`}
            onChange={(e) => {
              // '' is "the default": null takes the room's own level away.
              const level = LEVELS.find((l) => l.value === e.target.value)?.value ?? null;
              save(`The level for ${room.name}`, { notifications: { rooms: { [room.roomId]: level } } });
            }}
          >
            <option value="">The default ({labelOf(notifications.defaultLevel)})</option>
            {LEVELS.map((level) => (
              <option key={level.value} value={level.value}>
                {level.label}
              </option>
            ))}
          </select>
          <p id={`${id}-room-hint`} className="hint">
            Only for {room.name}, the room that is open. Every room has its own setting: open it to change it here.
          </p>
        </div>
      ) : (
        <p className="hint settings__description">Open a room to give it a level of its own: the choice here is for the open room only.</p>
      )}
    </div>
  );
}
