// A small, strict flag parser: unknown flags are misuse (exit 2), not silently ignored.
import { UsageError } from './io.js';

export interface FlagSpec {
  /** Takes a value (`--epochs 5`, `--epochs=5`) or is a switch (`--write`). */
  type: 'string' | 'boolean';
  /** One-letter alias, without the dash (`o` for `--out`). */
  short?: string;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
}

export function parseArgs(argv: readonly string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  const byShort = new Map(Object.entries(spec).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const [rawName, inlineValue] = arg.startsWith('--') ? splitOnce(arg.slice(2), '=') : [arg.slice(1), undefined];
    const name = arg.startsWith('--') ? rawName : byShort.get(rawName);
    const flag = name === undefined ? undefined : spec[name];
    if (name === undefined || flag === undefined) {
      const known = Object.keys(spec).map((n) => `--${n}`).join(', ');
      throw new UsageError(`unknown option '${arg}'${known ? ` (options: ${known})` : ''}`);
    }
    if (flag.type === 'boolean') {
      if (inlineValue !== undefined) throw new UsageError(`option '--${name}' takes no value`);
      flags[name] = true;
      continue;
    }
    const value = inlineValue ?? argv[++i];
    if (value === undefined) throw new UsageError(`option '--${name}' needs a value`);
    flags[name] = value;
  }
  return { positionals, flags };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
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
  if (!Number.isInteger(value) || value < min) {
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
