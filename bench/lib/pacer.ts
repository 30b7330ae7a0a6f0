/**
 * Sends `count` items at `rate` per second on a 1 ms timer, catching up when the timer is late
 * (a burst of the missed ones, as a person's client would not, but as a steady load should).
 */
export function pace(rate: number, count: number, sendOne: (index: number) => void): Promise<void> {
  return new Promise((resolve) => {
    const start = performance.now();
    let sent = 0;
    const tick = (): void => {
      const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) sendOne(sent++);
      if (sent >= count) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 1);
    tick();
  });
}

/** A monotonic timestamp every process on this host agrees on (CLOCK_MONOTONIC on Linux), in ns. */
export function hostNanos(): bigint {
  return process.hrtime.bigint();
}

/** The latency probe's text: index and send time, padded to a chat-sized message. */
export function probeText(index: number, textBytes: number): string {
  return `L ${index} ${hostNanos()} `.padEnd(textBytes, '.');
}

export interface Probe {
  readonly index: number;
  readonly sentNs: bigint;
}

const PROBE = /^L (\d+) (\d+) /;

/** Index and send time of a probe text, or null for anything else. */
export function readProbe(text: string): Probe | null {
  const match = PROBE.exec(text);
  if (!match?.[1] || !match[2]) return null;
  return { index: Number(match[1]), sentNs: BigInt(match[2]) };
}

/** Milliseconds from a probe's send time to `now`. */
export function sinceSentMs(probe: Probe, now: bigint = hostNanos()): number {
  return Number(now - probe.sentNs) / 1e6;
}
