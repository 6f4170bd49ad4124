// `ae fmt`: stdout by default, `--write` in place, `--check` lists what is unformatted; misuse exits 2,
// a file that does not parse exits 1 with its syntax errors.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAe } from './run-cli.js';

const messy = 'model m{input x:[4] encoder{dense(2)} latent z=identity decoder=mirror(encoder) output x_hat=linear loss=mse(x_hat,x)}\n';
const tidy = [
  'model m {',
  '  input x: [4]',
  '  encoder {',
  '    dense(2)',
  '  }',
  '  latent z = identity',
  '  decoder = mirror(encoder)',
  '  output x_hat = linear',
  '  loss = mse(x_hat, x)',
  '}',
  '',
].join('\n');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aelang-fmt-'));
  writeFileSync(join(dir, 'messy.ae'), messy);
  writeFileSync(join(dir, 'tidy.ae'), tidy);
  writeFileSync(join(dir, 'broken.ae'), 'let a = 1\nlet = 3\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ae fmt', () => {
  it('prints the formatted text and leaves the file alone', async () => {
    const result = await runAe(['fmt', 'messy.ae'], dir);
    expect(result).toEqual({ code: 0, stdout: tidy, stderr: '' });
    expect(readFileSync(join(dir, 'messy.ae'), 'utf8')).toBe(messy);
  });

  it('--write rewrites files in place without leaving temporary files', async () => {
    const result = await runAe(['fmt', '--write', 'messy.ae', 'tidy.ae'], dir);
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'messy.ae'), 'utf8')).toBe(tidy);
    expect(readFileSync(join(dir, 'tidy.ae'), 'utf8')).toBe(tidy);
    expect(readdirSync(dir).sort()).toEqual(['broken.ae', 'messy.ae', 'tidy.ae']);
  });

  it('--check lists the unformatted files and exits 1', async () => {
    const result = await runAe(['fmt', '--check', 'messy.ae', 'tidy.ae'], dir);
    expect(result).toEqual({ code: 1, stdout: 'messy.ae\n', stderr: '' });
  });

  it('--check exits 0 when everything is formatted', async () => {
    expect(await runAe(['fmt', '--check', 'tidy.ae'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 with the syntax errors of a file that does not parse', async () => {
    const result = await runAe(['fmt', 'broken.ae'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^broken\.ae:2:5: error AE1\d{3}: /);
    expect(result.stderr).toContain('let = 3');
  });

  it('takes a directory for every .ae file below it, with --check or --write only', async () => {
    mkdirSync(join(dir, 'nested/.hidden'), { recursive: true });
    writeFileSync(join(dir, 'nested/deep.ae'), messy);
    writeFileSync(join(dir, 'nested/.hidden/skipped.ae'), messy);
    writeFileSync(join(dir, 'nested/notes.txt'), 'not a model');
    rmSync(join(dir, 'broken.ae'));
    expect(await runAe(['fmt', '--check', '.'], dir)).toEqual({ code: 1, stdout: 'messy.ae\nnested/deep.ae\n', stderr: '' });
    const misuse = await runAe(['fmt', 'nested'], dir);
    expect([misuse.code, misuse.stderr.split('\n')[0]]).toEqual([2, 'ae fmt: a directory needs --write or --check']);
    expect((await runAe(['fmt', '--write', 'nested'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'nested/deep.ae'), 'utf8')).toBe(tidy);
    expect(readFileSync(join(dir, 'nested/.hidden/skipped.ae'), 'utf8')).toBe(messy);
    expect(readFileSync(join(dir, 'messy.ae'), 'utf8')).toBe(messy);
  });

  it('exits 2 on an unknown flag, no file, or a missing file', async () => {
    expect((await runAe(['fmt', '--frobnicate', 'tidy.ae'], dir)).code).toBe(2);
    expect((await runAe(['fmt'], dir)).code).toBe(2);
    const missing = await runAe(['fmt', 'nowhere.ae'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read 'nowhere.ae'");
  });
});
