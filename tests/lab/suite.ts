import { afterAll, beforeAll, expect } from 'vitest';
import { stopAllProcesses } from '../netns/processes.js';
import { checkLabSupport, createLan, removeLabLeftovers, type LabHost, type Lan } from './lan.js';

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

export interface LanFixture {
  /** The suite's LAN; throws when beforeAll has not made it. */
  net(): Lan;
  host(name: string): LabHost;
}

/**
 * Registers the suite's LAN of `hosts` hosts: made in beforeAll (after the gate), and in afterAll
 * every process stopped, the LAN destroyed, the measurements printed, and no namespace left.
 */
export function useLan(gate: LabGate, hosts: number, report: () => string): LanFixture {
  let lan: Lan | undefined;
  const net = (): Lan => {
    if (!lan) throw new Error('the LAN was not created');
    return lan;
  };
  beforeAll(() => {
    gate.requireSupport();
    lan = createLan({ hosts });
  });
  afterAll(async () => {
    await stopAllProcesses();
    if (!lan) return;
    await lan.destroy();
    console.log(report());
    expect(lan.existingNamespaces(), 'namespaces left after teardown').toEqual([]);
  });
  return { net, host: (name) => net().host(name) };
}
