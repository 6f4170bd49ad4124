// Every code block of docs/*.md marked runnable (```js runnable, ```sh runnable) runs as written,
// each in an empty directory, against the built dist/ (`aelang` resolves to this checkout, as after
// `npm install aelang`; `ae` is bin/ae.js). A block passes when it exits 0 without writing to stderr.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/dist.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const docs = join(root, 'docs');

interface Block {
  page: string;
  line: number;
  lang: string;
  code: string;
}

/** The runnable blocks of a page: a fence whose info string is `LANG runnable`. */
export function runnableBlocks(page: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+) runnable\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    blocks.push({ page, line: i + 1, lang: open[1]!, code: lines.slice(i + 1, end).join('\n') + '\n' });
    i = end;
  }
  return blocks;
}

const blocks = readdirSync(docs)
  .filter((f) => f.endsWith('.md'))
  .flatMap((page) => runnableBlocks(page, readFileSync(join(docs, page), 'utf8')));

let work = '';
let bin = '';

beforeAll(() => {
  ensureBuilt('dist/index.js');
  work = mkdtempSync(join(tmpdir(), 'aelang-doc-'));
  bin = join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(join(root, 'bin/ae.js'), join(bin, 'ae'));
}, 300_000); // a stale dist/ is rebuilt first (tsc: minutes on a busy 2-core machine)

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('runnable blocks of docs/*.md', () => {
  it('finds them by their marker, in js and sh', () => {
    expect(runnableBlocks('x.md', 'a\n```js runnable\nconsole.log(1)\n```\n```js\nnot run\n```\n```sh runnable\nae --version\n```\n')).toEqual([
      { page: 'x.md', line: 2, lang: 'js', code: 'console.log(1)\n' },
      { page: 'x.md', line: 8, lang: 'sh', code: 'ae --version\n' },
    ]);
    expect(blocks.filter((b) => b.page === 'api.md').length).toBeGreaterThanOrEqual(2);
  });

  for (const block of blocks) {
    it(`${block.page}:${block.line} (${block.lang}) runs as written`, async () => {
      const dir = mkdtempSync(join(work, 'block-'));
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(root, join(dir, 'node_modules/aelang'), 'dir');
      const env = { ...process.env, NO_COLOR: '1', PATH: `${bin}:${process.env.PATH}` };
      let command: [string, string[]];
      if (block.lang === 'js') {
        writeFileSync(join(dir, 'block.mjs'), block.code);
        command = [process.execPath, ['block.mjs']];
      } else if (block.lang === 'sh') {
        writeFileSync(join(dir, 'block.sh'), `set -e\n${block.code}`);
        command = ['bash', ['block.sh']];
      } else {
        throw new Error(`${block.page}:${block.line}: no runner for '${block.lang}' blocks`);
      }
      const { stdout, stderr } = await run(command[0], command[1], { cwd: dir, env, timeout: 60_000 });
      expect(stderr).toBe('');
      expect(stdout.length).toBeGreaterThan(0);
    });
  }
});
