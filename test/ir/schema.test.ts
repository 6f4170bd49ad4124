// The IR goldens against ir/ir.schema.json, determinism, the validator's error paths, and
// formatting invariance (a formatted spec compiles to the same IR apart from source locations).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { serializeIR } from '../../compiler/emit-ir.js';
import { validateIR } from '../../ir/schema-validation.js';
import * as aePlugin from '../../compiler/format/plugin.js';
import { repositoryRoot } from '../goldens/files.js';
import { compileSpec, irSpecFiles } from '../goldens/ir.js';

const goldens = irSpecFiles().map((source) => ({ source, golden: source.replace(/\.ae$/, '.ir.json') }));
const irsOf = (golden: string): unknown[] => {
  const json = JSON.parse(readFileSync(golden, 'utf8')) as unknown;
  return Array.isArray(json) ? json : [json];
};

/** The IR without `source` keys (file positions change when the text is reformatted). */
function withoutSources(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSources);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'source').map(([k, v]) => [k, withoutSources(v)]));
  }
  return value;
}

describe('IR schema', () => {
  it.each(goldens.map((g) => [relative(repositoryRoot, g.golden), g.golden]))('%s validates', (_name, golden) => {
    for (const ir of irsOf(golden)) expect(validateIR(ir)).toMatchObject({ ok: true });
  });

  it('compiling twice gives byte-identical JSON', () => {
    for (const { source } of goldens) expect(compileSpec(source)).toBe(compileSpec(source));
  });

  it('rejects a bad IR with the path of the first error', () => {
    const ir = structuredClone(irsOf(goldens.find((g) => g.source.endsWith('vae.ae'))!.golden)[0]) as Record<string, any>;
    ir.nodes[0].attrs.units = 'many';
    const result = validateIR(ir);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^IR \/nodes\/0\/attrs\/units must be integer .*\(schema .*units\/type\)$/);
  });

  it('is strict: unknown properties and unknown ops are rejected', () => {
    const base = irsOf(goldens[0]!.golden)[0] as Record<string, any>;
    const extra = { ...structuredClone(base), extra: 1 };
    expect(validateIR(extra)).toMatchObject({ ok: false, error: expect.stringContaining('must NOT have additional properties') });
    const badOp = structuredClone(base);
    badOp.nodes[0].op = 'conv3d';
    expect(validateIR(badOp)).toMatchObject({ ok: false, error: expect.stringContaining('/nodes/0/op') });
    const badTerm = structuredClone(base);
    badTerm.objective[0].options.reduce = 'max';
    expect(validateIR(badTerm)).toMatchObject({ ok: false, error: expect.stringContaining('/objective/0/options/reduce') });
  });

  it.each(goldens.map((g) => [relative(repositoryRoot, g.source), g.source]))('formatting %s does not change its IR', async (_name, source) => {
    const text = readFileSync(source, 'utf8');
    const formatted = await format(text, { parser: 'aelang', plugins: [aePlugin] });
    const file = relative(repositoryRoot, source);
    const before = analyzeSource(text, file, { cwd: repositoryRoot }).irs;
    const after = analyzeSource(formatted, file, { cwd: repositoryRoot }).irs;
    expect(after.length).toBe(before.length);
    expect(withoutSources(after)).toEqual(withoutSources(before));
  });

  it('writes two-space JSON with a final newline', () => {
    const text = compileSpec(goldens[0]!.source);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "irVersion": 2,');
    expect(serializeIR([])).toBe('[]\n');
  });
});
