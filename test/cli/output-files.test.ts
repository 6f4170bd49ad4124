// Issue 22: what `ae compile -o` and `ae export` write is all or nothing (a temporary file renamed
// into place; a full disk leaves nothing half-written and says so in one line), never written
// through a symbolic link unless --force, and never non-finite weights.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { OutputError, writeOutputFiles } from '../../cli/output-files.js';
import { encodeSafetensors } from '../../runtime/runs/index.js';
import type { IRModel } from '../../ir/types.js';

const MODEL = `model m {
  input x: [4] in [0, 1]
  encoder { dense(3) }
  latent z = dense(2)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = bce(x_hat, x)
}
`;

let root = '';
let cwd = '';
let outside = '';
async function ae(...argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), isTTY: false, cwd });
  return { code, ...out };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ae-output-'));
  cwd = join(root, 'work');
  outside = join(root, 'elsewhere');
  mkdirSync(cwd);
  mkdirSync(outside);
  writeFileSync(join(cwd, 'm.ae'), MODEL);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ae compile -o', () => {
  it('writes the IR, leaving no temporary file beside it', async () => {
    expect(await ae('compile', 'm.ae', '-o', 'm.json')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(JSON.parse(readFileSync(join(cwd, 'm.json'), 'utf8')).model).toBe('m');
    expect(readdirSync(cwd).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses an output path that is a symbolic link, and leaves its target alone', async () => {
    writeFileSync(join(outside, 'precious.json'), 'keep me');
    symlinkSync(join(outside, 'precious.json'), join(cwd, 'link.json'));
    const result = await ae('compile', 'm.ae', '-o', 'link.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`ae compile: 'link.json' is a symbolic link (to '${join(outside, 'precious.json')}'); not writing through it (--force replaces the link with the file)\n`);
    expect(readFileSync(join(outside, 'precious.json'), 'utf8')).toBe('keep me');
  });

  it('with --force replaces the link itself, never its target', async () => {
    expect((await ae('compile', 'm.ae', '-o', 'link.json', '--force')).code).toBe(0);
    expect(lstatSync(join(cwd, 'link.json')).isSymbolicLink()).toBe(false);
    expect(JSON.parse(readFileSync(join(cwd, 'link.json'), 'utf8')).model).toBe('m');
    expect(readFileSync(join(outside, 'precious.json'), 'utf8')).toBe('keep me');
  });

  it('refuses a path that leaves the working directory through a linked directory', async () => {
    symlinkSync(outside, join(cwd, 'out'));
    const result = await ae('compile', 'm.ae', '-o', 'out/m.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ae compile: 'out\/m\.json' leads out of the working directory through a symbolic link \(its directory is '.*elsewhere'\); --force writes there anyway\n$/);
    expect(existsSync(join(outside, 'm.json'))).toBe(false);
    expect((await ae('compile', 'm.ae', '-o', 'out/m.json', '--force')).code).toBe(0);
    expect(existsSync(join(outside, 'm.json'))).toBe(true);
  });
});

describe('writeOutputFiles on a full disk', () => {
  it('writes none of the files, removes its temporaries, keeps the old file and says so in one sentence', async () => {
    const dir = join(cwd, 'full');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.py'), 'old model');
    let writes = 0;
    const write = async (path: string, data: string | Uint8Array) => {
      if (++writes === 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      writeFileSync(path, data);
    };
    const files = [
      { shown: 'full/model.py', path: join(dir, 'model.py'), data: 'new model' },
      { shown: 'full/weights.safetensors', path: join(dir, 'weights.safetensors'), data: new Uint8Array(8) },
    ];
    const failed = await writeOutputFiles(files, { cwd, write }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(OutputError);
    expect((failed as Error).message).toBe("no space left on the device to write 'full/weights.safetensors'; nothing was written");
    expect(readdirSync(dir)).toEqual(['model.py']);
    expect(readFileSync(join(dir, 'model.py'), 'utf8')).toBe('old model');
  });
});

/** A run directory assembled by hand from `source`'s IR and weights of `fill` (one NaN where asked). */
async function handRun(name: string, source: string, nanIn?: number): Promise<IRModel> {
  writeFileSync(join(cwd, `${name}.ae`), source);
  expect((await ae('compile', `${name}.ae`, '-o', `${name}.json`)).code).toBe(0);
  const ir = JSON.parse(readFileSync(join(cwd, `${name}.json`), 'utf8')) as IRModel;
  const run = join(cwd, name);
  mkdirSync(run);
  writeFileSync(join(run, 'model.ir.json'), JSON.stringify(ir));
  const tensors = Object.fromEntries(
    ir.parameters.map((p, index) => {
      const data = new Float32Array(p.shape.reduce((a, b) => a * b, 1)).fill(0.1);
      if (index === nanIn) data[1] = Number.NaN;
      return [p.id, { dtype: 'F32' as const, shape: [...p.shape], data }];
    }),
  );
  writeFileSync(join(run, 'weights.safetensors'), encodeSafetensors(tensors));
  return ir;
}

describe('ae export --format pytorch without a train.py', () => {
  it('says on stderr why train.py is not written (a contractive loss), and writes model.py and the weights', async () => {
    await handRun('cae', MODEL.replace('loss = bce(x_hat, x)', 'loss = bce(x_hat, x) + 1e-4 * contractive(z, x)'));
    const result = await ae('export', 'cae', '--format', 'pytorch', '-o', 'cae-torch');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^ae export: no train\.py: .*contractive.* \(model\.py and the weights are written\)\nwrote cae-torch\n$/);
    expect(readdirSync(join(cwd, 'cae-torch')).sort()).toEqual(['model.ir.json', 'model.py', 'weights.safetensors']);
  });
});

describe('ae export of non-finite weights', () => {
  it('refuses weights with a NaN, writing nothing', async () => {
    expect((await ae('compile', 'm.ae', '-o', 'ir.json')).code).toBe(0);
    const ir = JSON.parse(readFileSync(join(cwd, 'ir.json'), 'utf8')) as IRModel;
    const run = join(cwd, 'run');
    mkdirSync(run);
    writeFileSync(join(run, 'model.ir.json'), JSON.stringify(ir));
    const tensors = Object.fromEntries(
      ir.parameters.map((p) => {
        const data = new Float32Array(p.shape.reduce((a, b) => a * b, 1)).fill(0.1);
        if (p.id === ir.parameters[1]!.id) data[1] = Number.NaN;
        return [p.id, { dtype: 'F32' as const, shape: [...p.shape], data }];
      }),
    );
    writeFileSync(join(run, 'weights.safetensors'), encodeSafetensors(tensors));
    const onnx = await ae('export', 'run', '--format', 'onnx', '-o', 'm.onnx');
    expect(onnx.code).toBe(1);
    expect(onnx.stderr).toBe(`ae export: the weights of m are not finite (${ir.parameters[1]!.id}[1] is NaN); nothing was written (\`ae eval\` refuses them too: retrain, or resume from an earlier checkpoint)\n`);
    expect(existsSync(join(cwd, 'm.onnx'))).toBe(false);
    const pytorch = await ae('export', 'run', '--format', 'pytorch', '-o', 'torch');
    expect(pytorch.code).toBe(1);
    expect(readdirSync(join(cwd, 'torch'))).toEqual([]);
  });
});
