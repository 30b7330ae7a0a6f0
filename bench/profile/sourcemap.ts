/** Just enough of source map v3 to turn a bundle position back into file:line. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface RawSourceMap {
  readonly sources: readonly string[];
  readonly sourceRoot?: string;
  readonly mappings: string;
}

/** [generated column, source index, original line] per segment, per generated line. */
type Segment = readonly [number, number, number];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = DIGIT.get(char) ?? 0;
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  return values;
}

export class SourceMap {
  private readonly lines: Segment[][] = [];
  private readonly sources: string[];

  constructor(raw: RawSourceMap, mapDir: string) {
    this.sources = raw.sources.map((s) => path.resolve(mapDir, raw.sourceRoot ?? '', s));
    let source = 0;
    let line = 0;
    for (const lineText of raw.mappings.split(';')) {
      const segments: Segment[] = [];
      let column = 0;
      for (const segmentText of lineText.split(',')) {
        if (!segmentText) continue;
        const [col = 0, src, orig] = decodeVlq(segmentText);
        column += col;
        if (src === undefined || orig === undefined) continue;
        source += src;
        line += orig;
        segments.push([column, source, line]);
      }
      this.lines.push(segments);
    }
  }

  static load(mapFile: string): SourceMap | null {
    try {
      return new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as RawSourceMap, path.dirname(mapFile));
    } catch {
      return null;
    }
  }

  /** Original absolute file and 0-based line of a 0-based generated position, if mapped. */
  original(line: number, column: number): { file: string; line: number } | null {
    const segments = this.lines[line];
    if (!segments || segments.length === 0) return null;
    let best: Segment | undefined;
    for (const segment of segments) {
      if (segment[0] > column) break;
      best = segment;
    }
    best ??= segments[0];
    const file = best ? this.sources[best[1]] : undefined;
    return best && file ? { file, line: best[2] } : null;
  }
}
