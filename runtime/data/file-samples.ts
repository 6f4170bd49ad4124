// Samples streamed from a file of fixed-size records at a known offset (IDX, NPY, and the spill files
// a large CSV or gzipped IDX file becomes), read with positioned reads when a batch needs them and
// scaled on the way out. Node has no mmap; positioned reads (pread) from the page cache are its
// equivalent here: the kernel keeps the pages it has read cached while memory allows and drops them
// when it does not, and the process itself holds only one read buffer.
import { closeSync, readSync } from 'node:fs';
import { convertValues, type Scaling, type ValueScan } from './dataset.js';
import { DataError } from './errors.js';
import type { SampleStream } from './samples.js';

/** One stored value: its size, byte order and how to read it from a DataView. */
export interface ElementType {
  dtype: string;
  bytes: number;
  littleEndian: boolean;
  read(view: DataView, offset: number): number;
}

export interface RecordLayout {
  /** Byte offset of the first sample. */
  dataStart: number;
  /** Values per sample. */
  sampleSize: number;
  element: ElementType;
}

/** The float32 values of a spill file, in this machine's byte order. */
export const NATIVE_FLOAT32: ElementType = {
  dtype: 'float32',
  bytes: 4,
  littleEndian: new Uint8Array(new Uint16Array([1]).buffer)[0] === 1,
  read: (view, offset) => view.getFloat32(offset, NATIVE_FLOAT32.littleEndian),
};

/** Reads are split into pieces of about this size, so no buffer grows with the request. */
const READ_BYTES = 16 * 1024 * 1024;

export class FileSamples implements SampleStream {
  private readonly reader: RecordReader;
  private isClosed = false;

  /** Takes ownership of `fd`: close() closes it. */
  constructor(
    private readonly fd: number,
    private readonly file: string,
    private readonly layout: RecordLayout,
    private readonly count: number,
    private readonly scaling: Scaling,
  ) {
    this.reader = new RecordReader(fd, file, layout);
  }

  readRange(start: number, count: number, out: Float32Array, offset: number): void {
    if (this.isClosed) throw new DataError(`${this.file}: the data set was closed; load it again to read it`);
    if (start < 0 || start + count > this.count) throw new RangeError(`samples ${start}..${start + count - 1} are outside ${this.file} (${this.count} samples)`);
    const size = this.layout.sampleSize;
    forEachPiece(this.layout, start, count, (first, samples) => {
      convertValues(this.reader.values(first, samples), samples * size, out, offset + (first - start) * size, this.scaling);
    });
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    closeSync(this.fd);
  }
}

/** Passes every stored value of the first `count` samples to `scan`, piece by piece: the pre-pass
 *  that lets a streamed file follow the same scaling rule as one read whole. */
export function scanRecords(fd: number, file: string, layout: RecordLayout, count: number, scan: ValueScan): void {
  const reader = new RecordReader(fd, file, layout);
  forEachPiece(layout, 0, count, (first, samples) => scan.add(reader.values(first, samples), samples * layout.sampleSize));
}

/** Reads samples' stored values, reusing its buffers from read to read. */
class RecordReader {
  private buffer = new Uint8Array(0);
  private decoded = new Float64Array(0);

  constructor(
    private readonly fd: number,
    private readonly file: string,
    private readonly layout: RecordLayout,
  ) {}

  /** The stored values of samples first .. first + samples - 1, as numbers (valid until the next call). */
  values(first: number, samples: number): ArrayLike<number> {
    const { dataStart, sampleSize, element } = this.layout;
    const length = samples * sampleSize;
    const bytes = length * element.bytes;
    if (this.buffer.length < bytes) this.buffer = new Uint8Array(bytes);
    readFully(this.fd, this.buffer, bytes, dataStart + first * sampleSize * element.bytes, this.file);
    if (this.decoded.length < length && !hasView(element)) this.decoded = new Float64Array(length);
    return decode(this.buffer, length, element, this.decoded);
  }
}

function forEachPiece(layout: RecordLayout, start: number, count: number, each: (first: number, samples: number) => void): void {
  const perPiece = Math.max(1, Math.floor(READ_BYTES / (layout.sampleSize * layout.element.bytes)));
  for (let first = start; first < start + count; first += perPiece) each(first, Math.min(perPiece, start + count - first));
}

/** Typed-array views where the bytes can be used as they are (the buffer starts at offset 0, so
 *  it is aligned); a DataView read per value otherwise (other byte order, 16/32/64-bit integers). */
function decode(buffer: Uint8Array, length: number, element: ElementType, out: Float64Array): ArrayLike<number> {
  if (element.dtype === 'uint8') return buffer;
  if (element.dtype === 'int8') return new Int8Array(buffer.buffer, 0, length);
  if (hasView(element)) return element.dtype === 'float32' ? new Float32Array(buffer.buffer, 0, length) : new Float64Array(buffer.buffer, 0, length);
  const view = new DataView(buffer.buffer, 0, length * element.bytes);
  for (let i = 0; i < length; i++) out[i] = element.read(view, i * element.bytes);
  return out;
}

function hasView(element: ElementType): boolean {
  return element.bytes === 1 || ((element.dtype === 'float32' || element.dtype === 'float64') && element.littleEndian === NATIVE_FLOAT32.littleEndian);
}

export function readFully(fd: number, buffer: Uint8Array, length: number, position: number, file: string): void {
  for (let done = 0; done < length; ) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) throw new DataError(`${file}: ended ${length - done} bytes early; the file changed after it was checked`);
    done += read;
  }
}
