import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomCounters } from '../../shared/events.js';
import { sleep, stopAllProcesses } from '../netns/processes.js';
import { delivery, percent, perSenderOrder, shownMoreThanOnce } from './analysis.js';
import { asShown, NO_REPAIR, startBulkSender, startCollector, startMcchatListener, startRelayPath, type LabPeer } from './driver.js';
import { describeImpairments, measureOne, setLoss } from './impair.js';
import { checkLabSupport, createLan, removeLabLeftovers, type Lan, type LabHost } from './lan.js';

/**
 * The lab itself, proven on today's core: a flat LAN of namespaces, inbound loss made by
 * nftables and measured by its counters, and a relay that duplicates and reorders. The
 * reliability tests build on these pieces; here they only have to show that the impairments
 * happen, are measured, and reach the core. Needs root; CI sets MCCHAT_REQUIRE_ROOT=1 so a
 * missing prerequisite fails there instead of silently skipping.
 */

const support = checkLabSupport();
const rootRequired = process.env['MCCHAT_REQUIRE_ROOT'] === '1';
const skip = !support.ok && !rootRequired;
const SKIP_REASON = 'skipped: needs root';
if (!support.ok) console.warn(`tests/lab: ${rootRequired ? 'MCCHAT_REQUIRE_ROOT=1, failing' : SKIP_REASON}: ${support.reason}`);

const MESSAGES = 300;
const RATE = 500;
const LOSS_PERCENT = 20;
const DELIVERY_TIMEOUT_MS = 10_000;
/** A receiver that heard nothing new for this long has everything it will get. */
const QUIET_MS = 600;
/** Presence and goodbyes may land between reading the core's counters and nft's. */
const COUNTER_SLACK = 3;
const LINK_DOWN_MS = 2_500;

describe.skipIf(skip)(`network lab: LAN, nftables loss, relay${skip ? ` (${SKIP_REASON})` : ''}`, () => {
  let lan: Lan | undefined;
  const measurements: string[] = [];
  const note = (line: string): void => {
    measurements.push(line);
  };

  function hosts(): { a: LabHost; b: LabHost; c: LabHost } {
    if (!lan) throw new Error('the LAN was not created');
    return { a: lan.host('a'), b: lan.host('b'), c: lan.host('c') };
  }

  function net(): Lan {
    if (!lan) throw new Error('the LAN was not created');
    return lan;
  }

  async function countersOf(peer: LabPeer): Promise<RoomCounters> {
    const state = await peer.snapshot();
    if (!state.counters) throw new Error(`${peer.process.label} has no room`);
    return state.counters;
  }

  beforeAll(() => {
    if (!support.ok) throw new Error(`MCCHAT_REQUIRE_ROOT=1 but the lab cannot run: ${support.reason}`);
    const leftovers = removeLabLeftovers();
    if (leftovers.length > 0) console.warn(`removed leftovers of killed runs: ${leftovers.join(' ')}`);
    lan = createLan({ hosts: 3 });
    note(`LAN ${lan.name}: ${lan.hosts.map((h) => `${h.name}=${h.address}`).join(' ')}, switch ${lan.switch.address}; setup ${lan.setupMs.toFixed(0)} ms`);
  });

  afterAll(async () => {
    await stopAllProcesses();
    if (!lan) return;
    await lan.destroy();
    console.info(`lab measurements:\n  ${measurements.join('\n  ')}`);
    expect(lan.existingNamespaces(), 'namespaces left after teardown').toEqual([]);
  });

  it(`${MESSAGES} messages at ${RATE}/s: B without loss gets all, C with ${LOSS_PERCENT} % inbound loss (no repair) measurably fewer, nft and core agree`, async () => {
    const { a, b, c } = hosts();
    const port = 4242;
    setLoss(net(), c, LOSS_PERCENT, { port });
    const [atB, atC, cliAtB] = await Promise.all([
      startCollector(b, { port, nick: 'bob' }),
      // Repair held off: this receiver shows what the network alone delivers.
      startCollector(c, { port, nick: 'carol', coreOptions: { ...NO_REPAIR } }),
      startMcchatListener(b, { port }),
    ]);
    const sender = await startBulkSender(a, { port, nick: 'alice', count: MESSAGES, rate: RATE });
    const done = await sender.waitForDone(DELIVERY_TIMEOUT_MS);
    expect(done.sent, sender.report()).toBe(MESSAGES);
    await atB.waitForMessages(MESSAGES, DELIVERY_TIMEOUT_MS);
    await atC.waitForQuiet(QUIET_MS, DELIVERY_TIMEOUT_MS, 1);

    const sent = sender.sent();
    const toB = delivery(sent, asShown(atB.messagesFrom(sender.peerId)));
    const toC = delivery(sent, asShown(atC.messagesFrom(sender.peerId)));
    const lossAtC = measureOne(net(), c, 'loss');
    const countersC = await countersOf(atC);
    const lossAtCAfter = measureOne(net(), c, 'loss');
    const gapsAtC = atC.linesOfType('gap').reduce((sum, line) => sum + Number(line['count'] ?? 0), 0);
    note(`sender a: ${done.sent} sent in ${done.durationMs.toFixed(0)} ms (${done.ratePerSecond?.toFixed(0)}/s), ${done.sendErrors} send errors`);
    note(`b (0 % loss): ${toB.delivered}/${toB.sent} (${percent(toB.delivered, toB.sent)}), shown twice ${toB.shownTwice}; mcchat listen --json on b: ${cliAtB.messages().length} lines`);
    note(
      `c (${LOSS_PERCENT} % nft loss, repair off): ${toC.delivered}/${toC.sent} (${percent(toC.delivered, toC.sent)}); nft saw ${lossAtC.seen} dropped ${lossAtC.dropped} ` +
        `(${percent(lossAtC.dropped, lossAtC.seen)}); core datagramsIn ${countersC.datagramsIn}, lossDetected ${countersC.lossDetected}, gave up ${countersC.lossGivenUp}, gap events ${gapsAtC}`,
    );

    expect(toB.delivered, atB.report()).toBe(MESSAGES);
    expect(toB.shownTwice).toBe(0);
    expect(cliAtB.messages().filter((m) => m.text.startsWith('alice '))).toHaveLength(MESSAGES);

    expect(lossAtC.dropped, describeImpairments(net(), c)).toBeGreaterThan(0);
    expect(toC.deliveryRate, describeImpairments(net(), c)).toBeGreaterThanOrEqual(0.6);
    expect(toC.deliveryRate).toBeLessThanOrEqual(0.95);
    expect(toC.shownTwice).toBe(0);
    // What nft let through on the room port is what the core counted, give or take a hello in between.
    expect(Math.abs(lossAtC.seen - lossAtC.dropped - countersC.datagramsIn)).toBeLessThanOrEqual(COUNTER_SLACK + (lossAtCAfter.seen - lossAtC.seen));
    // C shows exactly the chat frames that got through: no repair, no NACK, nothing fragmented.
    expect(countersC.chatMessagesIn).toBe(toC.delivered);
    expect(countersC.nacksSent).toBe(0);

    await Promise.all([atB.stop(), atC.stop(), sender.stop(), cliAtB.process.stop()]);
  });

  it(`the same ${LOSS_PERCENT} % loss with today's repair on: the loss reaches the core's loss detection (measured, not judged)`, async () => {
    const { a, c } = hosts();
    const port = 4244;
    setLoss(net(), c, LOSS_PERCENT, { port, name: 'loss-repair' });
    const atC = await startCollector(c, { port, nick: 'carol' });
    const sender = await startBulkSender(a, { port, nick: 'alice', count: MESSAGES, rate: RATE, lingerMs: -1 });
    await sender.waitForDone(DELIVERY_TIMEOUT_MS);
    // NACK retries run for a few hundred ms after the burst.
    await atC.waitForQuiet(1_000, DELIVERY_TIMEOUT_MS, 1);
    const toC = delivery(sender.sent(), asShown(atC.messagesFrom(sender.peerId)));
    const countersC = await countersOf(atC);
    const countersA = await countersOf(sender);
    const loss = measureOne(net(), c, 'loss-repair');
    note(
      `c (${LOSS_PERCENT} % nft loss, repair on): ${toC.delivered}/${toC.sent} (${percent(toC.delivered, toC.sent)}), shown twice ${toC.shownTwice}; ` +
        `nft dropped ${loss.dropped}/${loss.seen}; c lossDetected ${countersC.lossDetected} recovered ${countersC.lossRecovered} gave up ${countersC.lossGivenUp} ` +
        `nacksSent ${countersC.nacksSent} duplicates ${countersC.duplicates}; a repairsSent ${countersA.repairsSent}`,
    );
    expect(loss.dropped).toBeGreaterThan(0);
    expect(countersC.lossDetected).toBeGreaterThan(0);
    expect(toC.shownTwice).toBe(0);
    await Promise.all([atC.stop(), sender.stop()]);
  });

  it('a relay in the switch duplicates and reorders: duplicates are counted, not shown, and the reordering is seen on arrival', async () => {
    const { a, b, c } = hosts();
    const port = 4243;
    // The relay is the only path from a: the direct copies are dropped at the receivers.
    const relay = await startRelayPath(net(), { from: [a], to: [b, c], port, dup: 0.2, reorder: 0.1, reorderDepth: 3, seed: 7 });
    const [atB, atC] = await Promise.all([startCollector(b, { port, nick: 'bob' }), startCollector(c, { port, nick: 'carol' })]);
    const sender = await startBulkSender(a, { port, nick: 'alice', count: MESSAGES, rate: RATE, lingerMs: -1 });
    await sender.waitForDone(DELIVERY_TIMEOUT_MS);
    await Promise.all([atB.waitForMessages(MESSAGES, DELIVERY_TIMEOUT_MS), atC.waitForMessages(MESSAGES, DELIVERY_TIMEOUT_MS)]);
    await atB.waitForQuiet(QUIET_MS, DELIVERY_TIMEOUT_MS);
    const stats = await relay.stop();
    const [countersB, countersC, countersA] = await Promise.all([countersOf(atB), countersOf(atC), countersOf(sender)]);
    const chat = stats.byType['chat'];
    const [blockedAtB] = relay.directDropped().flatMap((d) => d.counters);

    const shownB = asShown(atB.messagesFrom(sender.peerId));
    const shownC = asShown(atC.messagesFrom(sender.peerId));
    const toB = delivery(sender.sent(), shownB);
    const toC = delivery(sender.sent(), shownC);
    const [orderB] = perSenderOrder(shownB);
    const [orderC] = perSenderOrder(shownC);
    note(
      `relay: received ${stats.received} (chat ${chat?.received}), sent ${stats.sent}, duplicated ${stats.duplicated} (chat ${chat?.duplicated}), ` +
        `held back ${stats.heldBack}, reordered ${stats.reordered} (chat ${chat?.reordered}), ignored ${stats.ignored}, source ports ${JSON.stringify(stats.sourcePorts)}`,
    );
    note(`nft at b dropped ${blockedAtB?.dropped}/${blockedAtB?.seen} direct datagrams from a; a repairsSent ${countersA.repairsSent}`);
    for (const [name, to, counters, order] of [
      ['b', toB, countersB, orderB],
      ['c', toC, countersC, orderC],
    ] as const) {
      note(
        `${name} via relay: ${to.delivered}/${to.sent}, shown twice ${to.shownTwice}, core duplicates ${counters.duplicates}, chat frames ${counters.chatFramesIn}, ` +
          `seq descents on arrival ${order?.descents} (depth ${order?.descentDepth}, e.g. ${JSON.stringify(order?.examples.slice(0, 3))}), nacks ${counters.nacksSent}, history answered ${counters.historySent}`,
      );
    }

    expect(chat, JSON.stringify(stats)).toBeDefined();
    if (!chat) return;
    expect(chat.duplicated).toBeGreaterThan(0);
    expect(chat.reordered).toBeGreaterThan(0);
    expect(blockedAtB?.dropped).toBeGreaterThanOrEqual(MESSAGES);
    // History answers (a's join request, reordered by the relay, can reach b and c after a's first
    // messages) go to every receiver, the answering one too (multicast loopback) under a's peer id.
    const historyResent = countersB.historySent + countersC.historySent;
    for (const [to, counters, shown] of [
      [toB, countersB, shownB],
      [toC, countersC, shownC],
    ] as const) {
      expect(to.delivered).toBe(MESSAGES);
      expect(to.shownTwice, JSON.stringify([...shownMoreThanOnce(shown)])).toBe(0);
      expect(counters.chatFramesIn).toBe(MESSAGES);
      // Every chat copy the relay sent reached the receiver, and so did every history answer: all
      // but the first copy of each message were counted as duplicates. At most a few more: the
      // relay also duplicates the odd control frame, and a copy can race a repair (one run in
      // three counted 247 for 246). Fewer by the copies refused unverified (v2): a chat the relay
      // brought before a's hello carries no key, counts as unknownSender, and is asked for again.
      expect(counters.duplicates).toBeGreaterThanOrEqual(chat.sent + historyResent - MESSAGES - counters.unknownSender);
      // A history answer goes out in two passes (each message at most twice; historySent counts it once).
      expect(counters.duplicates).toBeLessThanOrEqual(stats.sent + 2 * historyResent - MESSAGES);
      expect(counters.duplicates).toBeGreaterThanOrEqual(chat.duplicated);
    }
    expect(orderB?.descents ?? 0).toBeGreaterThan(0);
    await Promise.all([atB.stop(), atC.stop(), sender.stop()]);
  });

  it('link controls do what they say (ifDown/ifUp, unplug/plug, changeAddress, SIGKILL and restart); the core\'s reaction is measured', async () => {
    const { a, b } = hosts();
    const lab = net();
    const port = 4245;
    // Not pinned to an address: the core picks lan0 itself and can follow an address change.
    const atB = await startCollector(b, { port, nick: 'bob', iface: null, identitySeed: randomBytes(32).toString('hex') });
    const sender = await startBulkSender(a, { port, nick: 'alice', count: 400, rate: 40, lingerMs: -1, progressEvery: 50 });
    await atB.waitForMessages(1, DELIVERY_TIMEOUT_MS);

    /** Milliseconds until `check` holds (polled), or null after `limitMs`: for measurements, not verdicts. */
    const within = async (limitMs: number, check: () => boolean): Promise<number | null> => {
      const started = Date.now();
      while (Date.now() - started < limitMs) {
        if (check()) return Date.now() - started;
        await sleep(20);
      }
      return null;
    };
    const statusSince = (since: number, status: string) => () =>
      atB.lines().some((line) => line.type === 'room' && (line.at ?? 0) >= since && (line['room'] as { status?: string } | undefined)?.status === status);
    const messageSince = (since: number) => () => atB.messages().some((m) => m.receivedAt >= since);

    let since = Date.now();
    lab.ifDown(b);
    expect(lab.linkInfo(b).up).toBe(false);
    // Down for longer than the core's 2 s network poll, so it surely notices.
    const toReconnecting = await within(LINK_DOWN_MS, statusSince(since, 'reconnecting'));
    await sleep(LINK_DOWN_MS - (Date.now() - since));

    since = Date.now();
    lab.ifUp(b);
    const upInfo = lab.linkInfo(b);
    expect(upInfo).toMatchObject({ up: true, addresses: [b.address], multicastRoute: true });
    const flowAfterUp = await within(5_000, messageSince(since));

    lab.unplug(b);
    expect(lab.linkInfo(b)).toMatchObject({ up: true, carrier: false });
    lab.plug(b);
    expect(await within(2_000, () => lab.linkInfo(b).carrier), 'carrier back after plug').not.toBeNull();

    const oldAddress = b.address;
    since = Date.now();
    const newAddress = lab.changeAddress(b);
    expect(newAddress).not.toBe(oldAddress);
    expect(b.address).toBe(newAddress);
    expect(lab.linkInfo(b)).toMatchObject({ up: true, addresses: [newAddress], multicastRoute: true });
    const flowAfterAddressChange = await within(5_000, messageSince(since));
    const joinedOnNewAddress = await within(5_000, () =>
      atB
        .lines()
        .some((line) => line.type === 'room' && (line.at ?? 0) >= since && JSON.stringify((line['room'] as { interfaces?: unknown } | undefined)?.interfaces ?? []).includes(`"${newAddress}"`)),
    );

    await atB.kill();
    expect(atB.process.exitStatus()?.signal).toBe('SIGKILL');
    const restarted = await startCollector(b, atB.options);
    expect(restarted.peerId).toBe(atB.peerId);
    since = Date.now();
    const flowAfterRestart = await within(5_000, () => restarted.messages().some((m) => m.receivedAt >= since));
    note(
      `link controls on b: room reconnecting ${toReconnecting ?? `>${LINK_DOWN_MS}`} ms after ifDown; messages again ${flowAfterUp ?? '>5000'} ms after ifUp (down ${LINK_DOWN_MS} ms); ` +
        `${oldAddress} -> ${newAddress}: messages again after ${flowAfterAddressChange ?? '>5000'} ms, room on the new address after ${joinedOnNewAddress ?? '>5000'} ms; ` +
        `${flowAfterRestart ?? '>5000'} ms to the first message after a SIGKILL restart (sender at 40/s)`,
    );
    await Promise.all([restarted.stop(), sender.stop()]);
  });
});
