import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../electron/core/clock.js';
import { REPAIR_ANSWER_MAX_BYTES } from '../../electron/core/reliability/repair-buffer.js';
import { HISTORY_ANSWER_MAX_BYTES } from '../../electron/core/reliability/room-repair.js';
import type { ChatCore } from '../../electron/core/types.js';
import { coreOn, settle } from '../helpers/core-peers.js';
import { FakeNetwork } from '../helpers/fake-network.js';
import { testPeer } from '../helpers/signed-frames.js';

/**
 * Hostile LAN, "no amplification": what a peer sends in answer to others is bounded per room,
 * whatever the number of requests, request ids or keys. Measured before the budgets: one signed
 * `sync` a second for 10 s made a peer holding 500 long messages send 34.8 MB (12,469 times the
 * bytes in); NACKs for its last 100 messages, 25 a second, made it send 11.5 MB for 71 KB.
 */

const ROOM = { group: '239.255.42.99', port: 4242 };
const ID = '239.255.42.99:4242';
const ATTACKER = { address: '198.18.1.66', port: 40000 };

const hex16 = (n: number): string => n.toString(16).padStart(16, '0');

/** A victim that said 500 long messages (about 1 KB of datagram each), on a fake clock. */
async function victimWithHistory(): Promise<{ net: FakeNetwork; clock: FakeClock; victim: ChatCore; sess: string }> {
  const net = new FakeNetwork();
  const clock = new FakeClock();
  const victim = coreOn(net, clock, 'victim').core;
  await victim.joinRoom(ROOM);
  for (let i = 0; i < 500; i++) {
    await victim.send(ID, `${'long message '.repeat(60)}${i}`);
    clock.advance(20);
  }
  clock.advance(60_000);
  const first = net.sent.find((d) => new TextDecoder().decode(d.data).startsWith('MCC2 {"t":"chat"'));
  const sess = /"sess":"([0-9a-f]{16})"/.exec(new TextDecoder().decode(first?.data))?.[1] ?? '';
  return { net, clock, victim, sess };
}

function bytesSentSince(net: FakeNetwork, index: number): number {
  return net.sent.slice(index).reduce((sum, d) => sum + d.data.length, 0);
}

describe('no amplification', () => {
  it('one signed sync a second for 10 s gets one history answer of at most 256 KiB', async () => {
    const { net, clock } = await victimWithHistory();
    const attacker = testPeer({ startedAt: clock.now() });
    const before = net.sent.length;
    let bytesIn = 0;
    for (let i = 0; i < 10; i++) {
      const sync = attacker.frame({ t: 'sync', rid: hex16(i + 1), max: 500 });
      bytesIn += sync.length;
      net.inject(sync, ROOM.group, ROOM.port, ATTACKER);
      await settle(clock, 1_000);
    }
    const out = bytesSentSince(net, before);
    console.info(`[hostile] sync flood: ${bytesIn} B in, ${out} B out (${(out / bytesIn).toFixed(0)}x; was 12,469x)`);
    expect(out).toBeLessThanOrEqual(HISTORY_ANSWER_MAX_BYTES + 10_000);
    expect(out).toBeGreaterThan(100_000); // one answer did go out: the budget is not a mute
  });

  it('NACKs for the last 100 messages, 25 a second for 10 s: each message resent at most every 0.8 s, within the room budget', async () => {
    const { net, clock, victim, sess } = await victimWithHistory();
    expect(sess).toMatch(/^[0-9a-f]{16}$/);
    const attacker = testPeer({ startedAt: clock.now() });
    const before = net.sent.length;
    let bytesIn = 0;
    for (let i = 0; i < 250; i++) {
      const nack = attacker.frame({ t: 'nack', to: victim.peerId, toSess: sess, seqs: [[400, 499]] });
      bytesIn += nack.length;
      net.inject(nack, ROOM.group, ROOM.port, ATTACKER);
      clock.advance(40);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const out = bytesSentSince(net, before);
    const repairs = victim.counters(ID).repairsSent;
    console.info(`[hostile] NACK flood: ${bytesIn} B in, ${out} B out (${(out / bytesIn).toFixed(1)}x; was 162x), ${repairs} repairs, ${victim.counters(ID).answersLimited} held back`);
    // 100 messages at most every 0.8 s for 10 s is 1,300 resends; the budget (1 MiB + 10 s at
    // 100 KiB/s) cuts that to about 2 MiB whatever the request rate.
    expect(repairs).toBeLessThanOrEqual(100 * 14);
    expect(out).toBeLessThanOrEqual(2 * 1024 * 1024 + 50_000);
  });

  it('one NACK naming the last 100 messages gets at most 32 KiB back', async () => {
    const { net, clock, victim, sess } = await victimWithHistory();
    const attacker = testPeer({ startedAt: clock.now() });
    const before = net.sent.length;
    const nack = attacker.frame({ t: 'nack', to: victim.peerId, toSess: sess, seqs: [[400, 499]] });
    net.inject(nack, ROOM.group, ROOM.port, ATTACKER);
    await settle(clock, 200);
    const out = bytesSentSince(net, before);
    console.info(`[hostile] one NACK for 100 messages: ${nack.length} B in, ${out} B out (${(out / nack.length).toFixed(0)}x; was 1,870x)`);
    expect(out).toBeGreaterThan(10_000); // it was answered
    expect(out).toBeLessThanOrEqual(REPAIR_ANSWER_MAX_BYTES + 2_000);
    expect(victim.counters(ID).answersLimited).toBeGreaterThan(0);
  });

  it('NACKs naming 200 messages for 20 s: the room budget (1 MiB, then 100 KiB/s) holds the rest back', async () => {
    const { net, clock, victim, sess } = await victimWithHistory();
    const attacker = testPeer({ startedAt: clock.now() });
    const before = net.sent.length;
    for (let i = 0; i < 500; i++) {
      net.inject(attacker.frame({ t: 'nack', to: victim.peerId, toSess: sess, seqs: [[300, 499]] }), ROOM.group, ROOM.port, ATTACKER);
      clock.advance(40);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const out = bytesSentSince(net, before);
    const limited = victim.counters(ID).answersLimited;
    console.info(`[hostile] 200-message NACK flood for 20 s: ${out} B out, ${limited} datagrams held back`);
    expect(out).toBeLessThanOrEqual(1024 * 1024 + 20 * 104_858 + 50_000);
    expect(limited).toBeGreaterThan(0);
  });

  it('a genuine newcomer still gets the history, and a genuine receiver its repair', async () => {
    const { net, clock } = await victimWithHistory();
    const newcomer = coreOn(net, clock, 'new').core;
    const shown: string[] = [];
    newcomer.subscribe((e) => {
      if (e.type === 'message' && e.message.history) shown.push(e.message.text);
    });
    await newcomer.joinRoom(ROOM);
    await settle(clock, 3_000);
    // 500 messages of ~1 KB do not fit 256 KiB: the newest that do, oldest first.
    expect(shown.length).toBeGreaterThan(150);
    expect(shown.at(-1)).toMatch(/ 499$/);
  });
});
