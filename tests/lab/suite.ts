import { checkLabSupport, removeLabLeftovers } from './lan.js';

/**
 * The root gate of the lab's test files, as in lab.test.ts and tests/netns/ttl-scope.test.ts:
 * without root (or nft, or `ip netns`) the suite is skipped with the reason, unless CI set
 * MCCHAT_REQUIRE_ROOT=1, in which case it runs and fails in beforeAll with that reason.
 */
export interface LabGate {
  readonly skip: boolean;
  /** Appended to the describe title: says why it was skipped. */
  readonly titleSuffix: string;
  /** Call first in beforeAll: throws the reason when the lab cannot run; removes leftovers of killed runs. */
  requireSupport(): void;
}

const SKIP_REASON = 'skipped: needs root';

export function labGate(file: string): LabGate {
  const support = checkLabSupport();
  const rootRequired = process.env['MCCHAT_REQUIRE_ROOT'] === '1';
  const skip = !support.ok && !rootRequired;
  if (!support.ok) console.warn(`${file}: ${rootRequired ? 'MCCHAT_REQUIRE_ROOT=1, failing' : SKIP_REASON}: ${support.reason}`);
  return {
    skip,
    titleSuffix: skip ? ` (${SKIP_REASON})` : '',
    requireSupport() {
      if (!support.ok) throw new Error(`MCCHAT_REQUIRE_ROOT=1 but the lab cannot run: ${support.reason}`);
      const leftovers = removeLabLeftovers();
      if (leftovers.length > 0) console.warn(`removed leftovers of killed runs: ${leftovers.join(' ')}`);
    },
  };
}
