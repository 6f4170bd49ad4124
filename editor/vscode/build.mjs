// Bundles the extension (CommonJS, as VS Code loads it) and the language server (an ES module: the
// compiler uses top-level await) into dist/, each one file with its dependencies, so the .vsix needs
// no node_modules.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', minify: true, sourcemap: false, logLevel: 'info' };

await build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', format: 'cjs', external: ['vscode'] });
await build({
  ...common,
  entryPoints: ['src/server.ts'],
  outfile: 'dist/server.mjs',
  format: 'esm',
  // Ajv validates IR only when compiling (the server never does); it is loaded lazily by require.
  external: ['ajv'],
  // Bundled CommonJS packages (vscode-languageserver) call require() for Node's own modules.
  banner: { js: "import { createRequire as __aeRequire } from 'node:module'; const require = __aeRequire(import.meta.url);" },
});
