import { z } from 'zod';
import { mcchatArgv, REPO_ROOT, type Place } from './mcchat-driver.js';
import { runToExit, startProcess, type RunningProcess } from './processes.js';

/** Drives the classroom commands of `mcchat` (probe, listen --stats) in a namespace. */

const PROBE_TIMEOUT_MS = 30_000;
const READY_TIMEOUT_MS = 15_000;

/** One line of `mcchat probe --json`. */
export const reachRowSchema = z.object({
  ttl: z.number().int().min(1).max(255),
  peers: z.array(z.object({ peerId: z.string().regex(/^[0-9a-f]{16}$/), nick: z.string(), src: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/) })),
});
export type ReachRow = z.infer<typeof reachRowSchema>;

export interface ProbeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly report: string;
}

/** Runs `mcchat probe` to its end. */
export async function runProbe(place: Place, iface: string, ttlMax: number, json: boolean): Promise<ProbeRun> {
  const [command = '', ...rest] = mcchatArgv(place, ['probe', '--iface', iface, '--ttl-max', String(ttlMax), ...(json ? ['--json'] : [])]);
  const { status, proc } = await runToExit(command, rest, { label: `probe from ${place.label}`, cwd: REPO_ROOT, timeoutMs: PROBE_TIMEOUT_MS });
  return { code: status.code, stdout: proc.stdoutLines.join('\n'), report: proc.report() };
}

export function parseReachRows(stdout: string): ReachRow[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => reachRowSchema.parse(JSON.parse(line)));
}

/** The peer id a running mcchat says it is ("you are bob [b797 d87d 488c 1c5c] …"). */
export async function peerIdOf(proc: RunningProcess): Promise<string> {
  const line = await proc.waitForLine('stderr', (l) => l.includes('you are'), READY_TIMEOUT_MS);
  const fingerprint = /\[([0-9a-f]{4}(?: [0-9a-f]{4}){3})\]/.exec(line)?.[1];
  if (!fingerprint) throw new Error(`no fingerprint in ${JSON.stringify(line)}`);
  return fingerprint.replaceAll(' ', '');
}

/** `mcchat listen --json --stats` (a member), resolved once it says where it listens. */
export async function startStatsListener(place: Place, iface: string): Promise<RunningProcess> {
  const [command = '', ...rest] = mcchatArgv(place, ['listen', '--json', '--stats', '--iface', iface]);
  const proc = startProcess(command, rest, { label: `listen --stats on ${place.label}`, cwd: REPO_ROOT });
  await proc.waitForLine('stderr', (line) => line.includes('listening on'), READY_TIMEOUT_MS);
  return proc;
}

/** The last line of `listen --stats --json`. */
export const statsLineSchema = z.object({
  kind: z.literal('stats'),
  peers: z.array(
    z.object({
      peerId: z.string(),
      nick: z.string().nullable(),
      received: z.number(),
      gaps: z.number(),
      repaired: z.number(),
      lost: z.number(),
      duplicates: z.number(),
      reordered: z.number(),
    }),
  ),
  counters: z.record(z.string(), z.number()),
});
export type StatsLine = z.infer<typeof statsLineSchema>;
