/**
 * One generation of a room's log file: the descriptor (opened 'a+': appends go to the end,
 * reads are positional), its size, and where its byte 0 sits in the logical offsets cursors use
 * (compaction drops a prefix: the next generation starts further on). Readers hold a reference
 * so compaction can swap files under them without closing a descriptor they are reading.
 */
import { close, fsync, read, readSync } from 'node:fs';

export interface IoCounters {
  bytesRead: number;
}

export class LogFile {
  private refs = 1;

  constructor(
    readonly fd: number,
    /** Logical offset of this file's byte 0. */
    readonly base: number,
    /** Bytes written so far (the writer keeps this up to date). */
    public size: number,
    private readonly io: IoCounters,
  ) {}

  acquire(): this {
    this.refs++;
    return this;
  }

  /** Drops a reference; the descriptor closes with the last one. */
  release(): void {
    if (--this.refs === 0) close(this.fd, () => undefined);
  }

  async read(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const n = await new Promise<number>((resolve, reject) =>
        read(this.fd, buffer, filled, length - filled, position + filled, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))),
      );
      if (n === 0) break;
      filled += n;
    }
    this.io.bytesRead += filled;
    return buffer.subarray(0, filled);
  }

  readSync(position: number, length: number): Buffer {
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const n = readSync(this.fd, buffer, filled, length - filled, position + filled);
      if (n === 0) break;
      filled += n;
    }
    this.io.bytesRead += filled;
    return buffer.subarray(0, filled);
  }

  sync(): Promise<void> {
    return new Promise((resolve, reject) => fsync(this.fd, (error) => (error ? reject(error) : resolve())));
  }
}

/** Newlines (= lines) in `[from, to)` of the file, read in 1 MiB chunks. */
export async function countLines(file: LogFile, from: number, to: number): Promise<number> {
  let count = 0;
  for (let pos = from; pos < to; ) {
    const chunk = await file.read(pos, Math.min(1 << 20, to - pos));
    if (chunk.length === 0) break;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) count++;
    pos += chunk.length;
  }
  return count;
}
