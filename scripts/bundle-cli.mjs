// The `ae` command as one module graph (dist/ae/), which bin/ae.js loads: tsc's output is ~140
// small ES modules on the way to any command, and resolving, reading, compiling and linking each
// was ~50 ms of every `ae` start (a fifth of a one-model `ae check`). esbuild joins them into one
// module per command plus chunks they share; npm packages stay outside (imported as tsc's output
// does), so Prettier, tfjs and onnxruntime load only when a command needs them, as before.
//
// A module that finds a file beside itself through `import.meta.url` (a `package.json`, the tfjs
// gradient table, onnxruntime's binding, the playground's assets) would look beside the bundle
// instead: each such `import.meta.url` is rewritten to the URL its own module has in dist/, relative
// to the bundle's folder, so it finds the same file wherever the package is installed.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/ae');

/** Bundles dist/cli/main.js (built by tsc) into dist/ae/. */
export async function bundleCli() {
  const { metafile } = await build({
    metafile: true,
    entryPoints: { main: join(root, 'dist/cli/main.js') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    plugins: [ownUrls],
  });
  // Chunks are named by their content's hash: a rebuild leaves the last build's beside the new.
  const written = new Set(Object.keys(metafile.outputs).map((path) => join(root, path)));
  for (const name of readdirSync(outdir)) if (!written.has(join(outdir, name))) rmSync(join(outdir, name));
}

const ownUrls = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const fromBundle = relative(outdir, args.path).split(sep).join('/');
      const rewritten = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`);
      // Anything else of import.meta (dirname, filename, resolve) would silently be the bundle's.
      const other = /import\.meta(?!\.url)/.exec(text.replaceAll('import.meta.url', ''));
      if (other) return { errors: [{ text: `${args.path}: only import.meta.url can be rewritten for the bundle; use it instead of '${text.slice(other.index, other.index + 24)}…'` }] };
      return { contents: rewritten, loader: 'js' };
    });
  },
};
