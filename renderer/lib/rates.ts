import { formatNumber } from './format.js';

const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** "0", "0.5", "12": a rate per second, a decimal only where it matters. */
export function formatRate(perSecond: number): string {
  return perSecond < 10 ? oneDecimal.format(perSecond) : formatNumber(Math.round(perSecond));
}

/** "0 B/s", "512 B/s", "3.4 kB/s", "1.2 MB/s" (powers of 1000, as network rates are quoted). */
export function formatByteRate(perSecond: number): string {
  if (perSecond < 1000) return `${formatNumber(Math.round(perSecond))} B/s`;
  if (perSecond < 1_000_000) return `${oneDecimal.format(perSecond / 1000)} kB/s`;
  return `${oneDecimal.format(perSecond / 1_000_000)} MB/s`;
}
