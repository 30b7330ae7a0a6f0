import { useNow } from '../hooks/use-now.js';
import { formatTime } from '../lib/format.js';
import { resetCounters } from '../store/actions.js';
import { countersSince } from '../store/counter-baseline.js';
import { useRoomBaseline, useRoomCounters, useRoomTraffic } from '../store/selectors.js';
import { CountersList } from './CountersList.js';
import { RatesView } from './RatesView.js';

/** What the wire does in the open room: rates now and over the last minute, and every counter, grouped, with a reset. */
export function TrafficPanel({ roomId }: { roomId: string }) {
  const counters = useRoomCounters(roomId);
  const traffic = useRoomTraffic(roomId);
  const baseline = useRoomBaseline(roomId);
  // Rates fall to zero when the core sends no counters (nothing changed): the clock has to tick for that.
  const now = useNow();
  return (
    <section className="panel" aria-labelledby="traffic-heading">
      <h2 id="traffic-heading" className="panel__title">
        Rates and counters
      </h2>
      <RatesView traffic={traffic} now={now} />
      <div className="counters-head">
        <h3 className="panel__subtitle">Counters</h3>
        <button type="button" className="button button--quiet" onClick={() => resetCounters(roomId)} disabled={!counters}>
          Reset
        </button>
      </div>
      <p className="hint counters-since">{baseline ? `Counted since ${formatTime(baseline.at)}, when you pressed Reset.` : 'Counted since this room was joined.'}</p>
      {counters ? <CountersList counters={countersSince(counters, baseline?.counters)} /> : <p className="hint">No traffic counted yet.</p>}
    </section>
  );
}
