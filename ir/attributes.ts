// The vocabulary in which ir/ops.ts declares each op's attributes and each term's options: one
// declaration gives both the TypeScript type (AttrsOf) and the JSON schema (ir/schema.ts), so the
// two cannot drift.
import type { ActivationSpec } from './activation.js';

export type AttrType =
  | { kind: 'int'; min?: number }
  | { kind: 'number'; min?: number; exclusiveMin?: number; exclusiveMax?: number }
  | { kind: 'bool' }
  | { kind: 'string' }
  /** A tensor a term reads: a model input, a node, or a node's named output (`<id>:<output>`). */
  | { kind: 'tensor' }
  | { kind: 'enum'; values: readonly string[] }
  /** `[h, w]`, whole numbers ≥ 1. */
  | { kind: 'pair' }
  /** `[d1, d2, ...]`, whole numbers ≥ 1, at least one. */
  | { kind: 'sizes' }
  | { kind: 'activation' };

export interface Field<T extends AttrType = AttrType, Optional extends boolean = boolean> {
  type: T;
  optional: Optional;
  doc?: string;
}

export type Fields = Readonly<Record<string, Field>>;

export const int = (min?: number) => ({ kind: 'int', ...(min !== undefined ? { min } : {}) }) as const;
export const number = (bounds: { min?: number; exclusiveMin?: number; exclusiveMax?: number } = {}) => ({ kind: 'number', ...bounds }) as const;
export const bool = { kind: 'bool' } as const;
export const string = { kind: 'string' } as const;
export const tensor = { kind: 'tensor' } as const;
export const oneOf = <const V extends readonly string[]>(...values: V) => ({ kind: 'enum', values }) as const;
export const pair = { kind: 'pair' } as const;
export const sizes = { kind: 'sizes' } as const;
export const activation = { kind: 'activation' } as const;

export const required = <T extends AttrType>(type: T, doc?: string): Field<T, false> => ({ type, optional: false, ...(doc ? { doc } : {}) });
export const optional = <T extends AttrType>(type: T, doc?: string): Field<T, true> => ({ type, optional: true, ...(doc ? { doc } : {}) });

export type ValueOf<T extends AttrType> = T extends { kind: 'int' | 'number' }
  ? number
  : T extends { kind: 'bool' }
    ? boolean
    : T extends { kind: 'string' | 'tensor' }
      ? string
      : T extends { kind: 'enum'; values: readonly (infer V)[] }
        ? V
        : T extends { kind: 'pair' }
          ? [number, number]
          : T extends { kind: 'sizes' }
            ? number[]
            : T extends { kind: 'activation' }
              ? ActivationSpec
              : never;

export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The object a field map declares: required fields as they are, optional ones with `?`. */
export type AttrsOf<F extends Fields> = Simplify<
  { -readonly [K in keyof F as F[K]['optional'] extends false ? K : never]: ValueOf<F[K]['type']> } & {
    -readonly [K in keyof F as F[K]['optional'] extends true ? K : never]?: ValueOf<F[K]['type']>;
  }
>;
