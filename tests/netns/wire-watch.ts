import { spawnSync } from 'node:child_process';
import { pollUntil, startProcess, systemTool, type RunningProcess } from './processes.js';

/**
 * tshark inside one of the test's namespaces, printing each datagram sent to a group as it is
 * captured: source, the IP TTL it arrived with, and the payload. This is what a student sees in
 * Wireshark on the far side of a router. Only ever run inside a namespace the test created.
 */

export interface SeenDatagram {
  readonly src: string;
  readonly ttl: number;
  readonly dstPort: number;
  readonly payload: Buffer;
}

export interface WireWatch {
  readonly process: RunningProcess;
  datagrams(): SeenDatagram[];
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;

function parseLine(line: string): SeenDatagram | null {
  const [src = '', ttl = '', port = '', hex = ''] = line.split('\t');
  if (!/^\d+$/.test(ttl)) return null;
  return { src, ttl: Number(ttl), dstPort: Number(port), payload: Buffer.from(hex.replace(/:/g, ''), 'hex') };
}

/** One multicast datagram sent from inside `namespace` (python3, as the lecture's snippets do). */
function sendProbe(namespace: string, address: string, group: string, port: number, text: string): void {
  const script = [
    'import socket, sys',
    's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
    's.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)',
    's.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[1]))',
    's.sendto(sys.argv[4].encode(), (sys.argv[2], int(sys.argv[3])))',
  ].join('\n');
  spawnSync(systemTool('ip'), ['netns', 'exec', namespace, systemTool('python3'), '-c', script, address, group, String(port), text], { stdio: 'ignore', timeout: 10_000 });
}

/**
 * Starts the capture on `iface` in `namespace` and returns once it is known to be live: a probe
 * sent from that namespace to `probePort` (not the room's port, so no peer sees it) shows up.
 */
export async function watchGroup(namespace: string, iface: string, address: string, group: string, probePort: number): Promise<WireWatch> {
  const args = ['netns', 'exec', namespace, systemTool('tshark'), '-i', iface, '-f', `udp and dst host ${group}`, '-n', '-l', '-T', 'fields', '-E', 'separator=\t', '-e', 'ip.src', '-e', 'ip.ttl', '-e', 'udp.dstport', '-e', 'udp.payload'];
  const proc = startProcess(systemTool('ip'), args, { label: `tshark in ${namespace}` });
  const datagrams = (): SeenDatagram[] => proc.stdoutLines.map(parseLine).filter((d): d is SeenDatagram => d !== null && d.dstPort !== probePort);
  const probe = `capture probe ${process.pid}`;
  await pollUntil(
    () => {
      if (proc.stdoutLines.some((line) => parseLine(line)?.dstPort === probePort)) return true;
      sendProbe(namespace, address, group, probePort, probe);
      return undefined;
    },
    READY_TIMEOUT_MS,
    () => `waiting for tshark to capture a probe\n${proc.report()}`,
    () => (proc.exitStatus() ? `tshark exited: ${proc.stderrLines.slice(-3).join(' ')}` : undefined),
  );
  return { process: proc, datagrams, stop: () => proc.stop() };
}
