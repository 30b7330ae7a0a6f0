import type { RoomSnapshot } from '../../shared/events.js';
import { pinnedText } from '../lib/iface.js';
import { useChatStore } from '../store/store.js';
import { LockIcon } from './LockIcon.js';
import { RoomStatusBadge } from './RoomStatusBadge.js';

/** Where the open room is joined, and what went wrong or may surprise (what the wire did is in TrafficPanel). */
export function StatusPanel({ room }: { room: RoomSnapshot }) {
  const pinnedIface = useChatStore((s) => s.pinnedIface);
  return (
    <section className="panel" aria-labelledby="status-heading">
      <h2 id="status-heading" className="panel__title">
        Status <RoomStatusBadge status={room.status} />
      </h2>
      {room.error ? (
        <p className="room-error" role="alert">
          {room.error.message}
        </p>
      ) : null}
      {room.encrypted ? (
        <p className="room-privacy">
          <LockIcon text="Private room" /> Everything is encrypted with the passphrase{room.keyId ? ` (key ${room.keyId})` : ''}. A member whose key id differs has another passphrase.
        </p>
      ) : (
        <p className="hint">Plain room: anyone on the network can read it.</p>
      )}
      <h3 className="panel__subtitle">Joined on</h3>
      {room.interfaces.length > 0 ? (
        <ul className="iface-list">
          {room.interfaces.map((i) => (
            <li key={`${i.name}-${i.address}`}>
              <span className="iface-list__name">{i.name}</span> {i.address}
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">No interface yet.</p>
      )}
      <p className="hint">
        Loopback {room.loopback ? 'on' : 'off'} · TTL {room.ttl}
        {pinnedIface ? ` · ${pinnedText(pinnedIface)}` : room.iface ? ` · Interface ${room.iface} chosen for this room` : ''}
      </p>
      {room.warnings.length > 0 ? (
        <>
          <h3 className="panel__subtitle">Warnings</h3>
          <ul className="field__warnings">
            {room.warnings.map((w) => (
              <li key={w.code + w.message}>{w.message}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
