/**
 * Checks over what lab peers printed: completeness, each message shown once, per-sender order,
 * and whether several receivers agree on one order. Pure functions over plain records, so the
 * future reliability tests can assert on them directly and print them when they fail.
 */

/** What a receiver showed, in the order it showed it. */
export interface Shown {
  readonly id: string;
  readonly peerId: string | null;
  readonly seq: number | null;
  readonly text: string;
  /** The core's order key (hybrid logical clock, then sender): where the UI puts the message. */
  readonly order?: string;
}

/** What a sender sent (a bulk-send `sent` line). */
export interface Sent {
  readonly id: string;
  readonly seq: number | null;
  readonly i: number;
}

export interface Delivery {
  readonly sent: number;
  /** Distinct sent messages that were shown at least once. */
  readonly delivered: number;
  readonly deliveryRate: number;
  /** Ids sent but never shown (first 20). */
  readonly missing: readonly string[];
  readonly missingCount: number;
  /** Shows beyond the first of the same id: must be 0 (a duplicate shown twice). */
  readonly shownTwice: number;
}

/** Compares what one sender sent with what a receiver showed of that sender. */
export function delivery(sent: readonly Sent[], shown: readonly Shown[]): Delivery {
  const sentIds = new Set(sent.map((s) => s.id));
  const counts = new Map<string, number>();
  for (const message of shown) if (sentIds.has(message.id)) counts.set(message.id, (counts.get(message.id) ?? 0) + 1);
  const missing = sent.filter((s) => !counts.has(s.id)).map((s) => s.id);
  let shownTwice = 0;
  for (const n of counts.values()) shownTwice += n - 1;
  return {
    sent: sent.length,
    delivered: counts.size,
    deliveryRate: sent.length === 0 ? Number.NaN : counts.size / sent.length,
    missing: missing.slice(0, 20),
    missingCount: missing.length,
    shownTwice,
  };
}

/** Ids shown more than once, with their counts. */
export function shownMoreThanOnce(shown: readonly Shown[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of shown) counts.set(message.id, (counts.get(message.id) ?? 0) + 1);
  return new Map([...counts].filter(([, n]) => n > 1));
}

export interface OrderReport {
  readonly peerId: string;
  readonly shown: number;
  /** Times a message's seq was lower than the previous shown one of the same sender. */
  readonly descents: number;
  /** Sum of how far back each descent went (seq steps): how deep the reordering was. */
  readonly descentDepth: number;
  /** The first few descents as [previous seq, seq], for messages. */
  readonly examples: readonly (readonly [number, number])[];
}

/** Per sender: were its messages shown in seq order? Zero descents everywhere means per-sender order. */
export function perSenderOrder(shown: readonly Shown[]): OrderReport[] {
  const bySender = new Map<string, { last: number; shown: number; descents: number; depth: number; examples: [number, number][] }>();
  for (const message of shown) {
    if (message.peerId === null || message.seq === null) continue;
    let entry = bySender.get(message.peerId);
    if (!entry) {
      entry = { last: -1, shown: 0, descents: 0, depth: 0, examples: [] };
      bySender.set(message.peerId, entry);
    }
    entry.shown++;
    if (message.seq < entry.last) {
      entry.descents++;
      entry.depth += entry.last - message.seq;
      if (entry.examples.length < 5) entry.examples.push([entry.last, message.seq]);
    }
    entry.last = Math.max(entry.last, message.seq);
  }
  return [...bySender].map(([peerId, e]) => ({ peerId, shown: e.shown, descents: e.descents, descentDepth: e.depth, examples: e.examples }));
}

export interface OrderAgreement {
  /** Messages both receivers showed. */
  readonly common: number;
  /** Pairs of adjacent common messages that the second receiver showed the other way round. */
  readonly inversions: number;
  /** The first id at which the two orders part, if any. */
  readonly firstDifference: string | null;
}

/**
 * Do two receivers show the messages they both have in the same order? Counts adjacent
 * inversions of the first receiver's order as seen by the second (0: identical relative order).
 */
export function orderAgreement(first: readonly Shown[], second: readonly Shown[]): OrderAgreement {
  const positionInSecond = new Map<string, number>();
  second.forEach((message, index) => {
    if (!positionInSecond.has(message.id)) positionInSecond.set(message.id, index);
  });
  const seen = new Set<string>();
  const common: number[] = [];
  const commonIds: string[] = [];
  for (const message of first) {
    if (seen.has(message.id)) continue;
    seen.add(message.id);
    const position = positionInSecond.get(message.id);
    if (position === undefined) continue;
    common.push(position);
    commonIds.push(message.id);
  }
  let inversions = 0;
  let firstDifference: string | null = null;
  for (let i = 1; i < common.length; i++) {
    if ((common[i] ?? 0) < (common[i - 1] ?? 0)) {
      inversions++;
      firstDifference ??= commonIds[i] ?? null;
    }
  }
  return { common: common.length, inversions, firstDifference };
}

/**
 * The messages as the log shows them: sorted by the core's order key (stable for messages
 * without one), first copy of each id only. Arrival order is the array order itself.
 */
export function inDisplayOrder(shown: readonly Shown[]): Shown[] {
  const seen = new Set<string>();
  const unique = shown.filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
  return unique
    .map((message, index) => ({ message, index }))
    .sort((x, y) => {
      const a = x.message.order;
      const b = y.message.order;
      if (a !== undefined && b !== undefined && a !== b) return a < b ? -1 : 1;
      return x.index - y.index;
    })
    .map(({ message }) => message);
}

/** Percent with one decimal, for logs. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`;
}
