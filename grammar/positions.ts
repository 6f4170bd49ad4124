// Offsets to 1-based lines and columns, computed in one place from the text (the lexer only
// tracks offsets, which is cheaper). Columns count UTF-16 units, as JavaScript strings and LSP do.
import type { Position, SourceRange } from './ast.js';

/** One less than the number of recent positions a LineMap keeps (a power of two). */
const RECENT_MASK = 63;

export class LineMap {
  /** Offset of the first character of each line. */
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    // Without a `\r`, every line ends at a `\n`, which indexOf finds (a builtin, fast from the
    // first call) instead of a loop over every character (which a fresh process interprets).
    if (text.indexOf('\r') === -1) {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  /** The line (0-based) of the last lookup: the tree is built in source order, so most lookups
   *  fall on that line or the next, and skip the binary search. */
  private lastLine = 0;

  /** The position of an offset, clamped into the text so a range never leaves the file. */
  position(offset: number): Position {
    const at = Math.max(0, Math.min(Number.isFinite(offset) ? offset : this.text.length, this.text.length));
    const made = this.recent[at & RECENT_MASK];
    if (made !== undefined && made.offset === at) return made;
    const starts = this.lineStarts;
    let line = this.lastLine;
    if (!(starts[line]! <= at && (line + 1 >= starts.length || at < starts[line + 1]!))) {
      if (line + 2 < starts.length && starts[line + 1]! <= at && at < starts[line + 2]!) line++;
      else line = this.lineOf(at);
      this.lastLine = line;
    }
    const position = { offset: at, line: line + 1, column: at - starts[line]! + 1 };
    this.recent[at & RECENT_MASK] = position;
    return position;
  }

  /** Positions made lately, by offset modulo their number. A node starts where its first child
   *  starts and ends where its last child ends (a layer, its call and the call's name), so most
   *  positions asked for were made moments before: one object is shared instead of a copy each. A
   *  megabyte of layers was a third garbage collection, mostly copying positions. Nothing changes a
   *  position once made, so sharing one cannot be seen. */
  private readonly recent: (Position | undefined)[] = new Array(RECENT_MASK + 1);
  private lastRange: RangeOfLines | undefined;

  private lineOf(at: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle]! <= at) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** The half-open range [start, end), its positions made when read (RangeOfLines). */
  range(start: number, end: number): SourceRange {
    const from = this.clamp(start);
    const to = Math.max(this.clamp(end), from);
    // A node of one child spans what the child spans (an argument and its value): the same range.
    const last = this.lastRange;
    if (last !== undefined && last.startOffset === from && last.endOffset === to) return last;
    return (this.lastRange = new RangeOfLines(this, from, to));
  }

  private clamp(offset: number): number {
    return Math.max(0, Math.min(Number.isFinite(offset) ? offset : this.text.length, this.text.length));
  }
}

/** A range that keeps its two offsets and makes its positions (line and column) when they are read.
 *  A megabyte's tree has ~190,000 ranges, and two positions each were ~40% of its objects, which a
 *  fresh process's garbage collector copied between generations while the parse went on; most are
 *  never read (only a diagnosed node's are). */
class RangeOfLines implements SourceRange {
  // Private, so not one of its keys: two ranges of equal offsets are equal however they were parsed.
  readonly #lines: LineMap;
  constructor(
    lines: LineMap,
    readonly startOffset: number,
    readonly endOffset: number,
  ) {
    this.#lines = lines;
  }
  get start(): Position {
    return this.#lines.position(this.startOffset);
  }
  get end(): Position {
    return this.#lines.position(this.endOffset);
  }
  toJSON(): { start: Position; end: Position } {
    return { start: this.start, end: this.end };
  }
}
