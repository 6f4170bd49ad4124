// The compiler runs in the browser (the playground): every module of grammar/, diagnostics/, ir/
// and compiler/ bundles for esbuild's browser platform with no Node built-in, except the few
// named below whose job is Node's (the disk, build-time generators). A new `node:` import in any
// other file fails here with the importing file's name.
import { readdirSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import fc from 'fast-check';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { browserSeams, nodeImports, repoRoot } from '../../scripts/browser-bundle.js';
import { analyzeWithHost } from '../../compiler/analyze-source.js';
import { memoryHost } from '../../compiler/resolve/memory-host.js';
import { importTarget, normalise } from '../../compiler/resolve/import-paths.js';

/** Files that are Node's by design, with why; the browser reaches their work another way. */
const nodeOnly: Record<string, string> = {
  'compiler/analyze.ts': 'the disk driver; the browser calls analyze-source.ts with an in-memory host',
  'compiler/disk-host.ts': 'the disk host (analyze.ts, `ae check`): imports read from the disk; the browser has resolve/memory-host.ts',
  'compiler/resolve/source-files.ts': 'reads imports from the disk',
  'grammar/chevrotain.ts': "loads Chevrotain with createRequire; the bundle's seam swaps in chevrotain-browser.ts",
  'grammar/generate-cst-types.ts': 'a build-time generator',
  'ir/generate-schema.ts': 'a build-time generator',
};

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) return modules(file);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [relative(repoRoot, file).split('\\').join('/')] : [];
  });
}

const browserModules = ['grammar', 'diagnostics', 'ir', 'compiler'].flatMap((top) => modules(join(repoRoot, top))).filter((file) => !(file in nodeOnly));

describe('the compiler bundles for the browser', () => {
  it('bundles every module of grammar/, diagnostics/, ir/ and compiler/ with no node: import', async () => {
    expect(browserModules.length).toBeGreaterThan(50);
    const entry = browserModules.map((file, i) => `export * as m${i} from './${file}';`).join('\n');
    const result = await esbuild.build({
      stdin: { contents: entry, resolveDir: repoRoot, sourcefile: 'browser-entry.ts', loader: 'ts' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [browserSeams],
    }).catch((error: esbuild.BuildFailure) => {
      // The first errors, with their files, are the message: `Could not resolve "node:fs"` at compiler/x.ts.
      throw new Error(error.errors.slice(0, 5).map((e) => `${e.location?.file ?? '?'}: ${e.text}`).join('\n'));
    });
    expect(nodeImports(result.metafile)).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    // The seam took effect: the browser Chevrotain is in, the Node loader is not.
    expect(inputs).toContain('grammar/chevrotain-browser.ts');
    expect(inputs).not.toContain('grammar/chevrotain.ts');
    expect(inputs.some((file) => file.includes('node_modules/chevrotain/'))).toBe(true);
  });

  it('a Node-only file named in the list still exists (the list does not hide a removed file)', () => {
    for (const file of Object.keys(nodeOnly)) expect(statSync(join(repoRoot, file)).isFile()).toBe(true);
  });
});

describe('the in-memory host', () => {
  const lib = 'let width = 16\nblock squeeze(n) {\n  dense(n, act = relu)\n}\n';
  const main = (imported: string) =>
    `import "${imported}"\nmodel m {\n  input x: [8]\n  encoder { squeeze(width) }\n  latent z = dense(4)\n  decoder = mirror(encoder)\n  output x_hat = linear\n  loss = mse(x_hat, x)\n}\n`;

  it('resolves an import against the file set, as the disk would', () => {
    const files = new Map([['lib/shared.ae', lib]]);
    const analysis = analyzeWithHost(main('lib/shared.ae'), 'main.ae', memoryHost(files));
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(analysis.irs).toHaveLength(1);
    expect(analysis.irs[0]!.source).toBe('main.ae');
    expect([...analysis.sources.keys()]).toEqual(['main.ae', 'lib/shared.ae']);
  });

  it('a missing file is AE2008 and a path out of the set is AE2024, at the import string', () => {
    const missing = analyzeWithHost(main('lib/none.ae'), 'main.ae', memoryHost(new Map()));
    const outside = analyzeWithHost(main('../up.ae'), 'main.ae', memoryHost(new Map([['../up.ae', lib]])));
    for (const [analysis, code] of [[missing, 'AE2008'], [outside, 'AE2024']] as const) {
      const found = analysis.diagnostics.find((d) => d.code === code);
      expect(found?.range.start).toMatchObject({ line: 1, column: 8 });
    }
  });
});

describe('import paths without node:path', () => {
  // The compiler's own path arithmetic must name the files node:path named before it (on POSIX).
  const segment = fc.constantFrom('a', 'b', 'lib', '.', '..', '', 'x.ae');
  const paths = fc.tuple(fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 6 })).map(([absolute, parts]) => `${absolute ? '/' : ''}${parts.join('/')}`);

  it('normalise is path.posix.normalize, without a trailing slash', () => {
    fc.assert(
      fc.property(paths, (file) => {
        const expected = posix.normalize(file);
        expect(normalise(file)).toBe(expected.length > 1 && expected.endsWith('/') ? expected.slice(0, -1) : expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('an import is joined to its importer’s directory as path.join did; an absolute one is kept', () => {
    fc.assert(
      // An importer is a file: a path ending in a name.
      fc.property(paths.map((dir) => `${dir}/main.ae`), paths, (importer, written) => {
        const expected = posix.normalize(posix.isAbsolute(written) ? written : posix.join(posix.dirname(importer), written));
        expect(importTarget(importer, written)).toBe(expected.length > 1 && expected.endsWith('/') ? expected.slice(0, -1) : expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a Windows path’s separators as /', () => {
    expect(normalise('lib\\sub\\..\\x.ae')).toBe('lib/x.ae');
    expect(importTarget('C:\\project\\main.ae', 'lib/x.ae')).toBe('C:/project/lib/x.ae');
  });
});
