// Every export of the package loads with require() from CommonJS (Jest's default mode, ts-node,
// every `.cjs`/`.cts` tool): no top-level await anywhere on an export's import path (Node 20.19+
// loads a synchronous ES module graph through require, and refuses one with ERR_REQUIRE_ASYNC_MODULE).
// Run against the built dist/ through the package's own `exports`, from a project outside the
// repository whose node_modules/aelang links to it (as `npm link` does); the .cts file is
// type-checked with module and moduleResolution node16 first, then compiled to .cjs and run.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/dist.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; exports: Record<string, unknown> };
let dir = '';

beforeAll(() => {
  ensureBuilt('dist/index.js');
  dir = mkdtempSync(join(tmpdir(), 'aelang-require-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/aelang'), 'dir');
}, 300_000); // a stale dist/ is rebuilt first (tsc: minutes on a busy 2-core machine)

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHECKS = [
  "const ae = require('aelang');",
  "const compiler = require('aelang/compiler');",
  "const prettierPlugin = require('aelang/prettier');",
  "const schema = require('aelang/ir.schema.json');",
  "const manifest = require('aelang/package.json');",
  "const { irs } = compiler.analyzeSource('model m { input x: [4]\\n encoder { dense(2) }\\n latent z = dense(2)\\n decoder = mirror(encoder)\\n output x_hat = linear\\n loss = mse(x_hat, x) }', 'm.ae');",
  'console.log(JSON.stringify({',
  '  train: typeof ae.train, selectBackend: typeof ae.selectBackend, sameCompiler: ae.analyzeSource === compiler.analyzeSource,',
  '  nodes: irs[0].nodes.length, valid: compiler.validateIR(irs[0]).ok,',
  '  plugin: prettierPlugin.languages[0].name, schema: schema.title, version: manifest.version,',
  '}));',
];

const EXPECTED = { train: 'function', selectBackend: 'function', sameCompiler: true, valid: true, plugin: 'aelang', schema: 'aelang graph IR', version: pkg.version };

describe('require() of every export', () => {
  it('covers every subpath the package exports', () => {
    expect(Object.keys(pkg.exports)).toEqual(['.', './compiler', './prettier', './ir.schema.json', './package.json']);
  });

  it('works from a .cjs file', async () => {
    writeFileSync(join(dir, 'use.cjs'), `'use strict';\n${CHECKS.join('\n')}\n`);
    const { stdout, stderr } = await run(process.execPath, ['use.cjs'], { cwd: dir });
    expect(stderr).toBe('');
    const result = JSON.parse(stdout);
    expect(result).toMatchObject(EXPECTED);
    expect(result.nodes).toBeGreaterThanOrEqual(4);
  });

  it.each(['node20', 'nodenext'])('type-checks from a .cts file (module %s), then runs', async (mode) => {
    const source = [
      "import ae = require('aelang');",
      "import compiler = require('aelang/compiler');",
      "import prettierPlugin = require('aelang/prettier');",
      "import type { IRModel, Diagnostic } from 'aelang';",
      'const schema: { title: string } = require(\'aelang/ir.schema.json\');',
      'const manifest: { version: string } = require(\'aelang/package.json\');',
      "const analysis = compiler.analyzeSource('model m { input x: [4]\\n encoder { dense(2) }\\n latent z = dense(2)\\n decoder = mirror(encoder)\\n output x_hat = linear\\n loss = mse(x_hat, x) }', 'm.ae');",
      'const irs: IRModel[] = analysis.irs;',
      'const problems: Diagnostic[] = analysis.diagnostics;',
      'console.log(JSON.stringify({',
      '  train: typeof ae.train, selectBackend: typeof ae.selectBackend, sameCompiler: ae.analyzeSource === compiler.analyzeSource,',
      '  nodes: irs[0]!.nodes.length + problems.length, valid: compiler.validateIR(irs[0]).ok,',
      '  plugin: prettierPlugin.languages[0]!.name, schema: schema.title, version: manifest.version,',
      '}));',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'use.cts'), source);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: mode, moduleResolution: mode === 'node20' ? 'node16' : mode, strict: true, skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')], outDir: `out-${mode}` }, files: ['use.cts'] }),
    );
    const compiled = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir }).catch((e: { stdout: string }) => ({ stdout: e.stdout, stderr: 'failed' }));
    expect(compiled.stdout).toBe('');
    const emitted = readFileSync(join(dir, `out-${mode}/use.cjs`), 'utf8');
    expect(emitted).toContain('require("aelang")'); // CommonJS, not an import() in disguise
    const { stdout, stderr } = await run(process.execPath, [`out-${mode}/use.cjs`], { cwd: dir });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toMatchObject(EXPECTED);
  });
});
