// `ae playground`'s server: the built folder's files with their content types, on 127.0.0.1 only,
// nothing outside the folder, GET and HEAD only; a clear error when nothing is built there.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePlayground } from '../../cli/commands/playground.js';
import { main } from '../../cli/main.js';

let dir = '';
let server: Server;
let url = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ae-playground-serve-'));
  mkdirSync(join(dir, 'site', 'mnist'), { recursive: true });
  writeFileSync(join(dir, 'site', 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'site', 'mnist', 'a.u8.gz'), Buffer.from([31, 139, 8]));
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  ({ server, url } = await servePlayground(join(dir, 'site'), 0));
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ae playground', () => {
  it('serves the folder on 127.0.0.1, index.html for /, with content types and no Content-Encoding on .gz', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await fetch(url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toBe('<!doctype html><title>t</title>');
    const gz = await fetch(`${url}mnist/a.u8.gz`);
    expect(gz.headers.get('content-type')).toBe('application/octet-stream');
    expect(gz.headers.get('content-encoding')).toBeNull();
    expect([...new Uint8Array(await gz.arrayBuffer())]).toEqual([31, 139, 8]);
  });

  it('serves nothing outside the folder, and only GET and HEAD', async () => {
    for (const path of ['../secret.txt', '%2e%2e/secret.txt', '..%2fsecret.txt', 'missing.js']) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    }
    // A raw request line with `..` (fetch would normalise it away before sending).
    const raw = await new Promise<number>((resolve, reject) => {
      const request = get({ host: '127.0.0.1', port: Number(new URL(url).port), path: '/../secret.txt' }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
    });
    expect(raw).toBe(404);
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('says how to build the playground when the folder has none, with exit 1', async () => {
    let stderr = '';
    const code = await main(['playground', '--dir', dir, '--port', '0'], { stdout: () => undefined, stderr: (t) => void (stderr += t), isTTY: false, cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toBe(`error: no playground in ${dir} (no index.html): build it with \`npm run build:playground\`, or give --dir the folder it wrote\n`);
  });

  it('refuses a port out of range as a usage error (exit 2)', async () => {
    let stderr = '';
    const code = await main(['playground', '--port', '70000'], { stdout: () => undefined, stderr: (t) => void (stderr += t), isTTY: false, cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be at most 65535, got 70000');
  });
});
