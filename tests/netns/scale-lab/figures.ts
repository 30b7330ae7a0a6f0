/**
 * What one run of the lab at one room size measured, and the growth table across sizes. Pure:
 * no processes, no network.
 */

export interface DeliveryFigures {
  readonly receivers: number;
  readonly messages: number;
  /** Receivers that showed every message exactly once. */
  readonly receiversExact: number;
  /** Per receiver that did not: what was wrong (missing, duplicated, foreign lines). */
  readonly problems: readonly string[];
  /** Chat datagrams the receivers' loss rules dropped, summed over receivers (originals and repairs). */
  readonly lost: number;
  readonly nacks: number;
  /** Mean UDP payload of a NACK datagram. */
  readonly nackBytes: number;
  /** Chat datagrams on the bridge that repeat one seen before (byte for byte): resends. */
  readonly repairs: number;
  /** Distinct chat datagrams on the bridge: the originals. */
  readonly originals: number;
  /** Every receiver's loss table saw as many chat datagrams as the bridge carried (the classification agrees). */
  readonly seenChatMin: number;
  readonly seenChatMax: number;
  readonly chatOnBridge: number;
  /** First line written to the sender → every receiver has all. */
  readonly deliveryMs: number;
  /** Last line written → every receiver has all. */
  readonly tailMs: number;
  readonly sendMs: number;
  /** Kernel UDP receive-buffer overflows in the receivers' namespaces (loss we did not inject). */
  readonly socketDrops: number;
}

export interface NewcomerFigures {
  readonly label: string;
  /** Spawn → "chatting in". */
  readonly startMs: number;
  /** Of the room's history, how many messages it printed as history. */
  readonly history: number;
  /** History lines printed more than once (the same message from two answers). */
  readonly historyDuplicates: number;
  /** Joined → the first history message (null: none). */
  readonly historyFirstMs: number | null;
  /** Joined → it had the whole history (null: never within the observation). */
  readonly historyCompleteMs: number | null;
  readonly peers: number;
  /** Joined → its peer list was complete (null: never within the observation). */
  readonly peersCompleteMs: number | null;
}

export interface JoinFigures {
  readonly existing: number;
  readonly expectedPeers: number;
  /** Messages said before they joined: the history. */
  readonly historySize: number;
  /** The largest answer a `hist` frame announced. */
  readonly historyAnswerSize: number;
  readonly hist: number;
  /** Distinct peers that answered. */
  readonly histSenders: number;
  readonly sync: number;
  /** Chat datagrams resent as history answers in the window. */
  readonly historyDatagrams: number;
  readonly newcomers: readonly NewcomerFigures[];
  /** First to last newcomer's "chatting in": how "at once" the joins were on this machine. */
  readonly joinSpreadMs: number;
  readonly observedMs: number;
}

export interface PresenceFigures {
  readonly members: number;
  readonly windowMs: number;
  readonly hellos: number;
  readonly helloSenders: number;
  readonly helloPayloadBytes: number;
  /** UDP payload bytes of hellos per second on the bridge. */
  readonly bytesPerS: number;
  /** The same with UDP, IPv4 and Ethernet headers (42 bytes a datagram). */
  readonly wireBytesPerS: number;
  /** Σ over members of (its last hello's size ÷ the interval it declares): the steady rate the room promises. */
  readonly declaredBytesPerS: number;
  readonly medianIvlMs: number;
  readonly meanHelloBytes: number;
}

export interface ScaleResult {
  readonly n: number;
  readonly delivery: DeliveryFigures;
  readonly join: JoinFigures;
  readonly presence: PresenceFigures;
  /** Members that did not show the history lines exactly once when they were said (expected: none). */
  readonly historyProblems: readonly string[];
  readonly wallMs: number;
  /** Wall time of each step, ms. */
  readonly steps: Readonly<Record<string, number>>;
}

export const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const f2 = (x: number): string => x.toFixed(2);
const ms = (x: number | null): string => (x === null ? '—' : `${(x / 1000).toFixed(1)} s`);
const maxOrNull = (values: readonly (number | null)[]): number | null => (values.some((v) => v === null) ? null : Math.max(...(values as number[])));

export function withinMs(newcomer: NewcomerFigures, boundMs: number): { history: boolean; peers: boolean } {
  return {
    history: newcomer.historyCompleteMs !== null && newcomer.historyCompleteMs <= boundMs,
    peers: newcomer.peersCompleteMs !== null && newcomer.peersCompleteMs <= boundMs,
  };
}

/** Rows: figure; columns: room sizes. */
export function growthTable(results: readonly ScaleResult[]): string {
  const rows: [string, (r: ScaleResult) => string][] = [
    ['peers in the room (N)', (r) => String(r.n)],
    ['receivers of the 300', (r) => String(r.delivery.receivers)],
    ['all 300 exactly once', (r) => `${r.delivery.receiversExact}/${r.delivery.receivers}`],
    ['lost chat datagrams (Σ receivers)', (r) => String(r.delivery.lost)],
    ['NACK datagrams', (r) => String(r.delivery.nacks)],
    ['NACKs per lost (target ≤ 0.5)', (r) => f2(ratio(r.delivery.nacks, r.delivery.lost))],
    ['NACKs per message', (r) => f2(ratio(r.delivery.nacks, r.delivery.messages))],
    ['repair datagrams', (r) => String(r.delivery.repairs)],
    ['repairs per lost (target ≤ 1)', (r) => f2(ratio(r.delivery.repairs, r.delivery.lost))],
    ['repairs per message', (r) => f2(ratio(r.delivery.repairs, r.delivery.originals))],
    ['NACK size (mean UDP payload)', (r) => `${r.delivery.nackBytes.toFixed(0)} B`],
    ['last sent → all have all', (r) => ms(r.delivery.tailMs)],
    ['socket-buffer drops (not injected)', (r) => String(r.delivery.socketDrops)],
    ['newcomers joining at once', (r) => `${r.join.newcomers.length} (spread ${ms(r.join.joinSpreadMs)})`],
    ['hist frames (2 per answer) / peers answering (target 1)', (r) => `${r.join.hist} / ${r.join.histSenders}`],
    ['history datagrams resent', (r) => `${r.join.historyDatagrams} (${r.join.historySize} said)`],
    ['history datagrams per newcomer', (r) => f2(ratio(r.join.historyDatagrams, r.join.newcomers.length))],
    ['newcomers: history got, min', (r) => `${Math.min(...r.join.newcomers.map((n) => n.history))}/${r.join.historySize}`],
    ['newcomers: whole history after join, max', (r) => ms(maxOrNull(r.join.newcomers.map((n) => n.historyCompleteMs)))],
    ['newcomers: full peer list after join, max', (r) => ms(maxOrNull(r.join.newcomers.map((n) => n.peersCompleteMs)))],
    ['newcomers: history + peers within 3 s', (r) => `${r.join.newcomers.filter((n) => Object.values(withinMs(n, 3_000)).every(Boolean)).length}/${r.join.newcomers.length}`],
    ['idle room: members', (r) => String(r.presence.members)],
    ['hello bytes/s (payload; budget 2,000)', (r) => r.presence.bytesPerS.toFixed(0)],
    ['hello bytes/s declared (Σ size ÷ ivl)', (r) => r.presence.declaredBytesPerS.toFixed(0)],
    ['hello bytes/s on the wire (+42 B headers)', (r) => r.presence.wireBytesPerS.toFixed(0)],
    ['hello size, interval (median)', (r) => `${r.presence.meanHelloBytes.toFixed(0)} B, ${ms(r.presence.medianIvlMs)}`],
    ['wall time of this size', (r) => ms(r.wallMs)],
  ];
  const cells = [['figure', ...results.map((r) => `N = ${r.n}`)], ...rows.map(([label, cell]) => [label, ...results.map(cell)])];
  const widths = (cells[0] ?? []).map((_, col) => Math.max(...cells.map((row) => (row[col] ?? '').length)));
  const line = (row: readonly string[]): string => `| ${row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, col) => (col === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const [header = [], ...body] = cells;
  return [line(header), rule, ...body.map(line)].join('\n');
}
