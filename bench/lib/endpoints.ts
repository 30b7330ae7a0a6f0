/**
 * Network safety: the benchmark only ever uses loopback, groups 239.255.77.x and ports
 * 47000-47999. Every endpoint comes from here.
 */
export const LOOPBACK = '127.0.0.1';
/** TTL 0 on top of the loopback interface: nothing could leave this host even if misrouted. */
export const BENCH_TTL = 0;

const PORT_MIN = 47000;
const PORT_MAX = 47999;
const GROUP_MIN = 10;
const GROUP_MAX = 249;

export interface Endpoint {
  readonly group: string;
  readonly port: number;
}

// A random start, so two benchmark runs at once (a quick test during a full run) rarely meet.
let portCursor = Math.floor(Math.random() * (PORT_MAX - PORT_MIN + 1));
let groupCursor = Math.floor(Math.random() * (GROUP_MAX - GROUP_MIN + 1));

/** A fresh group and port for one phase, so nothing from a previous phase can leak in. */
export function nextEndpoint(): Endpoint {
  const port = PORT_MIN + (portCursor++ % (PORT_MAX - PORT_MIN + 1));
  const group = `239.255.77.${GROUP_MIN + (groupCursor++ % (GROUP_MAX - GROUP_MIN + 1))}`;
  return { group, port };
}

/** Refuses anything outside the benchmark's address plan (workers check their arguments). */
export function assertSafeEndpoint(endpoint: Endpoint): void {
  if (!/^239\.255\.77\.\d{1,3}$/.test(endpoint.group) || endpoint.port < PORT_MIN || endpoint.port > PORT_MAX) {
    throw new Error(`endpoint ${endpoint.group}:${endpoint.port} is outside 239.255.77.x / ${PORT_MIN}-${PORT_MAX}`);
  }
}
