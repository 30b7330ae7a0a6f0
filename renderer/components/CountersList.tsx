import type { RoomCounters } from '../../shared/events.js';
import { ALERTS, COUNTERS, countersIn, GROUP_TITLES, type CounterGroup } from '../lib/counter-groups.js';
import { formatNumber } from '../lib/format.js';

const GROUPS: readonly CounterGroup[] = ['traffic', 'reliability', 'security'];

/** What the wire did in this room, in the spirit of mcjoin's counters, grouped as mcchat prints them. */
export function CountersList({ counters }: { counters: RoomCounters }) {
  return (
    <div className="counter-groups">
      {GROUPS.map((group) => (
        <div key={group} className="counter-group">
          <h4 className="counter-group__title" id={`counters-${group}`}>
            {GROUP_TITLES[group]}
          </h4>
          <dl className="counters" aria-labelledby={`counters-${group}`}>
            {countersIn(group).map((key) => (
              <div key={key} className={`counters__item${counters[key] > 0 && ALERTS.has(key) ? ' counters__item--alert' : ''}`}>
                <dt>{COUNTERS[key][1]}</dt>
                <dd>{formatNumber(counters[key] ?? 0)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </div>
  );
}
