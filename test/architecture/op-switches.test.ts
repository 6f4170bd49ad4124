// No code outside the op registry switches on op names (docs/architecture.md, "One registry entry
// per op"): what general code needs to know of an op is a trait or a rule of its registry entry
// (ir/ops.ts, ir/op-rules.ts), and an engine's or exporter's lowering is a table keyed by op type.
// This test reads every non-test TypeScript source outside the registry and the lowering tables
// and fails listing each `case '<op>'` of a switch on an op or term function, and each
// `op === '<op>'` / `fn !== '<term>'`, for every op of irOps and every term of irTerms.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { irOps, irTerms } from '../../ir/ops.js';

const ROOT = join(import.meta.dirname, '../..');

/** Where op names may be switched on: the registry, and each engine's or exporter's lowering. */
const ALLOWED: { path: string; why: string }[] = [
  { path: 'ir/ops.ts', why: 'the registry: declarations, traits' },
  { path: 'ir/op-rules.ts', why: 'the registry: rules typed by attributes' },
  { path: 'ir/outputs.ts', why: 'the registry: named outputs' },
  { path: 'ir/upgrade.ts', why: 'reads version 1 of the IR, whose op names it pins' },
  { path: 'compiler/shapes/', why: "the compiler's half of each registry entry" },
  { path: 'compiler/objective/builtins.ts', why: "the loss terms' registry entries" },
  { path: 'runtime/program/ops/', why: 'the tfjs lowering table' },
  { path: 'runtime/objective/terms/', why: "the tfjs terms' lowering table" },
  { path: 'onnx/lowering/lower', why: 'the ONNX engine lowering tables' },
  { path: 'onnx/lowering/terms.ts', why: "the ONNX engine terms' lowering" },
  { path: 'export/onnx/', why: 'the ONNX exporter lowering' },
  { path: 'export/pytorch/', why: 'the PyTorch exporter lowering' },
  { path: 'export/sequence-nodes.ts', why: "the exporters' 1-D ops as 2-D ones" },
];

const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'test', '.git', 'coverage']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) || entry.name.startsWith('.') ? [] : sources(path);
    const source = entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts') && !entry.name.includes('.generated.');
    return source ? [path] : [];
  });
}

export interface OpSwitch {
  line: number;
  text: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The op-name switches in `source`: `case '<name>'` under a `switch` whose subject is an op or a
 * term function (`node.op`, `term.fn`, `op`), and comparisons of one (`x.op === '<name>'`,
 * `fn !== '<name>'`, either side). A `case 'dropout'` under `switch (noise.kind)` is no op switch.
 */
export function findOpSwitches(source: string, names: readonly string[]): OpSwitch[] {
  const name = `'(?:${names.map(escape).join('|')})'`;
  const compare = new RegExp(`\\b(?:op|fn)\\s*[!=]==?\\s*${name}|${name}\\s*[!=]==?\\s*[\\w.?!]*\\b(?:op|fn)\\b`);
  const caseOf = new RegExp(`\\bcase\\s+${name}\\s*:`);
  const found: OpSwitch[] = [];
  let onOps = false;
  source.split('\n').forEach((text, i) => {
    const subject = /\bswitch\s*\((.*)\)\s*\{/.exec(text)?.[1];
    if (subject !== undefined) onOps = /(?:^|\.)\s*(?:op|fn)$/.test(subject.trim());
    if (compare.test(text) || (onOps && caseOf.test(text))) found.push({ line: i + 1, text: text.trim() });
  });
  return found;
}

const NAMES = [...Object.keys(irOps), ...Object.keys(irTerms)];

describe('op-name switches', () => {
  it('finds a switch planted in a string, and leaves other switches alone', () => {
    const planted = [
      'function f(node: IRNode) {',
      '  switch (node.op) {',
      "    case 'dense':",
      '      return 1;',
      '  }',
      "  if (node.op === 'maxpool') return 2;",
      "  if (latent?.op !== 'gaussian_sample') return 3;",
      "  if (term.fn === 'kl') return 4;",
      "  if ('vq_loss' === term.fn) return 5;",
      '  switch (noise.kind) {',
      "    case 'dropout':",
      '      return 6;',
      '  }',
      "  if (kind === 'dense') return 7;",
      '}',
    ].join('\n');
    expect(findOpSwitches(planted, NAMES).map((s) => s.line)).toEqual([3, 6, 7, 8, 9]);
  });

  it('no source outside the registry and the lowering tables switches on an op or term name', () => {
    const offending = sources(ROOT)
      .map((file) => relative(ROOT, file).split('\\').join('/'))
      .filter((file) => !ALLOWED.some((allowed) => file === allowed.path || file.startsWith(allowed.path)))
      .flatMap((file) => findOpSwitches(readFileSync(join(ROOT, file), 'utf8'), NAMES).map((s) => `${file}:${s.line}: ${s.text}`));
    expect(offending).toEqual([]);
  });
});
