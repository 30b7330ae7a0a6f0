import { formatByteRate, formatRate } from '../lib/rates.js';
import { currentRate, rateSeries, type RateKey } from '../store/traffic-rates.js';
import type { TrafficHistory } from '../store/traffic-slice.js';
import { Sparkline } from './Sparkline.js';

interface RateRow {
  readonly title: string;
  readonly in: RateKey;
  readonly out: RateKey;
  readonly format: (perSecond: number) => string;
}

const ROWS: readonly RateRow[] = [
  { title: 'Datagrams per second', in: 'datagramsIn', out: 'datagramsOut', format: formatRate },
  { title: 'Bytes per second', in: 'bytesIn', out: 'bytesOut', format: formatByteRate },
];

/** The room's traffic now, in and out, with the last minute as a small graph. */
export function RatesView({ traffic, now }: { traffic: TrafficHistory | undefined; now: number }) {
  return (
    <>
      <dl className="rates">
        {ROWS.map((row) => {
          const seriesIn = rateSeries(traffic, row.in, now);
          const seriesOut = rateSeries(traffic, row.out, now);
          const peak = Math.max(...seriesIn, ...seriesOut);
          const label = `${row.title} over the last minute: in at most ${row.format(Math.max(...seriesIn))}, out at most ${row.format(Math.max(...seriesOut))}`;
          return (
            <div key={row.title} className="rates__row">
              <dt>{row.title}</dt>
              <dd className="rates__now">
                <span>
                  in <strong className="rates__value">{row.format(currentRate(traffic, row.in, now))}</strong>
                </span>
                <span>
                  out <strong className="rates__value">{row.format(currentRate(traffic, row.out, now))}</strong>
                </span>
                {/* The graph's scale: its top is the busiest second of the minute. */}
                <span className="rates__peak">top of graph {row.format(peak)}</span>
              </dd>
              <dd className="rates__graph">
                <Sparkline series={[{ values: seriesIn }, { values: seriesOut, dashed: true }]} label={label} />
              </dd>
            </div>
          );
        })}
      </dl>
      <p className="hint">Graphs: the last 60 s, solid line in, dashed line out.</p>
    </>
  );
}
