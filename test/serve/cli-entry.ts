// `ae` from the TypeScript sources with the process's own streams and signals, so the serve test
// can run `ae serve` as a user does and stop it with SIGTERM: `node --import tsx test/serve/cli-entry.ts ARGS`.
import { main } from '../../cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: false,
  cwd: process.cwd(),
});
