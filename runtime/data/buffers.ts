// Growing numeric buffers for readers that learn the size of their data only at its end (CSV).
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DataError } from './errors.js';

/** Numbers appended one or many at a time, in a Float64Array that doubles as it fills. */
export class Float64List {
  private values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) this.values = grow(this.values, this.length * 2);
    this.values[this.length++] = value;
  }

  append(values: ArrayLike<number>): void {
    if (this.length + values.length > this.values.length) this.values = grow(this.values, Math.max(this.length + values.length, this.length * 2));
    this.values.set(values, this.length);
    this.length += values.length;
  }

  /** The values appended, in an array of their exact length. */
  toArray(): Float64Array {
    return this.values.slice(0, this.length);
  }
}

export type Spooled = { kind: 'memory'; values: Float32Array } | { kind: 'file'; fd: number; length: number };

/**
 * Float32 values appended row after row: in memory while they take at most `spillAbove` bytes,
 * then in a spill file in the system's temporary directory. The spill file is unlinked as soon as
 * it is created, so it has no name while it is used: a killed process leaves nothing behind, and
 * the disk space returns when its descriptor is closed.
 */
export class Float32Spool {
  private memory: Float32Array | undefined = new Float32Array(1024);
  private length = 0;
  private fd: number | undefined;
  private pending = new Float32Array(0);
  private pendingLength = 0;
  /** Bytes in the spill file so far. */
  private written = 0;

  constructor(private readonly spillAbove: number) {}

  append(values: ArrayLike<number>): void {
    const total = this.length + values.length;
    if (this.memory && total * 4 > this.spillAbove) this.spill();
    if (this.memory) {
      if (total > this.memory.length) this.memory = grow(this.memory, Math.max(total, Math.min(this.memory.length * 2, Math.floor(this.spillAbove / 4))));
      this.memory.set(values, this.length);
    } else {
      if (this.pendingLength + values.length > this.pending.length) this.flush(values.length);
      this.pending.set(values, this.pendingLength);
      this.pendingLength += values.length;
    }
    this.length = total;
  }

  /** Everything appended: an array of its exact length, or the spill file's descriptor (the caller
   *  closes it) holding `length` float32 values in this machine's byte order. */
  finish(): Spooled {
    if (this.memory) {
      const values = this.memory.length === this.length ? this.memory : this.memory.slice(0, this.length);
      this.memory = undefined;
      return { kind: 'memory', values };
    }
    this.flush(0);
    this.pending = new Float32Array(0);
    const fd = this.fd!;
    this.fd = undefined;
    return { kind: 'file', fd, length: this.length };
  }

  /** Releases the spill file after a failure. */
  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.memory = undefined;
  }

  private spill(): void {
    this.fd = openSpillFile();
    this.pending = new Float32Array(1 << 20);
    this.write(this.memory!.subarray(0, this.length));
    this.memory = undefined;
  }

  /** Writes the pending values out, and makes room for at least `next` more. */
  private flush(next: number): void {
    this.write(this.pending.subarray(0, this.pendingLength));
    this.pendingLength = 0;
    if (next > this.pending.length) this.pending = new Float32Array(next);
  }

  private write(values: Float32Array): void {
    writeSpill(this.fd!, new Uint8Array(values.buffer, values.byteOffset, values.byteLength), this.written);
    this.written += values.byteLength;
  }
}

/** A new spill file in the system's temporary directory, open for reading and writing, already
 *  unlinked (see Float32Spool); the caller closes the descriptor. */
export function openSpillFile(): number {
  const path = join(tmpdir(), `aelang-spill-${process.pid}-${randomUUID()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
    return fd;
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    throw new DataError(`cannot create a spill file in ${tmpdir()} to stream the data set: ${(error as Error).message}`);
  }
}

/** Writes all of `bytes` at `position` of a spill file. */
export function writeSpill(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done, position + done);
    } catch (error) {
      throw new DataError(`cannot write the spill file in ${tmpdir()} to stream the data set: ${(error as Error).message}`);
    }
  }
}

function grow<T extends Float32Array | Float64Array>(values: T, capacity: number): T {
  const bigger = new (values.constructor as new (length: number) => T)(capacity);
  bigger.set(values);
  return bigger;
}
