import { useId, useState, type FormEvent } from 'react';
import type { RoomSnapshot } from '../../shared/events.js';
import { ttlSchema } from '../../shared/room-config.js';
import { TTL_SCOPES, describeTtl } from '../../shared/ttl-scopes.js';
import { invoke } from '../api.js';
import { upsertRoom } from '../store/actions.js';

const CUSTOM = 'custom';
const isScope = (ttl: number) => TTL_SCOPES.some((s) => s.ttl === ttl);

/** How far the room's next messages travel: a named scope or any TTL from 0 to 255. */
export function TtlPicker({ room }: { room: RoomSnapshot }) {
  const ids = useId();
  // The TTL being applied, shown at once while main confirms it.
  const [pending, setPending] = useState<number | null>(null);
  const [customOpen, setCustomOpen] = useState(false);
  const [customText, setCustomText] = useState(String(room.ttl));
  const [error, setError] = useState<string | null>(null);

  const ttl = pending ?? room.ttl;
  const showCustom = customOpen || !isScope(ttl);

  const apply = async (next: number) => {
    setError(null);
    setPending(next);
    const result = await invoke((api) => api.setTtl({ roomId: room.roomId, ttl: next }));
    setPending(null);
    if (result.ok) upsertRoom(result.value);
    else setError(result.error.message);
  };

  const onSelect = (value: string) => {
    if (value === CUSTOM) {
      setCustomText(String(ttl));
      setCustomOpen(true);
      return;
    }
    setCustomOpen(false);
    void apply(Number(value));
  };

  const onCustomSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = ttlSchema.safeParse(customText.trim() === '' ? Number.NaN : Number(customText));
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'The TTL must be between 0 and 255.');
      return;
    }
    void apply(parsed.data);
  };

  return (
    <div className="ttl-picker">
      <div className="ttl-picker__controls">
        <label htmlFor={`${ids}-scope`}>TTL scope</label>
        <select
          id={`${ids}-scope`}
          value={showCustom ? CUSTOM : String(ttl)}
          onChange={(e) => onSelect(e.target.value)}
          aria-describedby={`${ids}-meaning`}
        >
          {TTL_SCOPES.map((scope) => (
            <option key={scope.ttl} value={String(scope.ttl)}>
              {scope.ttl} – {scope.name}
            </option>
          ))}
          <option value={CUSTOM}>Custom (0–255)…</option>
        </select>
        {showCustom ? (
          <form className="ttl-picker__custom" onSubmit={onCustomSubmit} noValidate>
            <label htmlFor={`${ids}-custom`} className="visually-hidden">
              Custom TTL, 0 to 255
            </label>
            <input
              id={`${ids}-custom`}
              type="number"
              inputMode="numeric"
              min={0}
              max={255}
              step={1}
              value={customText}
              onChange={(e) => setCustomText(e.target.value)}
              className="input--narrow"
            />
            <button type="submit" className="button">
              Set TTL
            </button>
          </form>
        ) : null}
      </div>
      <p id={`${ids}-meaning`} className="ttl-picker__meaning">
        {describeTtl(ttl, room.group)} <span className="hint">Applies to the next message you send.</span>
      </p>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
