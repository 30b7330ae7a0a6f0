import type { WirePart, WirePartKind } from './wire-story.js';

/**
 * A datagram as Wireshark's bytes pane shows it: offset, 16 bytes in hex, the same bytes as
 * ASCII (a dot for anything else, so no byte from the network can act as a control character),
 * with each byte's part of the frame kept so the page can colour runs of the same part.
 */
export interface HexRun {
  readonly kind: WirePartKind;
  /** "4d 43 43" */
  readonly hex: string;
  /** "MCC" */
  readonly text: string;
}

export interface HexRow {
  /** "0000", "0010", … in hex, like the protocol document's dumps. */
  readonly offset: string;
  readonly runs: readonly HexRun[];
  /** Bytes in this row: fewer than the width only in the last one. */
  readonly count: number;
}

export const HEX_ROW_BYTES = 16;

/** The character shown for a byte: printable ASCII as itself, everything else as a dot. */
export function printable(byte: number): string {
  return byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.';
}

/** Which part each byte belongs to; bytes outside every part count as raw. */
function kindsOf(size: number, parts: readonly WirePart[]): WirePartKind[] {
  const kinds = new Array<WirePartKind>(size).fill('raw');
  for (const part of parts) for (let i = Math.max(0, part.start); i < Math.min(size, part.end); i++) kinds[i] = part.kind;
  return kinds;
}

export function hexRows(bytes: Uint8Array, parts: readonly WirePart[], width = HEX_ROW_BYTES): HexRow[] {
  const kinds = kindsOf(bytes.length, parts);
  const rows: HexRow[] = [];
  for (let start = 0; start < bytes.length; start += width) {
    const end = Math.min(bytes.length, start + width);
    const runs: HexRun[] = [];
    let runStart = start;
    for (let i = start + 1; i <= end; i++) {
      if (i < end && kinds[i] === kinds[runStart]) continue;
      const slice = bytes.subarray(runStart, i);
      runs.push({ kind: kinds[runStart] ?? 'raw', hex: Array.from(slice, (b) => b.toString(16).padStart(2, '0')).join(' '), text: Array.from(slice, printable).join('') });
      runStart = i;
    }
    rows.push({ offset: start.toString(16).padStart(4, '0'), runs, count: end - start });
  }
  return rows;
}
