import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freshConfigHome } from '../helpers/config-home.js';
import { systemTool } from '../netns/processes.js';
import { sleep, waitFor } from '../helpers/wait.js';

/**
 * What the wire tests need: tshark capturing on the loopback interface (never anything else),
 * the mcchat CLI run from source, and the capture read back datagram by datagram.
 *
 * Network safety: the capture is on `lo` only, and every datagram (the readiness probe, the
 * CLI's) is sent via 127.0.0.1 with TTL 0.
 */

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO_ROOT, 'electron/cli/mcchat.ts');
const TSHARK = systemTool('tshark');
export const LOOPBACK_IFACE = 'lo';
export const LOOPBACK_ADDRESS = '127.0.0.1';

export type SupportCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Linux, root (capturing needs it) and Debian's tshark. */
export function checkCaptureSupport(): SupportCheck {
  if (process.platform !== 'linux') return { ok: false, reason: `the capture test runs on Linux, this is ${process.platform}` };
  if (process.getuid?.() !== 0) return { ok: false, reason: `not running as root (uid ${process.getuid?.()})` };
  const version = spawnSync(TSHARK, ['-v'], { encoding: 'utf8', timeout: 10_000 });
  if (version.error || version.status !== 0) return { ok: false, reason: 'tshark not found (apt-get install tshark)' };
  if (!existsSync(`/sys/class/net/${LOOPBACK_IFACE}`)) return { ok: false, reason: `no ${LOOPBACK_IFACE} interface` };
  return { ok: true };
}

/** A child process with its output collected; ended only by its own PID. */
export interface Child {
  readonly label: string;
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
  exitCode: number | null | undefined;
}

const children = new Set<Child>();

function track(label: string, child: ChildProcessWithoutNullStreams): Child {
  const run: Child = {
    label,
    child,
    stdout: '',
    stderr: '',
    exitCode: undefined,
    exited: new Promise((resolve) =>
      child.on('close', (code) => {
        run.exitCode = code;
        children.delete(run);
        resolve(code);
      }),
    ),
  };
  children.add(run);
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (run.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
  child.on('error', (error) => (run.stderr += `\n[spawn error] ${error.message}`));
  return run;
}

/**
 * `node --import tsx electron/cli/mcchat.ts …`: one process (no tsx wrapper in between), so a
 * signal to its PID reaches the CLI itself. The environment's MCCHAT_* settings are cleared;
 * `passphrase` sets MCCHAT_PASSPHRASE for this run only.
 */
export function startMcchat(label: string, args: readonly string[], passphrase?: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, MCCHAT_IFACE: '', MCCHAT_NICK: '', MCCHAT_PROFILE: '', MCCHAT_PASSPHRASE: passphrase ?? '', XDG_CONFIG_HOME: freshConfigHome(label) },
  });
  return track(label, child);
}

/** Waits for the process to exit, killing it (by its PID) if it overstays. */
export async function finished(run: Child, timeoutMs: number): Promise<number | null> {
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  try {
    return await run.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Ends every process this file started that is still running, each by its own PID. */
export function killStarted(): void {
  for (const run of children) run.child.kill('SIGKILL');
  children.clear();
}

export function describeRun(run: Child): string {
  return `${run.label} (exit ${String(run.exitCode)})\n--- stdout ---\n${run.stdout.slice(-4000)}\n--- stderr ---\n${run.stderr.slice(-4000)}`;
}

export interface Capture {
  readonly file: string;
  readonly run: Child;
  /** Stops the capture (SIGINT to tshark's PID, which closes the file cleanly). */
  stop(): Promise<void>;
}

/**
 * tshark on `lo` with the capture filter `udp port <port>`, writing a classic pcap. `-P -l`
 * prints a line per packet as it is captured, which is how `probeCapture` knows what is in it. `-a duration:` is a backstop: the capture ends by itself even if this test
 * process dies.
 */
export function startCapture(file: string, port: number, maxSeconds: number): Capture {
  const child = spawn(TSHARK, ['-i', LOOPBACK_IFACE, '-f', `udp port ${port}`, '-n', '-l', '-P', '-F', 'pcap', '-w', file, '-a', `duration:${maxSeconds}`], {
    cwd: path.dirname(file),
  });
  const run = track('tshark', child);
  return {
    file,
    run,
    async stop() {
      if (run.exitCode !== undefined) return;
      child.kill('SIGINT');
      await finished(run, 10_000);
    },
  };
}

/**
 * Sends a small raw datagram `text` to `probeGroup:port` via 127.0.0.1 (TTL 0), again every
 * 100 ms, until tshark's packet list shows a datagram of its length (`Len=<bytes>`; our frames
 * are all far longer). Before the first message: the capture is known to be live. After the
 * last one: everything sent before it has reached the file, since packets are captured in order
 * and the capture buffer hands out the last ones only when something newer pushes them out.
 * The probe group is one no room uses.
 */
export async function probeCapture(capture: Capture, probeGroup: string, port: number, text: string, timeoutMs: number): Promise<void> {
  const seen = `Len=${Buffer.byteLength(text)}\n`;
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, LOOPBACK_ADDRESS, () => resolve());
  });
  try {
    socket.setMulticastInterface(LOOPBACK_ADDRESS);
    socket.setMulticastTTL(0);
    const deadline = Date.now() + timeoutMs;
    while (!capture.run.stdout.includes(seen)) {
      if (capture.run.exitCode !== undefined) throw new Error(`tshark exited while waiting for the probe "${text}":\n${describeRun(capture.run)}`);
      if (Date.now() > deadline) throw new Error(`tshark did not show the probe "${text}" within ${timeoutMs} ms:\n${describeRun(capture.run)}`);
      await new Promise<void>((resolve) => socket.send(text, port, probeGroup, () => resolve()));
      await sleep(100);
    }
  } finally {
    socket.close();
  }
}

export interface CapturedDatagram {
  readonly dst: string;
  readonly ttl: number;
  readonly payload: Buffer;
}

/** Every UDP datagram in the pcap, read back with `tshark -r … -T fields`. */
export function readCapture(file: string): CapturedDatagram[] {
  const result = spawnSync(TSHARK, ['-r', file, '-n', '-T', 'fields', '-E', 'separator=\t', '-e', 'ip.dst', '-e', 'ip.ttl', '-e', 'udp.payload'], {
    encoding: 'utf8',
    timeout: 20_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) throw new Error(`tshark -r failed (${String(result.error ?? result.status)}): ${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [dst = '', ttl = '', hex = ''] = line.split('\t');
      return { dst, ttl: Number(ttl), payload: Buffer.from(hex.replace(/:/g, ''), 'hex') };
    });
}

/**
 * The forms a text could take in a capture that a casual look (Wireshark's bytes pane, `strings`,
 * a hex search) would find: UTF-8, UTF-16 both ways, hex digits as text, and base64 at each of
 * its three alignments.
 */
export function encodingsOf(text: string): Array<{ readonly form: string; readonly bytes: Buffer }> {
  const utf8 = Buffer.from(text, 'utf8');
  const utf16le = Buffer.from(text, 'utf16le');
  const utf16be = Buffer.from(utf16le).swap16();
  const forms = [
    { form: 'utf-8', bytes: utf8 },
    { form: 'utf-16le', bytes: utf16le },
    { form: 'utf-16be', bytes: utf16be },
    { form: 'hex', bytes: Buffer.from(utf8.toString('hex'), 'latin1') },
    { form: 'HEX', bytes: Buffer.from(utf8.toString('hex').toUpperCase(), 'latin1') },
  ];
  for (let shift = 0; shift < 3; shift++) {
    // base64 of the text behind `shift` unknown bytes: drop the output characters those touch.
    const encoded = Buffer.concat([Buffer.alloc(shift), utf8]).toString('base64').replace(/=+$/, '');
    const stable = encoded.slice(Math.ceil((shift * 4) / 3) + (shift === 0 ? 0 : 1), encoded.length - 4);
    if (stable.length >= 8) {
      forms.push({ form: `base64+${shift}`, bytes: Buffer.from(stable, 'latin1') });
      forms.push({ form: `base64url+${shift}`, bytes: Buffer.from(stable.replace(/\+/g, '-').replace(/\//g, '_'), 'latin1') });
    }
  }
  return forms;
}

/** The clear header of one of our frames (`MCC2 {…}\n…`), or null. */
export function headerOf(payload: Buffer): Record<string, unknown> | null {
  const prefix = 'MCC2 ';
  if (payload.subarray(0, prefix.length).toString('latin1') !== prefix) return null;
  const end = payload.indexOf(0x0a);
  if (end < 0) return null;
  try {
    const json: unknown = JSON.parse(payload.subarray(prefix.length, end).toString('utf8'));
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export { waitFor };

/** A captured frame's body: between the header's line feed and the signature line (v2: a line feed and 86 characters). */
export function bodyOf(payload: Buffer): Buffer | null {
  const start = payload.indexOf(0x0a);
  const end = payload.length - 87;
  return start < 0 || end <= start || payload[end] !== 0x0a ? null : payload.subarray(start + 1, end);
}
