import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inNamespace, startListener, type Listener } from './mcchat-driver.js';
import { parseReachRows, peerIdOf, runProbe } from './classroom-driver.js';
import { checkNetnsSupport, createTopology, destroyTopology, existingNamespaces, removeLeftovers, type Topology } from './netns.js';
import { stopAllProcesses } from './processes.js';

/**
 * "How far does my TTL reach?" across a real (namespaced) router: `mcchat probe` from a1 finds
 * the member on its own subnet (a2) at TTL 1 and the one behind the router (b1) first at TTL 2,
 * and nobody new at TTL 3. Needs root; with MCCHAT_REQUIRE_ROOT=1 a missing prerequisite fails
 * instead of skipping (as in ttl-scope.test.ts).
 */

const support = checkNetnsSupport();
const rootRequired = process.env['MCCHAT_REQUIRE_ROOT'] === '1';
const skip = !support.ok && !rootRequired;
const SKIP_REASON = 'skipped: needs root';
if (!support.ok) console.warn(`tests/netns/probe: ${rootRequired ? 'MCCHAT_REQUIRE_ROOT=1, failing' : SKIP_REASON}: ${support.reason}`);

/** An address as a regular expression matches it: dots literal. */
const dotted = (address: string): string => address.replaceAll('.', '\\.');
const sourceOn = (address: string): RegExp => new RegExp(`^${dotted(address)}:\\d+$`);

describe.skipIf(skip)(`the reach probe across a router in network namespaces${skip ? ` (${SKIP_REASON})` : ''}`, () => {
  let topology: Topology | undefined;
  let nearPeer: Listener;
  let farPeer: Listener;

  beforeAll(async () => {
    if (!support.ok) throw new Error(`MCCHAT_REQUIRE_ROOT=1 but the network-namespace tests cannot run: ${support.reason}`);
    const leftovers = removeLeftovers();
    if (leftovers.length > 0) console.warn(`removed leftovers of killed runs: ${leftovers.join(' ')}`);
    topology = await createTopology(support.router);
    const { a2, b1 } = topology.hosts;
    // Members (listen without --passive): they answer probes.
    [nearPeer, farPeer] = await Promise.all([
      startListener(inNamespace(a2.namespace), { iface: a2.address, nick: 'bob', label: 'member on a2' }),
      startListener(inNamespace(b1.namespace), { iface: b1.address, nick: 'carol', label: 'member on b1' }),
    ]);
  });

  afterAll(async () => {
    await stopAllProcesses();
    if (!topology) return;
    await destroyTopology(topology);
    expect(existingNamespaces(topology), 'namespaces left after teardown').toEqual([]);
  });

  it('finds the peer on its own subnet at TTL 1 and the peer behind the router first at TTL 2', async () => {
    if (!topology) throw new Error('topology was not created');
    const { a1, a2, b1 } = topology.hosts;
    const [nearId, farId] = await Promise.all([peerIdOf(nearPeer.process), peerIdOf(farPeer.process)]);

    const json = await runProbe(inNamespace(a1.namespace), a1.address, 3, true);
    console.info(`mcchat probe --ttl-max 3 --json from a1 (${a1.address}), router: ${topology.forwarder.kind}:\n${json.stdout}`);
    expect(json.code, json.report).toBe(0);
    const rows = parseReachRows(json.stdout);
    expect(rows.map((r) => r.ttl)).toEqual([1, 2, 3]);
    expect(rows[0]?.peers).toEqual([expect.objectContaining({ peerId: nearId, nick: 'bob', src: expect.stringMatching(sourceOn(a2.address)) })]);
    expect(rows[1]?.peers).toEqual([expect.objectContaining({ peerId: farId, nick: 'carol', src: expect.stringMatching(sourceOn(b1.address)) })]);
    expect(rows[2]?.peers).toEqual([]);

    // The readable table, for a class: a new probe id, so both answer again.
    const text = await runProbe(inNamespace(a1.namespace), a1.address, 3, false);
    console.info(`mcchat probe --ttl-max 3 from a1:\n${text.stdout}`);
    expect(text.code, text.report).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^TTL 1 \\(subnet\\): bob ${dotted(a2.address)}:\\d+$`));
    expect(lines[1]).toMatch(new RegExp(`^TTL 2: carol ${dotted(b1.address)}:\\d+$`));
    expect(lines[2]).toBe('TTL 3: nobody new');
    expect(lines[3]).toBe('2 peers answered; the farthest is 1 router away (first reached at TTL 2).');
  }, 90_000);
});
