// The server bundled into the extension: the project's lsp/ (and with it the compiler) on a
// connection the client opens over stdio (it passes `--stdio`).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { startServer } from '../../../lsp/server.js';

startServer(createConnection(ProposedFeatures.all));
