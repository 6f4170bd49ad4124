// The npm package as a user gets it: `npm pack` of the built dist/ (npm ci builds it; a stale one
// is rebuilt first; --ignore-scripts: `prepare` would empty dist/ under the other tests), then
// `npm install` of the tarball into a fresh project, offline from the local npm cache (`npm ci`
// filled it). The installed `ae` and `import 'aelang'` must work, and the package's types must
// check with skipLibCheck off (every .d.ts they reference shipped).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/dist.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
const tsc = join(root, 'node_modules/typescript/bin/tsc');

let work: string;
let project: string;
let packed: { files: { path: string }[]; size: number; unpackedSize: number; filename: string };

async function sh(command: string, args: string[], cwd: string, input?: string) {
  const child = run(command, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  if (input !== undefined) child.child.stdin!.end(input);
  return child;
}

/** Exit code, stdout and stderr of a command that may fail. */
async function attempt(command: string, args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await sh(command, args, cwd);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'aelang-pack-'));
  ensureBuilt('dist/index.d.ts');
  const { stdout } = await sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root);
  packed = JSON.parse(stdout.slice(stdout.indexOf('[')))[0];
  project = join(work, 'consumer');
  await sh('mkdir', ['-p', project], work);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // @types/node: a TypeScript user of a Node library has it; the package's types use Node's.
  // --prefer-offline: tarballs come from the cache; package metadata (never cached by `npm ci`,
  // which reads the lockfile) from the registry when it is not cached.
  await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, packed.filename), '@types/node@20'], project);
}, 400_000); // npm install: minutes on a loaded 2-core machine

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships dist/, bin, docs and the schema, and nothing of test/, specs/ or bench/', () => {
    const paths = packed.files.map((f) => f.path);
    for (const wanted of ['bin/ae.js', 'dist/index.js', 'dist/index.d.ts', 'dist/compiler.js', 'dist/cli/main.js', 'dist/grammar/cst.d.ts', 'dist/ir/ir.schema.json', 'docs/api.md', 'docs/language.md', 'README.md', 'package.json']) {
      expect(paths).toContain(wanted);
    }
    expect(paths.filter((p) => /^(test|specs|bench|scripts|node_modules)\//.test(p) || p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
  });

  it('runs `ae --version` and `ae check`', async () => {
    const ae = join(project, 'node_modules/.bin/ae');
    expect((await sh(ae, ['--version'], project)).stdout).toBe(`${version}\n`);
    writeFileSync(join(project, 'good.ae'), 'model m { input x: [4]\n encoder { dense(2) }\n latent z = dense(2)\n decoder = mirror(encoder)\n output x_hat = linear\n loss = mse(x_hat, x) }\n');
    writeFileSync(join(project, 'bad.ae'), 'model m { input x: [4]\n encoder { dense(2, act = reluu) }\n latent z = dense(2)\n decoder = mirror(encoder)\n output x_hat = linear\n loss = mse(x_hat, x) }\n');
    expect(await attempt(ae, ['check', 'good.ae'], project)).toEqual({ code: 0, stdout: '', stderr: '' });
    const bad = await attempt(ae, ['check', 'bad.ae'], project);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/bad\.ae:2:\d+/);
    expect(bad.stdout).toContain('reluu');
  });

  it("type-checks a TypeScript program against the package's types with skipLibCheck off", async () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false }, files: ['use.ts'] }),
    );
    writeFileSync(
      join(project, 'use.ts'),
      [
        "import { analyzeSource, train, type IRModel, type TrainResult } from 'aelang';",
        "import { analyzeSource as compileOnly, type Diagnostic } from 'aelang/compiler';",
        "const ir: IRModel | undefined = analyzeSource('model m { input x: [4] }', 'm.ae').irs[0];",
        "const problems: Diagnostic[] = compileOnly('model m {', 'm.ae').diagnostics;",
        'export async function fit(model: IRModel): Promise<number> {',
        "  const result: TrainResult = await train({ ir: model, runDir: 'run', cwd: '.', epochs: 1 });",
        '  return result.steps + problems.length + (ir ? 1 : 0);',
        '}',
        '',
      ].join('\n'),
    );
    const result = await attempt(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('compiles and trains one step from a plain .mjs, choosing a backend itself', async () => {
    writeFileSync(
      join(project, 'train.mjs'),
      [
        "import { mkdtempSync } from 'node:fs';",
        "import { analyzeSource, train } from 'aelang';",
        'const source = `model tiny {',
        '  input x: [8] in [0, 1]',
        '  encoder { dense(4, act = tanh) }',
        '  latent z = dense(2)',
        '  decoder = mirror(encoder)',
        '  output x_hat = sigmoid',
        '  loss = bce(x_hat, x)',
        '  train { data = synthetic(samples = 16, seed = 1)  epochs = 1  batch = 16  optimizer = adam(lr = 1e-2) }',
        '}`;',
        "const { irs, diagnostics } = analyzeSource(source, 'tiny.ae');",
        "if (diagnostics.length > 0 || irs.length !== 1) throw new Error(JSON.stringify(diagnostics));",
        "const result = await train({ ir: irs[0], runDir: mkdtempSync('run-'), cwd: process.cwd() });",
        'console.log(JSON.stringify({ steps: result.steps, loss: result.metrics.at(-1).loss }));',
        'result.program.dispose();',
        '',
      ].join('\n'),
    );
    const { stdout } = await sh(process.execPath, ['train.mjs'], project);
    const { steps, loss } = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(steps).toBe(1);
    expect(loss).toBeGreaterThan(0.3); // bce of an untrained sigmoid output on [0, 1] data is near ln 2
    expect(loss).toBeLessThan(1.5);
  });

  it("trains on the onnx engine in a project whose .npmrc skips onnxruntime-node's install script", async () => {
    // Without that line the script fetches GPU providers from outside the registry; where it cannot,
    // npm drops the optional package and aelang trains on wasm (the project above installed so).
    const onnxProject = join(work, 'consumer-onnx');
    await sh('mkdir', ['-p', onnxProject], work);
    writeFileSync(join(onnxProject, 'package.json'), JSON.stringify({ name: 'consumer-onnx', private: true, type: 'module' }));
    writeFileSync(join(onnxProject, '.npmrc'), 'onnxruntime-node-install=skip\n');
    await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, packed.filename)], onnxProject);
    writeFileSync(
      join(onnxProject, 'tiny.ae'),
      'model tiny { input x: [8] in [0, 1]\n encoder { dense(4, act = tanh) }\n latent z = dense(2)\n decoder = mirror(encoder)\n output x_hat = sigmoid\n loss = bce(x_hat, x)\n train { data = synthetic(samples = 32, seed = 1)  epochs = 1  batch = 16 } }\n',
    );
    const result = await attempt(join(onnxProject, 'node_modules/.bin/ae'), ['train', 'tiny.ae', '--out', 'run', '--threads', '1'], onnxProject);
    expect(result.stderr).toMatch(/^backend: onnx \(onnxruntime-node \d+\.\d+\.\d+, 1 thread\) — /m);
    expect(result.stderr).toMatch(/trained tiny: 2 steps, .* on onnx/);
    expect(result.code).toBe(0);
  }, 400_000); // npm install: minutes on a loaded 2-core machine

  it('loads the compiler subpath without TensorFlow.js', async () => {
    writeFileSync(
      join(project, 'refuse-tfjs.mjs'),
      "export async function resolve(specifier, context, next) {\n  if (specifier.startsWith('@tensorflow/')) throw new Error(`loaded ${specifier}`);\n  return next(specifier, context);\n}\n",
    );
    writeFileSync(
      join(project, 'compile.mjs'),
      [
        "import { register } from 'node:module';",
        "register('./refuse-tfjs.mjs', import.meta.url);",
        "const { analyzeSource, serializeIR } = await import('aelang/compiler');",
        "const { irs } = analyzeSource('model m { input x: [4]\\n encoder { dense(2) }\\n latent z = dense(2)\\n decoder = mirror(encoder)\\n output x_hat = linear\\n loss = mse(x_hat, x) }', 'm.ae');",
        'console.log(JSON.parse(serializeIR(irs[0])).nodes.length);',
        '',
      ].join('\n'),
    );
    const { stdout } = await sh(process.execPath, ['compile.mjs'], project);
    expect(Number(stdout.trim())).toBeGreaterThanOrEqual(4);
  });

  it('installs without the packages it no longer needs at run time, prettier (an optional peer) included', async () => {
    const { readdirSync } = await import('node:fs');
    const installed = readdirSync(join(project, 'node_modules'));
    const tensorflow = readdirSync(join(project, 'node_modules/@tensorflow'));
    expect(installed.filter((name) => ['vega', 'vega-lite', 'ajv', 'prettier'].includes(name))).toEqual([]);
    expect(tensorflow).not.toContain('tfjs-layers');
  });

  it('loads every export but the Prettier plugin with require() from a .cjs file, without prettier', async () => {
    writeFileSync(
      join(project, 'use.cjs'),
      [
        "const { analyzeSource, formatAe } = require('aelang');",
        "const { validateIR } = require('aelang/compiler');",
        "const schema = require('aelang/ir.schema.json');",
        "const { version } = require('aelang/package.json');",
        "const ir = analyzeSource('model m { input x: [4]\\n encoder { dense(2) }\\n latent z = dense(2)\\n decoder = mirror(encoder)\\n output x_hat = linear\\n loss = mse(x_hat, x) }', 'm.ae').irs[0];",
        "formatAe('model m {}').catch((e) => console.log(JSON.stringify({ valid: validateIR(ir).ok, schema: schema.title, version, error: e.name, code: e.code })));",
        '',
      ].join('\n'),
    );
    const { stdout } = await sh(process.execPath, ['use.cjs'], project);
    expect(JSON.parse(stdout)).toEqual({ valid: true, schema: 'aelang graph IR', version, error: 'FormatterUnavailableError', code: 'PRETTIER_MISSING' });
  });

  it('ae fmt says Prettier is missing and how to install it', async () => {
    const result = await attempt(join(project, 'node_modules/.bin/ae'), ['fmt', 'good.ae'], project);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: "ae fmt: formatting .ae files needs Prettier 3, an optional peer dependency of aelang: install it beside aelang ('npm install --save-dev prettier')\n",
    });
  });
});
