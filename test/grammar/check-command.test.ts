import { mkdtempSync, writeFileSync } from 'node:fs';
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

  it('exits 2 on misuse', async () => {
    expect((await run(['check'], dir)).code).toBe(2);
    expect((await run(['check', 'missing.ae'], dir)).code).toBe(2);
    expect((await run(['check', 'good.ae', '--strict'], dir)).code).toBe(2);
    expect((await run(['check', 'good.ae', '--format', 'xml'], dir)).code).toBe(2);
  });
});
