/**
 * A peer id in groups of four ("fe81 2c12 f3ab 4ce6"): the fingerprint of its signing key that
 * people compare aloud. The same rule as the core's peer table, here for the page too.
 */
export function fingerprintOf(peerId: string): string {
  return peerId.replace(/(.{4})(?=.)/g, '$1 ');
}
