// ir/graph.ts through validateIR: an IR that passes the schema but is not a sound graph (a dangling
// reference, a duplicate id, a parameter whose shape its node cannot use) is refused with the JSON
// path of the problem; loading it for a run is a user error (exit 1), not a crash in a kernel.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { validateIR } from '../../ir/schema-validation.js';
import type { IRModel, IRNode } from '../../ir/types.js';
import { useTempDir } from '../data/temp-dir.js';

const tempDir = useTempDir();
const golden = (name: string): IRModel => JSON.parse(readFileSync(join(import.meta.dirname, '../../specs/valid', name), 'utf8'));
const broken = (name: string, edit: (ir: IRModel) => void): IRModel => {
  const ir = golden(name);
  edit(ir);
  return ir;
};
const problem = (ir: IRModel): string => {
  const result = validateIR(ir);
  return result.ok ? 'ok' : result.error;
};
const nodeIndex = (ir: IRModel, op: string) => ir.nodes.findIndex((n) => n.op === op);

describe('IR graph validation', () => {
  it('accepts every golden IR', () => {
    for (const name of ['cae.ir.json', 'contractive.ir.json', 'hinton2006.ir.json']) expect(problem(golden(name)), name).toBe('ok');
  });

  it('refuses a node input that names nothing earlier', () => {
    const ir = broken('cae.ir.json', (ir) => (ir.nodes[2]!.inputs[0] = 'nowhere'));
    expect(problem(ir)).toBe("IR /nodes/2/inputs/0: 'nowhere' is not an input or an earlier node");
    const later = broken('cae.ir.json', (ir) => (ir.nodes[1]!.inputs[0] = ir.nodes[3]!.id));
    expect(problem(later)).toMatch(/^IR \/nodes\/1\/inputs\/0: '.*' is not an input or an earlier node$/);
  });

  it('refuses duplicate node and parameter ids', () => {
    expect(problem(broken('cae.ir.json', (ir) => (ir.nodes[3]!.id = ir.nodes[2]!.id)))).toMatch(/^IR \/nodes\/3\/id: duplicate id/);
    expect(problem(broken('cae.ir.json', (ir) => (ir.parameters[1]!.id = ir.parameters[0]!.id)))).toMatch(/^IR \/parameters\/1\/id: duplicate parameter id/);
  });

  it('refuses a tiedTo, a fromLogits and an output that resolve to nothing', () => {
    const tied = golden('cae.ir.json').parameters.findIndex((p) => p.tiedTo !== undefined);
    expect(tied).toBeGreaterThanOrEqual(0);
    expect(problem(broken('cae.ir.json', (ir) => (ir.parameters[tied]!.tiedTo = 'gone')))).toBe(`IR /parameters/${tied}/tiedTo: no parameter 'gone'`);
    const logits = broken('cae.ir.json', (ir) => ((ir.objective[0]!.options as { fromLogits?: string }).fromLogits = 'gone'));
    expect(problem(logits)).toBe("IR /objective/0/options/fromLogits: 'gone' is not an input or a node");
    expect(problem(broken('cae.ir.json', (ir) => (ir.outputs.latent = 'gone')))).toBe("IR /outputs/latent: 'gone' is not a node");
    expect(problem(broken('cae.ir.json', (ir) => (ir.objective[0]!.args[1] = 'gone')))).toBe("IR /objective/0/args/1: 'gone' is not an input or a node");
  });

  it('checks a named output against the op that declares it, and the inputs an op reads', () => {
    const unpool = nodeIndex(golden('cae.ir.json'), 'unpool');
    const switches = golden('cae.ir.json').nodes[unpool]!.inputs[1]!;
    expect(switches).toMatch(/^encoder\.\d\.maxpool:switches$/);
    const pool = switches.split(':')[0]!;
    const wrongOutput = broken('cae.ir.json', (ir) => (ir.nodes[unpool]!.inputs[1] = `${pool}:codes`));
    expect(problem(wrongOutput)).toBe(`IR /nodes/${unpool}/inputs/1: '${pool}:codes' names no output of '${pool}': a maxpool has no output 'codes' (it has switches)`);
    const conv = golden('cae.ir.json').nodes.find((n) => n.op === 'conv2d')!.id;
    const noLogits = broken('cae.ir.json', (ir) => (ir.nodes[unpool]!.inputs[1] = `${conv}:logits`));
    expect(problem(noLogits)).toBe(`IR /nodes/${unpool}/inputs/1: '${conv}:logits' names no output of '${conv}': its activation is not sigmoid or softmax, so it has no logits`);
    const value = broken('cae.ir.json', (ir) => (ir.nodes[unpool]!.inputs[1] = pool));
    expect(problem(value)).toBe(`IR /nodes/${unpool}/inputs/1: the unpool's switches input must be the \`switches\` output of a node, not '${pool}'`);
    const overlapping = broken('cae.ir.json', (ir) => {
      const node = ir.nodes.find((n) => n.id === pool) as IRNode<'maxpool'>;
      node.attrs.stride = [1, 1];
    });
    expect(problem(overlapping)).toMatch(/its windows overlap \(stride ≠ pool\), so it records no switches$/);
    const extra = broken('cae.ir.json', (ir) => ir.nodes[unpool]!.inputs.push('x'));
    expect(problem(extra)).toBe(`IR /nodes/${unpool}/inputs: a unpool reads 1 to 2 inputs (x, switches), not 3`);
    const vq = golden('vqvae.ir.json');
    expect(problem(vq)).toBe('ok');
    const term = vq.objective.findIndex((t) => t.fn === 'vq_loss');
    expect(problem(broken('vqvae.ir.json', (ir) => (ir.objective[term]!.args[1] = 'latent.z:quantised')))).toBe(
      `IR /objective/${term}/args/1: 'latent.z:quantised' names no output of 'latent.z': a vector_quantize has no output 'quantised' (it has codes, quantized)`,
    );
  });

  it('refuses parameters whose shape the node cannot use, and node shapes its op does not make', () => {
    const ir = golden('hinton2006.ir.json');
    const dense = nodeIndex(ir, 'dense');
    const kernel = ir.nodes[dense]!.params!.kernel!;
    const bad = broken('hinton2006.ir.json', (ir) => (ir.parameters.find((p) => p.id === kernel)!.shape = [3, 3]));
    expect(problem(bad)).toMatch(new RegExp(`^IR /nodes/${dense}/params/kernel: parameter '${kernel}' has shape \\[3,3\\], the dense needs \\[\\d+,\\d+\\]$`));
    const shape = broken('hinton2006.ir.json', (ir) => (ir.nodes[dense]!.shape = [null, 7]));
    expect(problem(shape)).toMatch(new RegExp(`^IR /nodes/${dense}/shape: \\[null,7\\] is not what dense makes of`));
  });

  it('makes a bad IR a user error with its path when a run loads it (exit 1)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.ir.json'), JSON.stringify(broken('hinton2006.ir.json', (ir) => (ir.nodes[1]!.inputs[0] = 'nowhere'))));
    let stderr = '';
    const exit = await main(['train', 'bad.ir.json', '--data', 'synthetic', '--epochs', '1'], { stdout: () => {}, stderr: (s) => (stderr += s), isTTY: false, cwd: dir });
    expect(exit).toBe(1);
    expect(stderr).toContain("IR /nodes/1/inputs/0: 'nowhere' is not an input or an earlier node");
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
