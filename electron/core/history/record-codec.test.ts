import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';
import { scanBackward, type Readable } from './line-scanner.js';
import { compareOrder, decodeLine, encodeRecords, lineIsIntact, MAX_LINE_BYTES } from './record-codec.js';
import { testRecord } from './test-records.js';
import type { HistoryRecord } from './types.js';

function lines(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let start = 0; start < bytes.length; ) {
    const nl = bytes.indexOf(0x0a, start);
    out.push(bytes.subarray(start, nl));
    start = nl + 1;
  }
  return out;
}

function memory(bytes: Buffer): Readable {
  return { read: async (position, length) => bytes.subarray(position, position + length) };
}

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('agrees with a bitwise CRC-32 at every length and offset', () => {
    const bitwise = (bytes: Uint8Array): number => {
      let crc = 0xffffffff;
      for (const byte of bytes) {
        crc ^= byte;
        for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
      }
      return (crc ^ 0xffffffff) >>> 0;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(7), (bytes, skip) => {
        const from = Math.min(skip, bytes.length);
        expect(crc32(bytes, from)).toBe(bitwise(bytes.subarray(from)));
      }),
    );
  });
});

describe('record codec', () => {
  it('round-trips records, one line each, whatever the text holds', () => {
    const records: HistoryRecord[] = [
      testRecord(1),
      testRecord(2, 'line one\nline two\r\n"quoted" \\ back\u2028slash'),
      testRecord(3, 'Grüße, 世界 🎉 \ud800 lone'),
      { ...testRecord(4), wire: ['AAEC', 'AwQF'] },
      { ...testRecord(5), order: 42 },
    ];
    const { bytes, oversized, lastCrc } = encodeRecords(records);
    expect(oversized).toBe(0);
    const decoded = lines(bytes).map((line) => decodeLine(line));
    expect(decoded).toHaveLength(records.length);
    expect(decoded[0]).toEqual(records[0]);
    expect(decoded[1]).toEqual(records[1]);
    expect(decoded[2]!.message.text).toBe(records[2]!.message.text);
    expect(decoded[3]!.wire).toEqual(['AAEC', 'AwQF']);
    expect(decoded[4]!.order).toBe(42);
    expect(lastCrc).toBe(lines(bytes)[4]!.subarray(0, 8).toString('latin1'));
  });

  it('rejects a torn, bit-flipped or foreign line', () => {
    const line = lines(encodeRecords([testRecord(7)]).bytes)[0]!;
    expect(lineIsIntact(line)).toBe(true);
    expect(decodeLine(line.subarray(0, line.length - 3))).toBeNull();
    for (const at of [0, 5, 8, 20, line.length - 1]) {
      const flipped = Buffer.from(line);
      flipped[at]! ^= 0x04;
      expect(decodeLine(flipped), `flip at ${at}`).toBeNull();
    }
    expect(decodeLine(Buffer.from('garbage'))).toBeNull();
    expect(decodeLine(Buffer.alloc(0))).toBeNull();
    // Intact CRC but not a record.
    const json = '{"k":1}';
    const foreign = Buffer.from(`${crc32(Buffer.from(json)).toString(16).padStart(8, '0')} ${json}`);
    expect(lineIsIntact(foreign)).toBe(true);
    expect(decodeLine(foreign)).toBeNull();
  });

  it('leaves out a record too large for a line', () => {
    const batch = encodeRecords([testRecord(1), testRecord(2, 'x'.repeat(MAX_LINE_BYTES)), testRecord(3)]);
    expect(batch.oversized).toBe(1);
    expect(batch.records.map((r) => r.key)).toEqual(['peer1/m1', 'peer1/m3']);
    expect(lines(batch.bytes).map((l) => decodeLine(l)?.key)).toEqual(['peer1/m1', 'peer1/m3']);
  });

  it('orders numbers numerically, strings by code unit, numbers first', () => {
    const sorted = ['b', 10, 'a', 2, 'B'].sort(compareOrder);
    expect(sorted).toEqual([2, 10, 'B', 'a', 'b']);
  });
});

describe('scanBackward', () => {
  it('yields every line newest first with its offsets, whatever the chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '😀', 'z') , maxLength: 40 }), { maxLength: 30 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        async (texts, unterminated, chunkBytes) => {
          const text = texts.join('\n') + (unterminated || texts.length === 0 ? '' : '\n');
          const bytes = Buffer.from(text);
          const expected: { start: number; content: string }[] = [];
          let start = 0;
          for (const [i, t] of texts.entries()) {
            const length = Buffer.byteLength(t);
            if (!(i === texts.length - 1 && unterminated && length === 0)) expected.push({ start, content: t });
            start += length + 1;
          }
          const seen: { start: number; content: string }[] = [];
          for await (const batch of scanBackward(memory(bytes), bytes.length, { chunkBytes, maxChunkBytes: chunkBytes * 4 })) {
            for (const line of batch.lines) {
              expect(line.end - line.start).toBe(line.bytes!.length);
              seen.push({ start: line.start, content: line.bytes!.toString() });
            }
          }
          expect(seen.reverse()).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('marks only a last line without newline as unterminated, and stops at a floor', async () => {
    const bytes = Buffer.from('one\ntwo\nthr');
    const all = [];
    for await (const batch of scanBackward(memory(bytes), bytes.length, { chunkBytes: 3 })) all.push(...batch.lines);
    expect(all.map((l) => [l.bytes!.toString(), l.terminated])).toEqual([
      ['thr', false],
      ['two', true],
      ['one', true],
    ]);
    const floored = [];
    for await (const batch of scanBackward(memory(bytes), 8, { floor: 4 })) floored.push(...batch.lines);
    expect(floored.map((l) => l.bytes!.toString())).toEqual(['two']);
  });

  it('skips an oversized line without buffering it, and keeps the lines around it', async () => {
    const big = 'x'.repeat(MAX_LINE_BYTES + 10);
    const bytes = Buffer.from(`first\n${big}\nlast\n`);
    const all = [];
    for await (const batch of scanBackward(memory(bytes), bytes.length, { chunkBytes: 1 << 20 })) all.push(...batch.lines);
    expect(all.map((l) => (l.bytes ? l.bytes.toString() : `<${l.end - l.start}>`))).toEqual(['last', `<${big.length}>`, 'first']);
    expect(all[1]!.start).toBe(6);
  });
});
