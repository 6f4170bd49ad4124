// How an op's arguments are declared: name, type, default (none: required). Arguments bind by
// position in declaration order or by name; the same table drives did-you-mean and the docs.
import type { ActivationSpec } from '../../ir/types.js';

export type ArgType =
  /** A whole number ≥ min (sizes, counts). */
  | { kind: 'int'; min: number }
  | { kind: 'number'; min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }
  | { kind: 'bool' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'activation' }
  /** `k` or `[kh, kw]`, whole numbers ≥ 1. */
  | { kind: 'pair' }
  /** `[d1, d2, ...]`, whole numbers ≥ 1, one of them may be -1 (inferred). */
  | { kind: 'dims' };

export type ArgValue = number | boolean | string | ActivationSpec | [number, number] | number[];

export interface ArgSpec {
  name: string;
  type: ArgType;
  /** Absent: the argument is required (unless `optional`). */
  default?: ArgValue;
  /** No default and not required: absent from the bound arguments (the op derives it: maxpool's stride). */
  optional?: boolean;
}

export interface Signature {
  name: string;
  args: readonly ArgSpec[];
}

export type BoundArgs = Record<string, ArgValue>;

export const int = (min = 1): ArgType => ({ kind: 'int', min });
export const probability: ArgType = { kind: 'number', min: 0, max: 1, maxExclusive: true };
export const positive: ArgType = { kind: 'number', min: 0, minExclusive: true };
export const nonNegative: ArgType = { kind: 'number', min: 0 };
export const anyNumber: ArgType = { kind: 'number' };
export const bool: ArgType = { kind: 'bool' };
export const activation: ArgType = { kind: 'activation' };
export const pair: ArgType = { kind: 'pair' };
export const dims: ArgType = { kind: 'dims' };
export const oneOf = (...values: string[]): ArgType => ({ kind: 'enum', values });

export function describeType(type: ArgType): string {
  switch (type.kind) {
    case 'int':
      return type.min <= 0 ? 'a whole number' : `a whole number ≥ ${type.min}`;
    case 'number':
      return 'a number';
    case 'bool':
      return '`true` or `false`';
    case 'enum':
      return type.values.map((v) => `\`${v}\``).join(' or ');
    case 'activation':
      return 'an activation';
    case 'pair':
      return 'a size `k` or `[kh, kw]`';
    case 'dims':
      return 'a list of sizes `[d1, d2, ...]`';
  }
}
