// Imports cannot escape the project: resolved against the importing file, refused outside the root
// (the entry file's directory, or a configured root) without reading or echoing the target, and
// only regular .ae files are read (a FIFO would block forever).
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { renderHuman } from '../../diagnostics/render.js';
import { useTempDir } from '../data/temp-dir.js';

const tempDir = useTempDir();
const body = 'model m {\n  input x: [8]\n  latent z = dense(lib.code)\n  decoder { dense(8) }\n  output x_hat = linear\n  loss = mse(x_hat, x)\n}\n';

/** A project `proj/` with `lib.ae` in it and a secret `.ae` file beside it (outside the project). */
function project(): { dir: string; proj: string } {
  const dir = tempDir();
  const proj = join(dir, 'proj');
  mkdirSync(join(proj, 'sub'), { recursive: true });
  writeFileSync(join(proj, 'lib.ae'), 'let code = 3\n');
  writeFileSync(join(dir, 'secret.ae'), 'TOPSECRET line one\n');
  return { dir, proj };
}

function check(cwd: string, file: string, text: string, root?: string) {
  writeFileSync(join(cwd, file), text);
  const analysis = analyzeSource(text, file, { cwd, ...(root ? { root } : {}) });
  const rendered = renderHuman(analysis.diagnostics, analysis.sources, { color: false });
  return { analysis, rendered, codes: analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column}`) };
}

describe('imports stay inside the project', () => {
  it('refuses a file above the root without reading it or showing it', () => {
    const { proj } = project();
    const { codes, rendered, analysis } = check(proj, 'main.ae', `import "../secret.ae" as lib\n${body}`);
    expect(codes).toEqual(['AE2024@1:8']);
    expect(rendered).not.toContain('TOPSECRET');
    expect([...analysis.sources.keys()]).toEqual(['main.ae']);
  });

  it('refuses /etc/passwd by path and by extension, never printing a line of it', () => {
    const { proj } = project();
    const relative = check(proj, 'main.ae', `import "../../../../../../../../etc/passwd"\n${body}`);
    expect(relative.codes[0]).toBe('AE2025@1:8');
    const absolute = check(proj, 'main.ae', `import "/etc/passwd.ae"\n${body}`);
    expect(absolute.codes[0]).toBe('AE2024@1:8');
    for (const { rendered } of [relative, absolute]) expect(rendered).not.toMatch(/root:|nologin/);
  });

  it('resolves against the importing file, and `..` inside the root is fine', () => {
    const { proj } = project();
    writeFileSync(join(proj, 'sub', 'mid.ae'), 'import "../lib.ae"\n');
    const { codes, analysis } = check(proj, 'main.ae', `import "sub/mid.ae" as lib\n${body}`);
    expect(codes).toEqual([]);
    expect(analysis.irs).toHaveLength(1);
  });

  it('takes an absolute path inside the root as it is (its leading / kept)', () => {
    const { proj } = project();
    const { codes, analysis } = check(proj, 'main.ae', `import "${join(proj, 'lib.ae')}" as lib\n${body}`);
    expect(codes).toEqual([]);
    expect(analysis.irs[0]!.nodes.find((n) => n.op === 'dense')!.shape).toEqual([null, 3]);
  });

  it('a configured root lets an import reach above the entry file', () => {
    const { dir, proj } = project();
    writeFileSync(join(dir, 'shared.ae'), 'let code = 5\n');
    const { codes } = check(proj, 'main.ae', `import "../shared.ae" as lib\n${body}`, dir);
    expect(codes).toEqual([]);
  });

  it('refuses a link inside the project that leads outside it', () => {
    const { dir, proj } = project();
    symlinkSync(join(dir, 'secret.ae'), join(proj, 'link.ae'));
    const { codes, rendered, analysis } = check(proj, 'main.ae', `import "link.ae" as lib\n${body}`);
    expect(codes).toEqual(['AE2025@1:8']);
    expect(rendered).toContain('a link to a file outside the project');
    expect(rendered).not.toContain('TOPSECRET');
    expect(analysis.sources.has('link.ae')).toBe(false);
  });

  it('refuses a FIFO at once instead of waiting for a writer, and a directory', () => {
    const { proj } = project();
    execFileSync('mkfifo', [join(proj, 'pipe.ae')]);
    mkdirSync(join(proj, 'folder.ae'));
    const started = performance.now();
    const fifo = check(proj, 'main.ae', `import "pipe.ae" as lib\n${body}`);
    expect(fifo.codes).toEqual(['AE2025@1:8']);
    expect(fifo.rendered).toContain('not a regular file');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(check(proj, 'main.ae', `import "folder.ae" as lib\n${body}`).codes).toEqual(['AE2025@1:8']);
  });
});
