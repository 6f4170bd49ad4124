// tfjs-backend-wasm's Emscripten glue adds process 'uncaughtException'/'unhandledRejection'
// listeners that rethrow: an uncaught error of the host program then exits with code 7 and prints
// the minified line it was rethrown from (39 KB). Loading aelang's wasm backend must leave the
// process's handlers as they were. Spawned, as only a real process shows how it dies.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/dist.js';

const root = resolve(import.meta.dirname, '../..');
let dir = '';

beforeAll(() => {
  ensureBuilt('dist/index.js');
  dir = mkdtempSync(join(tmpdir(), 'aelang-handlers-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/aelang'), 'dir');
}, 300_000); // a stale dist/ is rebuilt first (tsc: minutes on a busy 2-core machine)

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function spawnScript(name: string, source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  writeFileSync(join(dir, name), source);
  return new Promise((done) => {
    execFile(process.execPath, [name], { cwd: dir, env: { ...process.env, AE_THREADS: '2' } }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

const LOAD = [
  "import { selectBackend } from 'aelang';",
  "const count = () => process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection');",
  'const before = count();',
  "const { name } = await selectBackend('wasm');",
  'console.log(JSON.stringify({ name, before, after: count() }));',
];

describe('the wasm backend and the process', () => {
  it('leaves no uncaughtException/unhandledRejection listener behind', async () => {
    const result = await spawnScript('count.mjs', `${LOAD.join('\n')}\n`);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ name: 'wasm', before: 0, after: 0 });
  });

  it('lets an uncaught error of the program exit with code 1 and its own short message', async () => {
    const result = await spawnScript('throw.mjs', `${LOAD.join('\n')}\nsetTimeout(() => { throw new Error('the program failed'); });\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: the program failed');
    expect(result.stderr.length).toBeLessThan(2000);
  });

  it('lets an unhandled rejection exit with code 1 and its own short message', async () => {
    const result = await spawnScript('reject.mjs', `${LOAD.join('\n')}\nPromise.reject(new Error('a promise failed'));\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: a promise failed');
    expect(result.stderr.length).toBeLessThan(2000);
  });
});
