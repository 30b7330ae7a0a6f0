import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_ANSWER_MAX_BYTES } from '../../electron/core/reliability/room-repair.js';
import { CliHarness, GROUP, LOOPBACK, randomPort } from '../cli/harness.js';
import { waitFor } from '../helpers/wait.js';
import { testPeer } from '../helpers/signed-frames.js';

/**
 * Hostile LAN, attack 1 against a live `mcchat` on loopback: a peer holding 400 KB of its own
 * messages, asked for history by one signed `sync` every 100 ms with a fresh request id. Before
 * the budgets it answered every one (12,469 times the bytes asked with). Loopback only: every
 * socket here is pinned to 127.0.0.1.
 */

const cli = new CliHarness();
beforeAll(() => cli.build(), 60_000);
afterAll(() => cli.cleanup());

const LINES = 200;
const LINE = 'x'.repeat(1_900);
const SYNCS = 30;

describe('a sync flood against a live mcchat', () => {
  it('answers one history request of at most 256 KiB, whatever the number of requests', async () => {
    const port = randomPort();
    // Our ears on the group: everything the victim sends, by its source.
    const ear = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    const heard: { from: string; bytes: number; at: number; text: string; tail: string }[] = [];
    ear.on('message', (data, rinfo) =>
      heard.push({ from: `${rinfo.address}:${rinfo.port}`, bytes: data.length, at: Date.now(), text: data.subarray(0, 200).toString('latin1'), tail: data.subarray(-87 - 8, -87).toString('latin1') }),
    );
    await new Promise<void>((resolve) => ear.bind(port, GROUP, () => resolve()));
    ear.addMembership(GROUP, '127.0.0.1');
    const victim = cli.start(['chat', '--port', String(port), ...LOOPBACK, '--nick', 'victim'], cli.newHome());
    try {
      await victim.until((_, err) => err.includes('Type a message'));
      for (let i = 0; i < LINES; i++) victim.child.stdin.write(`${LINE} ${i}\n`);
      // Each line is three fragments; the last fragment of the last line ends with " 199".
      await waitFor(() => heard.some((d) => d.text.includes('"t":"chat"') && d.tail.endsWith(` ${LINES - 1}`)), 'the victim to send its 200 long messages', 90_000);
      const victimSource = heard.find((d) => d.text.includes('"t":"chat"'))?.from ?? '';

      const attacker = testPeer();
      const sender = dgram.createSocket({ type: 'udp4' });
      await new Promise<void>((resolve) => sender.bind(0, '127.0.0.1', () => resolve()));
      sender.setMulticastInterface('127.0.0.1');
      sender.setMulticastTTL(0);
      const startedAt = Date.now();
      let bytesIn = 0;
      for (let i = 0; i < SYNCS; i++) {
        const sync = attacker.frame({ t: 'sync', rid: (i + 1).toString(16).padStart(16, '0'), max: 500 });
        bytesIn += sync.length;
        await new Promise<void>((resolve) => sender.send(sync, port, GROUP, () => resolve()));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      sender.close();
      // The answer is paced (10 datagrams per 5 ms): it has ended once the victim sends nothing
      // but announcements for a second.
      await waitFor(() => {
        const last = heard.filter((d) => d.from === victimSource && d.text.includes('"t":"chat"')).at(-1);
        return last !== undefined && Date.now() - last.at > 1_000;
      }, 'the history answer to end', 30_000);
      const out = heard.filter((d) => d.from === victimSource && d.at >= startedAt && d.text.includes('"t":"chat"')).reduce((sum, d) => sum + d.bytes, 0);
      console.info(`[hostile live] ${SYNCS} syncs (${bytesIn} B) to a live mcchat holding ${LINES} long messages: ${out} B of history out (${(out / bytesIn).toFixed(0)}x)`);
      expect(out).toBeGreaterThan(100_000); // one answer went out
      expect(out).toBeLessThanOrEqual(HISTORY_ANSWER_MAX_BYTES);
    } finally {
      ear.close();
      victim.child.kill('SIGKILL');
    }
  }, 180_000);
});
