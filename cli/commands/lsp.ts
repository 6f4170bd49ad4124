// `ae lsp --stdio`: the language server for editors, speaking LSP on stdin/stdout until the client
// says `exit`. Everything it does is in lsp/; this only opens the connection.
import type { Command } from '../command.js';
import { UsageError } from '../io.js';
import { commandInfo } from './info.js';

export const lspCommand: Command = {
  ...commandInfo.lsp,
  async run(argv) {
    // Clients add their own flags (vscode-languageclient passes `--clientProcessId=N`, which the
    // connection reads itself); only the transport is ours to check.
    const flags = argv.filter((a) => !a.startsWith('--clientProcessId'));
    if (!flags.includes('--stdio')) throw new UsageError('the transport is required: --stdio');
    const unknown = flags.find((a) => a !== '--stdio');
    if (unknown !== undefined) throw new UsageError(`unknown option '${unknown}'`);
    const { createConnection, ProposedFeatures } = await import('vscode-languageserver/node.js');
    const { startServer } = await import('../../lsp/server.js');
    const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
    startServer(connection);
    // The connection ends the process on `exit` (0 after `shutdown`, else 1); until then it serves.
    return new Promise<number>((resolve) => connection.onExit(() => resolve(0)));
  },
};
