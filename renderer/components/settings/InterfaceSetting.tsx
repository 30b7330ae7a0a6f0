import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useChatStore } from '../../store/store.js';
import type { SavePreference } from './save.js';

interface Props {
  /** The saved interface address; null for every LAN interface. */
  readonly value: string | null;
  readonly save: SavePreference;
}

/** Pins rooms to one interface. The core takes it once, at start, so the hint says when it applies. */
export function InterfaceSetting({ value, save }: Props) {
  const id = useId();
  const { interfaces, pinned } = useChatStore(useShallow((s) => ({ interfaces: s.interfaces, pinned: s.pinnedIface })));
  // A saved interface can be gone (a laptop off its dock): still show it, so the choice is not silently lost.
  const missing = value !== null && !interfaces.some((i) => i.address === value);

  return (
    <div className="settings__section field">
      <h3 className="settings__title">
        Network interface
      </h3>
      <label htmlFor={`${id}-iface`}>Default interface</label>
      <select
        id={`${id}-iface`}
        value={value ?? ''}
        aria-describedby={`${id}-hint`}
        onChange={(e) => save('The default interface', { defaultIface: e.target.value === '' ? null : e.target.value })}
      >
        <option value="">Every LAN interface (the default)</option>
        {interfaces.map((i) => (
          <option key={i.address} value={i.address}>
            {i.name} ({i.address})
          </option>
        ))}
        {missing ? <option value={value}>{value} (not found now)</option> : null}
      </select>
      <p id={`${id}-hint`} className="hint">
        Rooms without an interface of their own use it from the next start of Multicast Chat.
        {pinned ? ` This window was started with --iface ${pinned}, which comes first.` : ''}
      </p>
    </div>
  );
}
