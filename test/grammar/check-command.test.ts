import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';

async function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, cwd });
  return { code, stdout, stderr };
}

describe('ae check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ae-check-'));
  writeFileSync(join(dir, 'good.ae'), 'let code = 30\n');
  writeFileSync(join(dir, 'bad.ae'), 'let code: 30\n');

  it('exits 0 on a clean file and prints nothing', async () => {
    expect(await run(['check', 'good.ae'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 on an error and prints it with its location', async () => {
    const result = await run(['check', 'good.ae', 'bad.ae'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('bad.ae:1:9: error AE1013:');
  });

  it('prints JSON with --format json', async () => {
    const result = await run(['check', 'bad.ae', '--format', 'json'], dir);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).diagnostics[0]).toMatchObject({ file: 'bad.ae', code: 'AE1013', range: { start: { line: 1, column: 9 } } });
  });

  it('shows the line of an error inside an imported file, resolving imports against the working directory', async () => {
    writeFileSync(join(dir, 'lib.ae'), 'let width: 16\n');
    writeFileSync(join(dir, 'uses-lib.ae'), 'import "lib.ae" as lib\nlet w = lib.width\n');
    const result = await run(['check', 'uses-lib.ae', 'lib.ae'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('lib.ae:1:10: error AE1013');
    expect(result.stdout).toContain('1 | let width: 16');
    expect(result.stdout.match(/error AE1013/g)).toHaveLength(1); // checked and imported: reported once
  });

  it('checks every .ae file below a directory', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'ae-check-tree-'));
    mkdirSync(join(tree, 'models/more'), { recursive: true });
    writeFileSync(join(tree, 'models/good.ae'), 'let code = 30\n');
    writeFileSync(join(tree, 'models/more/bad.ae'), 'let code: 30\n');
    writeFileSync(join(tree, 'models/readme.md'), 'let code: 30\n');
    const result = await run(['check', 'models'], tree);
    expect(result.code).toBe(1);
    expect(result.stdout.match(/^\S+: error \w+/gm)).toEqual(['models/more/bad.ae:1:9: error AE1013']);
    expect((await run(['check', 'models/more/..'], tree)).code).toBe(1);
    mkdirSync(join(tree, 'empty'));
    const empty = await run(['check', 'empty'], tree);
    expect([empty.code, empty.stderr.split('\n')[0]]).toEqual([2, "ae check: no .ae files in 'empty'"]);
  });

  it('exits 2 on misuse', async () => {
    expect((await run(['check'], dir)).code).toBe(2);
    expect((await run(['check', 'missing.ae'], dir)).code).toBe(2);
    expect((await run(['check', 'good.ae', '--strict'], dir)).code).toBe(2);
    expect((await run(['check', 'good.ae', '--format', 'xml'], dir)).code).toBe(2);
  });
});
