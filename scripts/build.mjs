// `npm run build`: compile to dist/, then copy the hand-kept declaration files (grammar/cst.d.ts,
// generated from the grammar) that tsc never emits but the emitted .d.ts files import, so the
// published types resolve, and the IR schema the package exports (`aelang/ir.schema.json`), which
// no module imports (validation runs the validator generated from it); last, the `ae` command as
// one module graph (scripts/bundle-cli.mjs). `--clean` (the `prepare`
// script, before `npm pack` and after `npm ci`) first empties dist/, so no output of a deleted
// source is published; plain builds leave it, as tests may be reading dist/ meanwhile.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './bundle-cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceFolders = ['diagnostics', 'onnx', 'grammar', 'ir', 'compiler', 'runtime', 'cli', 'lsp', 'export'];

if (process.argv.includes('--clean')) rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

for (const folder of sourceFolders) {
  for (const file of declarationFiles(join(root, folder))) {
    const target = join(root, 'dist', relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
}

copyFileSync(join(root, 'ir/ir.schema.json'), join(root, 'dist/ir/ir.schema.json'));
// tfjs-core's gradient table, bundled (scripts/gradient-table.mjs): plain JavaScript tsc does not copy.
copyFileSync(join(root, 'runtime/backends/tfjs-gradients.generated.cjs'), join(root, 'dist/runtime/backends/tfjs-gradients.generated.cjs'));
// Last, from what tsc wrote: the `ae` command in one module graph (bin/ae.js runs it).
await bundleCli();

function declarationFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // a folder this checkout does not have
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(path);
    return entry.name.endsWith('.d.ts') ? [path] : [];
  });
}
