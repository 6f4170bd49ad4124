// The server as `ae lsp --stdio` starts it, through the CLI's own dispatch, run from the TypeScript
// sources (no build needed): the tests spawn `node --import tsx` on this file.
import { main } from '../../cli/main.js';

process.exitCode = await main(['lsp', '--stdio', ...process.argv.slice(2)], {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: false,
  cwd: process.cwd(),
});
