import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRoomHistory, type HistoryRecord, type RoomHistory } from '../../electron/core/history/index.js';
import type { ChatMessage, PeerInfo, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import { sleep } from '../netns/processes.js';
import { delivery, inDisplayOrder, perSenderOrder } from './analysis.js';
import { asShown, startBulkSender, startCollector, type LabPeer } from './driver.js';
import { kernelUdpCounters } from './impair.js';
import { labGate, useLan } from './suite.js';

/**
 * Acceptance tests of "Reliable rooms", resilience part: a room that does not pin an interface
 * follows the interface going down and up and an address change; a peer killed with SIGKILL in
 * the middle of a burst finds its history intact when it comes back; a flooding host is cut and
 * flagged while the chat of everyone else goes on. Needs root: see suite.ts.
 */

const gate = labGate('tests/lab/resilience.netns.test.ts');

/** The core polls the interface list every 2 s; a change must be dealt with within this. */
const RECOVERY_LIMIT_MS = 5_000;
/** The interface stays down longer than one poll, so the core surely notices. */
const DOWN_MS = 3_000;

/** Milliseconds until `check` holds (polled every 20 ms), or null after `limitMs`. */
async function within(limitMs: number, check: () => boolean): Promise<number | null> {
  const started = Date.now();
  for (;;) {
    if (check()) return Date.now() - started;
    if (Date.now() - started >= limitMs) return null;
    await sleep(20);
  }
}

interface RoomLine {
  readonly at: number;
  readonly room: RoomSnapshot;
}

function roomLines(peer: LabPeer, since: number): RoomLine[] {
  return peer
    .lines()
    .filter((line) => line.type === 'room' && (line.at ?? 0) >= since)
    .map((line) => ({ at: line.at ?? 0, room: line['room'] as RoomSnapshot }));
}

function describeRoomLines(lines: readonly RoomLine[], since: number): string {
  return (
    lines
      .map((l) => `+${l.at - since} ms ${l.room.status} [${l.room.interfaces.map((i) => `${i.name} ${i.address}`).join(', ')}]${l.room.error ? ` (${l.room.error.code})` : ''}${l.room.warnings.length > 0 ? ` warnings ${l.room.warnings.map((w) => w.code).join(',')}` : ''}`)
      .join('; ') || 'none'
  );
}

function joinedOn(line: RoomLine, address: string): boolean {
  return line.room.status === 'joined' && line.room.interfaces.some((i) => i.name === 'lan0' && i.address === address);
}

async function countersOf(peer: LabPeer): Promise<RoomCounters> {
  const state = await peer.snapshot();
  if (!state.counters) throw new Error(`${peer.process.label} has no room\n${peer.report()}`);
  return state.counters;
}

async function allRecords(history: RoomHistory): Promise<HistoryRecord[]> {
  let page = await history.tail(5_000);
  const records = [...page.records];
  while (page.cursor !== null) {
    page = await history.before(page.cursor, 5_000);
    records.unshift(...page.records);
  }
  return records;
}

function peerEvents(peer: LabPeer): PeerInfo[] {
  return peer
    .lines()
    .filter((line) => line.type === 'peer-joined' || line.type === 'peer-updated')
    .map((line) => line['peer'] as PeerInfo);
}

describe.skipIf(gate.skip)(`reliable rooms: link changes, crash and restart, flooding${gate.titleSuffix}`, () => {
  const notes: string[] = [];
  /** Room events of b while its interface was down, from the link test. */
  let whileDownLines: RoomLine[] | null = null;

  const { net, host } = useLan(gate, 3, () => `resilience measurements:\n  ${notes.join('\n  ')}`);

  it(`an unpinned room follows interface down/up and an address change: reconnecting, then joined and messages both ways within ${RECOVERY_LIMIT_MS / 1000} s`, async () => {
    const [a, b] = [host('a'), host('b')];
    const port = 4311;
    // Both peers send and receive; b is not pinned (iface null): its core picks lan0 itself.
    const atB = await startBulkSender(b, { port, nick: 'bob', iface: null, count: 1_000, rate: 5, lingerMs: -1, collect: true, waitPeers: 0 });
    const atA = await startBulkSender(a, { port, nick: 'alice', count: 2_000, rate: 20, lingerMs: -1, collect: true, waitPeers: 1, waitPeersTimeoutMs: 5_000 });
    expect(atB.ready['room'], 'b joined on lan0').toMatchObject({ iface: null, interfaces: [{ name: 'lan0', address: b.address }] });
    await atB.waitForMessages(5, 10_000, (m) => m.peerId === atA.peerId);
    await atA.waitForMessages(1, 10_000, (m) => m.peerId === atB.peerId);
    const fromA = (since: number) => () => atB.messagesFrom(atA.peerId).some((m) => m.receivedAt >= since && !m.history);
    const fromB = (since: number) => () => atA.messagesFrom(atB.peerId).some((m) => m.receivedAt >= since);

    // Interface down: the room notices within a poll and says so.
    const downAt = Date.now();
    net().ifDown(b);
    expect(net().linkInfo(b).up).toBe(false);
    const toReconnecting = await within(DOWN_MS, () => roomLines(atB, downAt).some((l) => l.room.status === 'reconnecting'));
    await sleep(DOWN_MS - (Date.now() - downAt));
    const whileDown = roomLines(atB, downAt);
    whileDownLines = whileDown;
    const sentWhileDown = atA.sent().filter((s) => s.ts >= downAt);

    // Up again: joined on lan0 and messages in both directions within the limit.
    const upAt = Date.now();
    net().ifUp(b);
    expect(net().linkInfo(b)).toMatchObject({ up: true, addresses: [b.address], multicastRoute: true });
    const toJoinedAfterUp = await within(RECOVERY_LIMIT_MS, () => {
      const lines = roomLines(atB, upAt);
      const last = lines[lines.length - 1];
      return last !== undefined && joinedOn(last, b.address);
    });
    const flowAfterUp = await within(RECOVERY_LIMIT_MS, fromA(upAt));
    const flowBackAfterUp = await within(RECOVERY_LIMIT_MS, fromB(upAt));
    // What a sent while b was away comes back with the history answer (marked history).
    const missedWhileDown = (): number => {
      const shown = new Set(atB.messagesFrom(atA.peerId).map((m) => m.id));
      return sentWhileDown.filter((s) => !shown.has(s.id)).length;
    };
    await within(3_000, () => missedWhileDown() === 0);
    const stillMissing = missedWhileDown();

    // Address change: the old address is gone; the room rejoins on the new one.
    const oldAddress = b.address;
    const changeAt = Date.now();
    const newAddress = net().changeAddress(b);
    expect(net().linkInfo(b)).toMatchObject({ up: true, addresses: [newAddress], multicastRoute: true });
    const toJoinedOnNew = await within(RECOVERY_LIMIT_MS, () => roomLines(atB, changeAt).some((l) => joinedOn(l, newAddress)));
    const reconnectingOnChange = roomLines(atB, changeAt).some((l) => l.room.status === 'reconnecting');
    const flowAfterChange = await within(RECOVERY_LIMIT_MS, fromA(changeAt + (toJoinedOnNew ?? 0)));
    const flowBackAfterChange = await within(RECOVERY_LIMIT_MS, () =>
      atA.messagesFrom(atB.peerId).some((m) => m.receivedAt >= changeAt && m.src.startsWith(`${newAddress}:`)),
    );
    const afterChange = roomLines(atB, changeAt);
    const afterUp = roomLines(atB, upAt).filter((l) => l.at < changeAt);

    const line =
      `link on b (unpinned): reconnecting ${toReconnecting ?? 'never'} ms after ifDown, while down: ${describeRoomLines(whileDown, downAt)}; ` +
      `after ifUp: ${describeRoomLines(afterUp, upAt)}; joined on lan0 after ${toJoinedAfterUp ?? 'never'} ms, a->b after ${flowAfterUp ?? 'never'} ms, b->a after ${flowBackAfterUp ?? 'never'} ms, ` +
      `${sentWhileDown.length - stillMissing}/${sentWhileDown.length} messages sent while down recovered; ` +
      `${oldAddress} -> ${newAddress}: ${describeRoomLines(afterChange, changeAt)}; a->b after ${flowAfterChange ?? 'never'} ms, b->a from the new address after ${flowBackAfterChange ?? 'never'} ms`;
    notes.push(line);
    console.log(line);

    expect(toReconnecting, `reconnecting after ifDown: ${describeRoomLines(whileDown, downAt)}`).not.toBeNull();
    expect(toJoinedAfterUp, `joined on lan0 after ifUp: ${describeRoomLines(afterUp, upAt)}`).not.toBeNull();
    expect(flowAfterUp, 'a -> b after ifUp').not.toBeNull();
    expect(flowBackAfterUp, 'b -> a after ifUp').not.toBeNull();
    expect(reconnectingOnChange, `reconnecting after the address change: ${describeRoomLines(afterChange, changeAt)}`).toBe(true);
    expect(toJoinedOnNew, `joined on ${newAddress}: ${describeRoomLines(afterChange, changeAt)}`).not.toBeNull();
    const lastAfterChange = afterChange[afterChange.length - 1];
    expect(lastAfterChange && joinedOn(lastAfterChange, newAddress), describeRoomLines(afterChange, changeAt)).toBe(true);
    expect(flowAfterChange, 'a -> b after the address change').not.toBeNull();
    expect(flowBackAfterChange, 'b -> a from the new address').not.toBeNull();
    // Nothing shown twice through all of it (history answers after each rejoin included).
    expect(delivery(atA.sent(), asShown(atB.messagesFrom(atA.peerId))).shownTwice).toBe(0);
    await Promise.all([atA.stop(), atB.stop()]);
  }, 60_000);

  it('while its interface is down, a room that falls back to loopback says so (LOOPBACK_ONLY), as a join on loopback does', () => {
    expect(whileDownLines, 'needs the observations of the link test above').not.toBeNull();
    const onLoopback = (whileDownLines ?? []).filter((l) => l.room.status === 'joined' && l.room.interfaces.some((i) => i.address.startsWith('127.')));
    for (const line of onLoopback) {
      expect(
        line.room.warnings.map((w) => w.code),
        `joined on loopback without the warning: ${describeRoomLines([line], line.at)}`,
      ).toContain('LOOPBACK_ONLY');
    }
  });

  it('a peer killed with SIGKILL in the middle of a burst keeps every message it showed, and restarts on its history', async () => {
    const [a, b] = [host('a'), host('b')];
    const port = 4312;
    const historyDir = join(b.dataDir, 'history');
    const total = 3_000;
    const rate = 400;
    const killAfter = 800;
    const identitySeed = randomBytes(32).toString('hex');
    const collector = await startCollector(b, { port, nick: 'bob', historyDir, identitySeed });
    const roomId = (collector.ready['room'] as RoomSnapshot).roomId;
    const sender = await startBulkSender(a, { port, nick: 'alice', count: total, rate, lingerMs: -1, waitPeers: 1, waitPeersTimeoutMs: 5_000 });
    await collector.waitForMessages(killAfter, 15_000, (m) => m.peerId === sender.peerId);
    await collector.kill();
    expect(collector.process.exitStatus()?.signal).toBe('SIGKILL');
    await sleep(200); // stdout may trail the exit
    const printed = collector.messagesFrom(sender.peerId);

    // The history as the crash left it, opened directly.
    const history = await openRoomHistory(historyDir, roomId);
    let records: HistoryRecord[];
    let stats: ReturnType<RoomHistory['stats']>;
    try {
      records = await allRecords(history);
      stats = history.stats();
    } finally {
      await history.close();
    }
    const storedIds = new Set(records.map((r) => r.message.id));
    const lostShown = printed.filter((m) => !storedIds.has(m.id)).map((m) => `${m.seq}`);
    const keys = records.map((r) => r.key);
    expect(printed.length).toBeGreaterThanOrEqual(killAfter);
    expect(lostShown, `shown before the kill but not in the history (seqs); ${records.length} records, stats ${JSON.stringify(stats)}`).toEqual([]);
    expect(stats.tornRecordsSkipped, JSON.stringify(stats)).toBeLessThanOrEqual(1);
    expect(new Set(keys).size, 'no record stored twice').toBe(keys.length);
    // Every record is a whole message of the sender, as shown.
    const printedById = new Map(printed.map((m) => [m.id, m]));
    for (const record of records) {
      expect(record.message.peerId).toBe(sender.peerId);
      expect(record.message.text).toMatch(/^alice \d+$/);
      const shown = printedById.get(record.message.id);
      if (shown) expect({ text: record.message.text, seq: record.message.seq, order: record.message.order }).toEqual({ text: shown.text, seq: shown.seq, order: shown.order });
    }

    // Restarted on the same history: its stored page has everything shown before the kill, and it receives again.
    const restartAt = Date.now();
    const restarted = await startCollector(b, { port, nick: 'bob', historyDir, printHistory: 5_000, identitySeed });
    const page = await restarted.waitForLine((l) => l.type === 'history-page' || l.type === 'history-error', 5_000, 'history page');
    expect(page.type, JSON.stringify(page)).toBe('history-page');
    const pageIds = new Set(page['ids'] as string[]);
    expect(
      printed.filter((m) => !pageIds.has(m.id)).map((m) => m.seq),
      'core.history after the restart lacks messages shown before the kill',
    ).toEqual([]);
    const live = await within(5_000, () => restarted.messagesFrom(sender.peerId).some((m) => !m.history && m.receivedAt >= restartAt));
    expect(live, `live messages after the restart\n${restarted.report()}`).not.toBeNull();
    const done = await sender.waitForDone(((total - killAfter) / rate) * 1000 + 10_000);
    expect(done.sent).toBe(total);
    const sentIds = new Set(sender.sent().map((s) => s.id));
    expect(records.filter((r) => !sentIds.has(r.message.id)).map((r) => r.key), 'stored but never sent').toEqual([]);
    await restarted.waitForQuiet(1_500, 15_000);
    const afterRestart = restarted.messagesFrom(sender.peerId);
    expect(delivery(sender.sent(), asShown(afterRestart)).shownTwice, 'shown twice after the restart').toBe(0);
    const shownAgain = afterRestart.filter((m) => printedById.has(m.id)).length;
    await restarted.stop();

    // Everything shown in either life is in the history once, and the file is still sound.
    const reopened = await openRoomHistory(historyDir, roomId);
    let final: HistoryRecord[];
    let finalStats: ReturnType<RoomHistory['stats']>;
    try {
      final = await allRecords(reopened);
      finalStats = reopened.stats();
    } finally {
      await reopened.close();
    }
    const finalIds = new Set(final.map((r) => r.message.id));
    const everShown = [...printed, ...afterRestart];
    expect(
      everShown.filter((m) => !finalIds.has(m.id)).map((m) => m.seq),
      'shown but not stored',
    ).toEqual([]);
    expect(new Set(final.map((r) => r.key)).size, 'no record stored twice').toBe(final.length);
    expect(finalStats.tornRecordsSkipped, JSON.stringify(finalStats)).toBeLessThanOrEqual(1);
    const inOrder = perSenderOrder(inDisplayOrder(asShown(final.map((r) => r.message))));
    expect(inOrder[0]?.descents).toBe(0);
    const line =
      `SIGKILL after ${printed.length} shown (of ${total} at ${rate}/s): ${records.length} records on disk, torn skipped ${stats.tornRecordsSkipped}, ` +
      `0 shown-but-lost; restart: page of ${pageIds.size}, ${afterRestart.length} shown in the second life (${afterRestart.filter((m) => m.history).length} as history, ${shownAgain} shown again), ` +
      `${final.length} records at the end (${finalIds.size} distinct of ${total} sent), duplicatesSkipped ${finalStats.duplicatesSkipped}, torn ${finalStats.tornRecordsSkipped}`;
    notes.push(line);
    console.log(line);
    await sender.stop();
  }, 60_000);

  it('a host flooding at full rate is cut and flagged; every chat message of another host still arrives', async () => {
    const [a, b, c] = [host('a'), host('b'), host('c')];
    const port = 4313;
    const chatCount = 20;
    const chatRate = 4;
    const floodCount = 30_000;
    const receiver = await startCollector(b, { port, nick: 'bob' });
    const startAt = Date.now() + 2_500;
    const [chatter, flooder] = await Promise.all([
      startBulkSender(c, { port, nick: 'carol', count: chatCount, rate: chatRate, startAt, lingerMs: -1 }),
      startBulkSender(a, { port, nick: 'mallory', count: floodCount, rate: 0, startAt: startAt + 500, lingerMs: -1, progressEvery: 5_000 }),
    ]);
    const floodDone = await flooder.waitForDone(60_000);
    await chatter.waitForDone(startAt - Date.now() + (chatCount / chatRate) * 1000 + 10_000);
    const chatDelivered = await within(10_000, () => receiver.messagesFrom(chatter.peerId).length >= chatCount);
    await sleep(1_200); // one more sweep: flood reports and peer flags come once a second
    const counters = await countersOf(receiver);
    const flooderCounters = await countersOf(flooder);
    const kernel = kernelUdpCounters(net(), b);

    const chat = asShown(receiver.messagesFrom(chatter.peerId));
    const chatDelivery = delivery(chatter.sent(), chat);
    const latencies = receiver.messagesFrom(chatter.peerId).map((m: ChatMessage) => m.receivedAt - m.ts);
    const floodEvents = receiver.linesOfType('flood');
    const floodFromA = floodEvents.filter((e) => e['peerId'] === flooder.peerId || String(e['src']).startsWith(`${a.address}:`));
    const floodFromC = floodEvents.filter((e) => e['peerId'] === chatter.peerId || String(e['src']).startsWith(`${c.address}:`));
    const flagged = peerEvents(receiver).filter((p) => p.flooding);
    const floodShown = receiver.messagesFrom(flooder.peerId).length;
    const gapsForFlooder = receiver
      .linesOfType('gap')
      .filter((g) => g['peerId'] === flooder.peerId)
      .reduce((sum, g) => sum + Number(g['count'] ?? 0), 0);
    const line =
      `flood: ${floodDone.sent} messages in ${floodDone.durationMs.toFixed(0)} ms (${floodDone.ratePerSecond?.toFixed(0)}/s) from a; at b: floodDropped ${counters.floodDropped}, ` +
      `${floodShown} of the flood shown, flood events ${floodFromA.length} (dropped ${floodFromA.reduce((s, e) => s + Number(e['dropped'] ?? 0), 0)}), peer flagged ${flagged.length}x; ` +
      `b nacksSent ${counters.nacksSent} lossGivenUp ${counters.lossGivenUp} gap events for a ${gapsForFlooder}, a repairsSent ${flooderCounters.repairsSent}; ` +
      `kernel at b RcvbufErrors ${kernel.RcvbufErrors} InDatagrams ${kernel.InDatagrams}; chat from c ${chatDelivery.delivered}/${chatCount}, latency max ${Math.max(...latencies)} ms median ${latencies.sort((x, y) => x - y)[Math.floor(latencies.length / 2)]} ms`;
    notes.push(line);
    console.log(line);

    expect(floodDone.sent, flooder.report()).toBeGreaterThan(floodCount * 0.9);
    expect(chatDelivered, `chat from c during the flood\n${line}`).not.toBeNull();
    expect(chatDelivery.delivered, line).toBe(chatCount);
    expect(chatDelivery.shownTwice).toBe(0);
    expect(perSenderOrder(inDisplayOrder(chat))[0]?.descents).toBe(0);
    // And on time: the flood does not starve the receive path.
    expect(Math.max(...latencies), line).toBeLessThan(2_000);
    // The flood is counted, reported and the peer flagged; the chatting host is not.
    expect(counters.floodDropped, line).toBeGreaterThan(0);
    expect(floodFromA.length, line).toBeGreaterThan(0);
    expect(floodFromA.some((e) => e['peerId'] === flooder.peerId && Number(e['dropped']) > 0), JSON.stringify(floodFromA.slice(0, 3))).toBe(true);
    expect(flagged.some((p) => p.peerId === flooder.peerId), line).toBe(true);
    expect(floodFromC, 'the chatting host was reported as flooding').toEqual([]);
    expect(flagged.filter((p) => p.peerId === chatter.peerId), 'the chatting host was flagged').toEqual([]);
    // The cut is real: far fewer of the flood's messages were shown than sent.
    expect(floodShown).toBeLessThan(floodCount);
    await Promise.all([receiver.stop(), chatter.stop(), flooder.stop()]);
  }, 90_000);
});
