// Command-line options. Each command declares its options once, in cli/commands/info.ts (type,
// meaning, default); node:util's parseArgs parses them strictly (an unknown option is misuse, exit
// 2), and `--help` is written from the same declarations (cli/help.ts), so help and parsing agree.
import { parseArgs as parseNodeArgs } from 'node:util';
import { UsageError } from './io.js';

export interface OptionSpec {
  /** Takes a value (`--epochs 5`, `--epochs=5`) or is a switch (`--write`). */
  type: 'string' | 'boolean';
  /** One-letter alias, without the dash (`o` for `--out`). */
  short?: string;
  /** What the value is, in help: `N`, `FILE`, `DIR`. */
  value?: string;
  /** What the option does, for help. */
  description: string;
  /** What happens without it, for help; the command applies it. */
  default?: string;
  /** The values it accepts; anything else is misuse. */
  choices?: readonly string[];
}

export type OptionSpecs = Record<string, OptionSpec>;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  color: {
    type: 'string',
    value: 'WHEN',
    choices: ['auto', 'always', 'never'],
    default: 'auto: when the output is a terminal and NO_COLOR is not set, or FORCE_COLOR is',
    description: 'colour in diagnostics',
  },
  help: { type: 'boolean', short: 'h', description: 'show this help and exit' },
} as const satisfies OptionSpecs;

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
}

export function parseArgs(argv: readonly string[], specs: OptionSpecs): ParsedArgs {
  const all: OptionSpecs = { ...specs, ...COMMON_OPTIONS };
  const options = Object.fromEntries(
    Object.entries(all).map(([name, spec]) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }]),
  );
  let parsed;
  try {
    parsed = parseNodeArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseErrorMessage(error, all));
  }
  const flags = parsed.values as ParsedArgs['flags'];
  for (const [name, value] of Object.entries(flags)) {
    const choices = all[name]?.choices;
    if (choices && typeof value === 'string' && !choices.includes(value)) {
      throw new UsageError(`option '--${name}' must be one of ${choices.join(', ')}, got '${value}'`);
    }
  }
  return { positionals: parsed.positionals, flags };
}

/** node:util's messages are written for programmers ("argument is ambiguous"); these for users. */
function parseErrorMessage(error: unknown, specs: OptionSpecs): string {
  const { code, message } = error as { code?: string; message: string };
  const option = /'(?:-\w, )?(-{1,2}[^' ,]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `unknown option '${option}' (options: ${Object.keys(specs).map((n) => `--${n}`).join(', ')})`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take an argument')) return `option '${option}' takes no value`;
    if (message.includes('ambiguous')) return `option '${option}' needs a value (a value starting with '-' is written ${option}=VALUE)`;
    return `option '${option}' needs a value`;
  }
  throw error;
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** An integer flag, at least `min` (default 1), with the flag's name in the error when it is not one. */
export function integerFlag(args: ParsedArgs, name: string, options: { min?: number } = {}): number | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const min = options.min ?? 1;
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`option '--${name}' needs an integer ≥ ${min}, got '${raw}'`);
  }
  return value;
}

export function oneOfFlag<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`option '--${name}' must be one of ${choices.join(', ')}, got '${raw}'`);
  }
  return raw as T;
}

const BYTE_UNITS = new Map([['', 1], ['b', 1], ['k', 1e3], ['kb', 1e3], ['m', 1e6], ['mb', 1e6], ['g', 1e9], ['gb', 1e9], ['t', 1e12], ['tb', 1e12]]);

/** A size in bytes: `16G`, `512MB`, `2.5e10`, or `none` (no limit: Infinity). Units are decimal, as
 *  the AE3014 message prints them. */
export function bytesFlag(args: ParsedArgs, name: string): number | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  if (raw.trim().toLowerCase() === 'none') return Infinity;
  const match = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  const unit = match ? BYTE_UNITS.get(match[2]!.toLowerCase()) : undefined;
  const bytes = match && unit !== undefined ? Number(match[1]) * unit : NaN;
  if (!Number.isFinite(bytes) || bytes <= 0) {
    throw new UsageError(`option '--${name}' needs a size such as 16G, 512M or 2e10 bytes (or 'none'), got '${raw}'`);
  }
  return bytes;
}
