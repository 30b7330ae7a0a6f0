import { generateKeyPairSync, sign } from 'node:crypto';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerIdOf, type Identity } from '../../electron/core/crypto/identity.js';
import { MAX_PEERS } from '../../electron/core/peer-table.js';
import { CliHarness, GROUP, LOOPBACK, randomPort, type CliRun } from '../cli/harness.js';
import { chatStats, cpuMs, RawSender, rawGate, rssKiB, untilIdle, type SendReport } from '../helpers/raw-sender.js';
import { testPeer } from '../helpers/signed-frames.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Hostile LAN, a flood of fresh identities against live `mcchat chat`s on loopback: 60,000
 * keys, each sending one valid signed hello announcing the longest interval the wire allows
 * (600 s), from forged sources spread over many addresses and ports. Every table keyed by what
 * arrives is capped (peers listed 1,024, strangers' session starts 16,384, trust store 10,000,
 * session windows and loss tracking 4,096, forgotten sessions 65,536), so what a victim keeps
 * is bounded, and real peers must still be heard.
 *
 * Two victims in the room take the same flood (it is multicast): `victim` as a user runs it,
 * and `bob` with V8's old space capped at 64 MiB. The first one's resident memory is what a
 * user sees; it also holds the garbage of 60,000 datagrams until V8 decides to collect it (V8
 * lets the heap grow to a few times what is live when allocation is fast). bob has to collect
 * early, so his memory follows what is kept: a table that grew without bound would make him
 * grow past the bound, or die of "heap out of memory".
 *
 * Measured on 2 cores (shared with the attacker): ~1,800 hellos a second, about 33,000 of them
 * verified and remembered by each victim, the rest cut by the strangers' budget or dropped by
 * the kernel; VmRSS +121 to +143 MiB for `victim` (flat near 190 MiB at the end), +68 to +75
 * MiB for bob (flat from the fourth second on); 1,024 peers listed; both still chat.
 *
 * Needs root for the raw socket. Loopback only: mcchat runs with --iface 127.0.0.1, our socket
 * is pinned to 127.0.0.1, the forged hellos leave a raw socket bound to `lo` with TTL 0.
 */

const gate = rawGate('tests/hostile/identity-flood.live.test.ts');
const cli = new CliHarness();
let raw: RawSender | undefined;

const IDENTITIES = 60_000;
/**
 * Twice a victim's budget for strangers (1,000 verifications a second, burst 2,000): about
 * half are verified and remembered (more than any table holds), the rest are dropped before
 * any crypto, and the flood lasts 30 s. At the budget's own rate it would take a minute.
 */
const RATE = 2_000;
/** Hellos made and queued at a time (a second's worth). */
const BATCH = RATE;
/** bob's V8 old space: twice the ~30 MiB found live after this flood (--trace-gc). */
const BOB_OLD_SPACE_MIB = 64;
/**
 * Resident memory the flood may add, with headroom over what was measured here. bob (+72 to
 * +75 MiB): his capped heap, filled within 4 s and flat after, and native memory. victim (+121
 * to +143 MiB; +166 MiB for twice as many identities): V8's heap grown to ~4 times what is
 * live before it collects, and the datagrams awaiting collection.
 */
const MAX_GROWTH_MIB = { bob: 96, victim: 256 };

/**
 * A fresh Ed25519 identity in ~45 us: node's key generation, the raw public key read from its
 * JWK. (identity.ts imports a seed through PKCS#8, ~400 us a key: 25 s for 60,000.)
 */
function quickIdentity(): Identity {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw32 = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  return {
    publicKey: raw32,
    peerId: peerIdOf(raw32),
    sign: (data) => sign(null, data, privateKey),
    exportSeed: () => {
      throw new Error('a flood identity has no seed to export');
    },
  };
}

/** A forged source for the i-th identity: addresses across 127.77.0.0/16, ports across 1024–65023. */
function sourceOf(i: number): { srcIp: string; srcPort: number } {
  return { srcIp: `127.77.${(i >> 8) & 255}.${i & 255}`, srcPort: 1_024 + ((i * 7_919) % 64_000) };
}

const MiB = 1_024;
const mib = (kib: number): string => (kib / MiB).toFixed(1);

/** `run` has shown `text` from `nick` (as "12:34:56 <nick> [ttl 1] text"). */
function shows(run: CliRun, nick: string, text: string): boolean {
  return new RegExp(`<${nick}> \\[ttl \\d+\\] ${text}$`, 'm').test(run.stdout);
}

/** The peers `/peers` lists ("* nick [fingerprint] at …", one a line). */
async function peersListed(run: CliRun): Promise<string[]> {
  const from = run.stdout.length;
  run.child.stdin.write('/peers\n/stats\n');
  // /stats after /peers: once its last line is out, the whole list is too.
  await run.until((out) => /^\* security:/m.test(out.slice(from)), 30_000);
  const block = run.stdout.slice(from, from + run.stdout.slice(from).search(/^\* traffic:/m));
  return block.split('\n').filter((line) => /^\* .* \[[0-9a-f ]{19}\] at /.test(line) && !line.endsWith(' joined'));
}

interface Measured {
  readonly name: 'victim' | 'bob';
  readonly run: CliRun;
  readonly pid: number;
  rssBefore: number;
  cpuBefore: number;
  readonly samples: number[];
}

describe.skipIf(gate.skip)(`a flood of fresh identities against a live mcchat${gate.titleSuffix}`, () => {
  beforeAll(async () => {
    gate.require();
    await cli.build();
    raw = await RawSender.start();
  }, 60_000);
  afterAll(async () => {
    await raw?.close();
    cli.cleanup();
  });

  it(`60,000 signed hellos from forged sources: memory stays bounded and real peers are still heard`, async () => {
    if (!raw) throw new Error('raw_sender.py was not started');
    const port = randomPort();
    const args = ['chat', '--port', String(port), ...LOOPBACK];
    const victim = cli.start([...args, '--nick', 'victim'], cli.newHome());
    await victim.until((_, err) => err.includes('Type a message'));
    const bob = cli.start([...args, '--nick', 'bob'], cli.newHome(), { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --max-old-space-size=${BOB_OLD_SPACE_MIB}` });
    await bob.until((_, err) => err.includes('Type a message'));
    await victim.until((out) => /^\* bob \[.*joined$/m.test(out), 15_000);
    await bob.until((out) => /^\* victim \[.*joined$/m.test(out), 15_000);
    const measured: Measured[] = [victim, bob].map((run, i) => ({ name: i === 0 ? ('victim' as const) : ('bob' as const), run, pid: run.child.pid ?? 0, rssBefore: 0, cpuBefore: 0, samples: [] }));

    for (const m of measured) await untilIdle(m.pid, 30_000);
    for (const m of measured) {
      m.rssBefore = rssKiB(m.pid);
      m.cpuBefore = cpuMs(m.pid);
    }
    const sampler = setInterval(() => {
      for (const m of measured) if (m.run.child.exitCode === null) m.samples.push(rssKiB(m.pid));
    }, 2_000);
    // The attacker's keys and hellos, made a batch at a time while the one before goes out.
    let makeMs = 0;
    const floodAt = Date.now();
    const batches: Promise<SendReport>[] = [];
    try {
      for (let start = 0; start < IDENTITIES; start += BATCH) {
        const madeAt = performance.now();
        for (let i = start; i < Math.min(IDENTITIES, start + BATCH); i++) {
          // Now and then, let the pipe take what is queued: the script must not wait for us.
          if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
          const hello = testPeer({ identity: quickIdentity() }).frame({ t: 'hello', nick: `f${i.toString(36)}`, app: 'flood', ivl: 600_000, next: 0, up: 0 });
          raw.queue({ ...sourceOf(i), dstIp: GROUP, dstPort: port, ttl: 0, payload: hello });
        }
        makeMs += performance.now() - madeAt;
        batches.push(raw.paced(RATE, 90_000));
      }
      await Promise.all(batches);
    } finally {
      clearInterval(sampler);
    }
    const sent = { count: (await Promise.all(batches)).reduce((sum, b) => sum + b.count, 0), seconds: (Date.now() - floodAt) / 1000 };

    // Everything sent before a peer's next message has been read once it is shown after it.
    bob.child.stdin.write('after the flood\n');
    victim.child.stdin.write('still here\n');
    // Safety nets, not timings. Protocol v2: a real peer that joined less than a minute before the
    // flood is a stranger too, and 16 s of fresh keys push its key out of the cache; its next
    // message is then refused unverified and repaired once one of its hellos gets through the
    // strangers' budget (a CI run beside other tests took more than 30 s).
    await victim.until(() => shows(victim, 'bob', 'after the flood'), 90_000);
    await bob.until(() => shows(bob, 'victim', 'still here'), 90_000);
    // A newcomer after the flood: a stranger like the 60,000, with a real message.
    const carol = testPeer();
    const carolSays = carol.chat({ nick: 'carol', seq: 0, ttl: 1, ts: Date.now() }, 'carol is new here');
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    socket.setMulticastInterface('127.0.0.1');
    socket.setMulticastTTL(0);
    try {
      // Resent until shown (every 250 ms): a stranger's frame may be dropped while the strangers'
      // budget refills; copies of a message already shown are refused as duplicates.
      let sentAt = 0;
      await waitFor(
        () => {
          if (measured.every((m) => shows(m.run, 'carol', 'carol is new here'))) return true;
          if (Date.now() - sentAt < 250) return false;
          sentAt = Date.now();
          for (const datagram of carolSays) socket.send(datagram, port, GROUP);
          return false;
        },
        "both victims to show a newcomer's message",
        60_000,
      );
    } finally {
      socket.close();
    }

    const results = [];
    for (const m of measured) {
      await untilIdle(m.pid, 30_000);
      const rssAfter = rssKiB(m.pid);
      const stats = await chatStats(m.run);
      const joined = m.run.stdout.split('\n').filter((line) => /^\* .* joined$/.test(line)).length;
      const listed = await peersListed(m.run);
      const other = m.name === 'bob' ? 'victim' : 'bob';
      // Said, not asserted (cut in every run here, timed out in about half): 1,000 strangers verified a
      // second push an idle real peer's (key, source) out of the 4,096 the admission remembers
      // as established between two of its hellos (5 s); its hellos then share the strangers'
      // budget with the flood and about half are dropped, cut as "someone (127.0.0.1:…)"; after
      // 17.5 s without one it times out, and a forged identity takes its seat in the full table.
      const lines = m.run.stdout.split('\n');
      const otherTimedOut = lines.filter((line) => line === `* ${other} left (timed out)`).length;
      const otherListed = listed.some((line) => line.startsWith(`* ${other} [`));
      const realCut = lines.filter((line) => line.startsWith('! someone (127.0.0.1:')).length;
      results.push({ ...m, rssAfter, growth: rssAfter - m.rssBefore, cpuSpent: cpuMs(m.pid) - m.cpuBefore, stats, joined, listed: listed.length, other, otherTimedOut, otherListed, realCut, alive: m.run.child.exitCode === null });
    }
    console.info(
      `[hostile live] ${IDENTITIES} fresh identities (keys and signed hellos made in ${(makeMs / 1000).toFixed(1)} s, while sending); ${sent.count} hellos sent in ${sent.seconds.toFixed(1)} s ` +
        `(${Math.round(sent.count / sent.seconds)}/s) from forged sources` +
        results
          .map(
            (r) =>
              `\n  ${r.name}: counted ${r.stats.get('datagrams in')} datagrams (presence ${r.stats.get('presence')}, flood dropped ${r.stats.get('flood dropped')}), ` +
              `${r.listed} peers listed (cap ${MAX_PEERS}; ${r.joined} joined; ${r.other} cut as a flood ${r.realCut} times, timed out ${r.otherTimedOut} times, ${r.otherListed ? 'listed' : 'NOT LISTED'} at the end), ` +
              `${r.run.stdout.split('\n').filter((l) => l.includes('is flooding')).length} flood notices, CPU ${(r.cpuSpent / 1000).toFixed(1)} s; VmRSS ${mib(r.rssBefore)} MiB before, ${mib(r.rssAfter)} MiB after ` +
              `(+${mib(r.growth)} MiB), every 2 s during the flood: ${r.samples.map((x) => (x / MiB).toFixed(0)).join(' ')} MiB`,
          )
          .join(''),
    );
    expect(sent.count).toBe(IDENTITIES);
    for (const r of results) {
      // The flood reached it and was worked through: far more identities than any table holds.
      expect(r.stats.get('presence') ?? 0, r.name).toBeGreaterThan(MAX_PEERS * 4);
      expect(r.alive, `${r.name} still running`).toBe(true);
      expect(r.listed, r.name).toBeLessThanOrEqual(MAX_PEERS);
      expect(r.growth, `${r.name}'s growth in KiB`).toBeLessThan(MAX_GROWTH_MIB[r.name] * MiB);
    }
  }, 360_000);
});
