/** One line of a sparkline: solid or dashed, so the two can be told apart without colour. */
export interface SparkSeries {
  readonly values: readonly number[];
  readonly dashed?: boolean;
}

const HEIGHT = 24;

/**
 * A small live graph in inline SVG: each series scaled to the largest value of all, the newest
 * on the right. Decoration for the numbers beside it, so `label` says what it shows.
 */
export function Sparkline({ series, label }: { series: readonly SparkSeries[]; label: string }) {
  const width = Math.max(1, ...series.map((s) => s.values.length - 1));
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const points = (values: readonly number[]): string => values.map((v, i) => `${i},${(HEIGHT - 1 - (v / max) * (HEIGHT - 2)).toFixed(2)}`).join(' ');
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label}>
      <line className="sparkline__base" x1={0} x2={width} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} vectorEffect="non-scaling-stroke" />
      {series.map((s, i) => (
        <polyline key={i} className={s.dashed ? 'sparkline__line sparkline__line--dashed' : 'sparkline__line'} points={points(s.values)} vectorEffect="non-scaling-stroke" />
      ))}
    </svg>
  );
}
