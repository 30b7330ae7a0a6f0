import { useId } from 'react';
import type { NotifyLevel, Preferences } from '../../../shared/preferences.js';
import { useRoom, useSelectedRoomId } from '../../store/selectors.js';
import { ChoiceGroup, type Choice } from './ChoiceGroup.js';
import type { SavePreference } from './save.js';

const LEVELS: readonly Choice<NotifyLevel>[] = [
  { value: 'all', label: 'All messages', description: 'Every new message in a room you are not looking at, or while the window is in the background.' },
  { value: 'mentions', label: 'Mentions only', description: 'Only messages that name you as @ and your nickname.' },
  { value: 'none', label: 'Nothing', description: 'No notifications; the unread count still shows in the room list and the title.' },
];

const labelOf = (level: NotifyLevel): string => LEVELS.find((l) => l.value === level)?.label ?? level;

interface Props {
  readonly notifications: Preferences['notifications'];
  readonly save: SavePreference;
}

/** On or off, the level for every room, and the open room's own level. */
export function NotificationSettings({ notifications, save }: Props) {
  const id = useId();
  const room = useRoom(useSelectedRoomId());
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
        Off: no notification from any room. The levels below apply while this is on.
      </p>
      <ChoiceGroup
        legend="By default, notify me about"
        value={notifications.defaultLevel}
        choices={LEVELS}
        onChange={(level) => save('The default notification level', { notifications: { defaultLevel: level } })}
      />
      {room ? (
        <div className="field">
          <label htmlFor={`${id}-room`}>In {room.name}</label>
          <select
            id={`${id}-room`}
            value={override ?? ''}
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
        </div>
      ) : (
        <p className="hint settings__description">Open a room to give it a level of its own.</p>
      )}
    </div>
  );
}
