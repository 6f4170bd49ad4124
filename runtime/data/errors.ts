/**
 * Data that cannot feed the model: a file that does not parse, a sample whose shape does not fit the
 * input, labels that do not match. Raised while loading, before any training starts; the message
 * names the file, the row or sample (1-based; for CSV the line number) and both shapes.
 */
export class DataError extends Error {
  readonly code = 'DATA_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

/** `[28, 28, 1]` for messages. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

export function product(shape: readonly number[]): number {
  return shape.reduce((size, d) => size * d, 1);
}
