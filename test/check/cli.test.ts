// `ae compile` and `ae summary`: output, exit codes 0/1/2.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { validateIR } from '../../ir/schema-validation.js';

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, cwd });
  return { code, stdout, stderr };
}

const mlp = `model a {
  input x: [784] in [0, 1]
  encoder { dense(128, act = relu) }
  latent z = dense(8)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = bce(x_hat, x)
}
`;

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ae-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('ae compile', () => {
  it('prints the IR of the one model, valid and with a cwd-relative source', async () => {
    const dir = workspace({ 'm.ae': mlp });
    const { code, stdout } = await run(['compile', 'm.ae'], dir);
    expect(code).toBe(0);
    const ir = JSON.parse(stdout);
    expect(validateIR(ir).ok).toBe(true);
    expect(ir.source).toBe('m.ae');
    expect(ir.outputs).toMatchObject({ reconstruction: 'output.x_hat', target: 'x', latent: 'latent.z' });
  });

  it('writes -o OUT; several models need --model (exit 2 listing them)', async () => {
    const dir = workspace({ 'two.ae': mlp + mlp.replace('model a', 'model b') });
    const several = await run(['compile', 'two.ae'], dir);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('choose one with --model (a, b)');
    expect((await run(['compile', 'two.ae', '--model', 'b', '-o', 'b.json'], dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')).model).toBe('b');
    expect((await run(['compile', 'two.ae', '--model', 'c'], dir)).code).toBe(2);
  });

  it('exits 1 with the diagnostics when the model has errors', async () => {
    const dir = workspace({ 'bad.ae': mlp.replace('dense(8)', 'dense(8.5)') });
    const { code, stdout, stderr } = await run(['compile', 'bad.ae'], dir);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('bad.ae:4:20: error AE2015');
  });
});

describe('ae summary', () => {
  it('text like Keras: rows, shapes without the batch dimension, totals', async () => {
    const dir = workspace({ 'm.ae': mlp });
    const { code, stdout } = await run(['summary', 'm.ae'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/encoder\.0\.dense \(dense\)\s+\[128\]\s+100,480/);
    expect(stdout).toContain('Total params: 203,800');
    expect(stdout).toContain('Trainable params: 203,800');
    expect(stdout).toContain('Non-trainable params: 0');
  });

  it('json', async () => {
    const dir = workspace({ 'm.ae': mlp });
    const { code, stdout } = await run(['summary', 'm.ae', '--format', 'json'], dir);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.models[0]).toMatchObject({
      name: 'a',
      parameters: 203800,
      trainableParameters: 203800,
      inputs: [{ name: 'x', shape: [784] }],
      latent: { name: 'z', shape: [8] },
      output: { name: 'x_hat', shape: [784] },
    });
    expect(json.models[0].layers[0]).toEqual({ name: 'encoder.0.dense', op: 'dense', shape: [128], parameters: 100480 });
  });
});
