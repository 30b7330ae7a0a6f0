import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { pollUntil, startProcess, systemTool, type RunningProcess } from '../processes.js';
import { BRIDGE, BRIDGE_ADDRESS, PYTHON } from './lab-net.js';

/**
 * tshark on the bridge (inside the bridge namespace): every datagram to the group, once, whoever
 * sent it and whoever dropped it afterwards (the loss is at the receivers' input hook, behind the
 * bridge). Each is classified by its frame type, `t` in the JSON header after `MCC<version> `.
 *
 * Windows: a marker datagram sent now from the bridge namespace to `markerPort` (no peer listens
 * there, and the loss tables count only the room's port) comes back from tshark with its capture
 * time; tshark prints in capture order, so once it is printed so is everything before it.
 */

export interface Frame {
  /** Capture time, ms since 1970. */
  readonly at: number;
  readonly src: string;
  readonly dstPort: number;
  /** UDP payload bytes. */
  readonly bytes: number;
  /** `t` of the header; `raw` for a datagram without the marker, `invalid` for a header that is not JSON. */
  readonly type: string;
  readonly header: Readonly<Record<string, unknown>> | null;
  /** Hash of the payload: a repair or a history answer resends a chat datagram byte for byte. */
  readonly digest: string;
  readonly markerText: string | null;
}

export interface BridgeCapture {
  readonly process: RunningProcess;
  /** Frames of the room's port captured so far (markers left out). */
  frames(): readonly Frame[];
  /** Sends a marker and resolves with its capture time once it (and all before it) is printed. */
  mark(): Promise<number>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const MARK_TIMEOUT_MS = 60_000;
const MARKER = /^MCC(\d{1,4}) /;
const run = promisify(execFile);

/** The header of an MCC datagram, generously: any version digits, JSON up to the first line feed. */
export function parseHeader(payload: Buffer): { type: string; header: Record<string, unknown> | null } {
  const head = payload.subarray(0, 12).toString('latin1');
  const marker = MARKER.exec(head);
  if (!marker) return { type: 'raw', header: null };
  const end = payload.indexOf(0x0a);
  if (end < 0) return { type: 'invalid', header: null };
  try {
    const json: unknown = JSON.parse(payload.subarray(marker[0].length, end).toString('utf8'));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return { type: 'invalid', header: null };
    const header = json as Record<string, unknown>;
    return { type: typeof header['t'] === 'string' ? header['t'] : 'invalid', header };
  } catch {
    return { type: 'invalid', header: null };
  }
}

function parseLine(line: string): Frame | null {
  const [epoch = '', port = '', src = '', hex = ''] = line.split('\t');
  if (!/^\d+(\.\d+)?$/.test(epoch) || !/^\d+$/.test(port)) return null;
  const payload = Buffer.from(hex.replace(/:/g, ''), 'hex');
  const { type, header } = parseHeader(payload);
  const text = payload.toString('latin1');
  return {
    at: Number(epoch) * 1000,
    src,
    dstPort: Number(port),
    bytes: payload.length,
    type,
    header,
    digest: createHash('sha1').update(payload).digest('hex'),
    markerText: text.startsWith('scale-lab marker ') ? text : null,
  };
}

async function sendMarker(bridgeNamespace: string, group: string, port: number, text: string): Promise<void> {
  const script = [
    'import socket, sys',
    's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
    's.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)',
    's.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[1]))',
    's.sendto(sys.argv[4].encode(), (sys.argv[2], int(sys.argv[3])))',
  ].join('\n');
  await run(systemTool('ip'), ['netns', 'exec', bridgeNamespace, PYTHON, '-c', script, BRIDGE_ADDRESS, group, String(port), text], { timeout: 10_000 });
}

export async function startBridgeCapture(bridgeNamespace: string, group: string, markerPort: number): Promise<BridgeCapture> {
  const args = [
    'netns', 'exec', bridgeNamespace, systemTool('tshark'),
    '-i', BRIDGE, '-f', `udp and dst host ${group}`, '-n', '-l',
    '-T', 'fields', '-E', 'separator=/t',
    '-e', 'frame.time_epoch', '-e', 'udp.dstport', '-e', 'ip.src', '-e', 'udp.payload',
  ];
  const proc = startProcess(systemTool('ip'), args, { label: `tshark on ${BRIDGE} in ${bridgeNamespace}` });
  // Parsed once each, as they come.
  const parsed: Frame[] = [];
  const markers = new Map<string, number>();
  let consumed = 0;
  const drain = (): void => {
    const lines = proc.stdoutLines;
    for (; consumed < lines.length; consumed++) {
      const frame = parseLine(lines[consumed] ?? '');
      if (!frame) continue;
      if (frame.dstPort === markerPort && frame.markerText) markers.set(frame.markerText, frame.at);
      else parsed.push(frame);
    }
  };
  let count = 0;
  const mark = async (timeoutMs = MARK_TIMEOUT_MS): Promise<number> => {
    const text = `scale-lab marker ${process.pid} ${++count}`;
    let lastSent = 0;
    return pollUntil(
      () => {
        drain();
        const at = markers.get(text);
        if (at !== undefined) return at;
        // Resent every second until seen: the first may go out before tshark is live.
        if (Date.now() - lastSent > 1_000) {
          lastSent = Date.now();
          void sendMarker(bridgeNamespace, group, markerPort, text).catch(() => undefined);
        }
        return undefined;
      },
      timeoutMs,
      () => `waiting for tshark to print marker ${JSON.stringify(text)}\n${proc.report()}`,
      () => (proc.exitStatus() ? `tshark exited: ${proc.stderrLines.slice(-3).join(' ')}` : undefined),
    );
  };
  await mark(READY_TIMEOUT_MS);
  return {
    process: proc,
    frames: () => {
      drain();
      return parsed;
    },
    mark: () => mark(),
    stop: () => proc.stop(),
  };
}

/** Frames captured in [from, to] (capture times). */
export function framesBetween(frames: readonly Frame[], from: number, to: number): Frame[] {
  return frames.filter((f) => f.at >= from && f.at <= to);
}
