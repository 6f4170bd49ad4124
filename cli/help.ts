// `ae --help` and `ae help CMD` / `ae CMD --help`, written from the commands' declarations.
import { COMMON_OPTIONS, type OptionSpec } from './args.js';
import type { CommandInfo } from './commands/info.js';

export function overview(list: readonly CommandInfo[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  const lines = list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: ae <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'options:',
    '  -h, --help     show this help and exit',
    '  -V, --version  print the version of aelang and exit',
    '',
    "Run 'ae help <command>' (or 'ae <command> --help') for a command's arguments and options.",
    '',
  ].join('\n');
}

export function commandHelp(info: CommandInfo): string {
  const options = Object.entries({ ...info.options, ...COMMON_OPTIONS }).map(([name, spec]) => [optionSignature(name, spec), optionMeaning(spec)] as const);
  const rows = [...info.arguments, ...options];
  const width = Math.min(Math.max(...rows.map(([left]) => left.length)), 28);
  const row = ([left, right]: readonly [string, string]) =>
    left.length > width ? `  ${left}\n  ${' '.repeat(width)}  ${right}` : `  ${left.padEnd(width)}  ${right}`;
  return [
    `usage: ${info.usage}`,
    '',
    `${info.summary}.`,
    '',
    'arguments:',
    ...info.arguments.map(row),
    '',
    'options:',
    ...options.map(row),
    '',
  ].join('\n');
}

function optionSignature(name: string, spec: OptionSpec): string {
  const long = name.length === 1 ? `-${name}` : `--${name}`;
  const flag = spec.short && spec.short !== name ? `-${spec.short}, ${long}` : `    ${long}`;
  return spec.type === 'string' ? `${flag} ${spec.value ?? 'VALUE'}` : flag;
}

function optionMeaning(spec: OptionSpec): string {
  const choices = spec.choices ? ` (${spec.choices.join(', ')})` : '';
  const fallback = spec.default !== undefined ? `; default: ${spec.default}` : '';
  return `${spec.description}${choices}${fallback}`;
}
