import { useState, type FormEvent } from 'react';
import type { RoomSnapshot } from '../../shared/events.js';
import { DEFAULT_PROBE_TTL, MAX_PROBE_TTL } from '../../shared/reach.js';
import { useNow } from '../hooks/use-now.js';
import { probeProgress } from '../lib/reach-view.js';
import { runProbe, useProbe } from '../store/probe-store.js';
import { ReachResultView } from './ReachResultView.js';

const LIMIT_ERROR = `The TTL limit must be a whole number from 1 to ${MAX_PROBE_TTL}.`;

function parseLimit(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= MAX_PROBE_TTL ? n : null;
}

/** Why this room cannot probe now, or null. */
function blockedReason(room: RoomSnapshot): string | null {
  if (room.mode === 'passive') return 'This room is joined passively: it sends nothing, so it cannot probe.';
  if (room.status !== 'joined') return 'The room is not joined right now: it can probe once it is.';
  return null;
}

/** Redraws five times a second on its own, so the rest of the panel does not. */
function ProbeProgress({ startedAt, ttlMax }: { startedAt: number; ttlMax: number }) {
  const now = useNow(100);
  return (
    <p id="reach-progress" className="reach__progress">
      {probeProgress(now - startedAt, ttlMax)}
    </p>
  );
}

/**
 * "How far does my TTL reach?": a multicast traceroute for scope. Probes go out at TTL 1, 2, …
 * and each member answers once, at the lowest TTL that reached it, so the list shows how many
 * routers away everyone is, and what the room's own TTL covers.
 */
export function ReachPanel({ room }: { room: RoomSnapshot }) {
  const probe = useProbe(room.roomId);
  const [limitText, setLimitText] = useState(String(probe?.ttlMax ?? DEFAULT_PROBE_TTL));
  const limit = parseLimit(limitText);
  const running = probe?.phase === 'running';
  const blocked = blockedReason(room);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (limit === null || blocked !== null || running) return;
    void runProbe(room.roomId, limit);
  };

  const describedBy = [limit === null ? 'reach-limit-error' : '', blocked ? 'reach-blocked' : '', running ? 'reach-progress' : ''].filter(Boolean).join(' ') || undefined;
  return (
    <section className="panel reach" aria-labelledby="reach-heading">
      <h2 id="reach-heading" className="panel__title">
        How far does my TTL reach?
      </h2>
      <p className="hint">
        Like a traceroute for scope: small probes go out at TTL 1, 2, … up to the limit, and each peer answers once, at the lowest TTL that reached it. TTL n means n − 1 routers
        away. Passive listeners and one-shot senders do not answer.
      </p>
      <form className="reach__controls" onSubmit={onSubmit} noValidate>
        <label htmlFor="reach-limit">TTL limit</label>
        <input
          id="reach-limit"
          className="input--narrow"
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_PROBE_TTL}
          step={1}
          value={limitText}
          onChange={(e) => setLimitText(e.target.value)}
          aria-invalid={limit === null}
          aria-describedby={limit === null ? 'reach-limit-error' : undefined}
        />
        <button type="submit" className="button" disabled={running || blocked !== null || limit === null} aria-describedby={describedBy}>
          Probe
        </button>
      </form>
      {limit === null ? (
        <p id="reach-limit-error" className="field__error">
          {LIMIT_ERROR}
        </p>
      ) : null}
      {blocked ? (
        <p id="reach-blocked" className="hint">
          {blocked}
        </p>
      ) : null}
      {probe?.phase === 'running' ? <ProbeProgress startedAt={probe.startedAt} ttlMax={probe.ttlMax} /> : null}
      {/* Announced once the answer is in; the ticking progress above stays out of it. */}
      <div className="reach__result" aria-live="polite">
        {probe?.phase === 'done' ? <ReachResultView room={room} rows={probe.rows} finishedAt={probe.finishedAt} /> : null}
        {probe?.phase === 'failed' ? <p className="field__error">The probe did not run: {probe.error.message}</p> : null}
      </div>
    </section>
  );
}
