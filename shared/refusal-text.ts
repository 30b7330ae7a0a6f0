import type { RefusalSource } from './events.js';

/**
 * " From 198.18.0.5:40000 (12), 198.18.0.9:5353 (3) and 7 more.": who sent datagrams a room
 * refused, for the window's notices and mcchat's lines. Addresses only: a source address is not
 * an identity, so no nickname is guessed from it.
 */
export function refusalSourcesText(sources: readonly RefusalSource[] | undefined, more = 0): string {
  const named = (sources ?? []).map(({ src, count }) => `${src} (${count})`);
  if (named.length === 0) return '';
  return ` From ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`;
}
