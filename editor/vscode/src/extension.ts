// The VS Code side: starts the `ae` language server for `.ae` files and hands it the editor's
// documents. The server is the one bundled in dist/server.mjs unless `ae.server.command` names an
// `ae` executable (a project's own version of the compiler).
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const command = workspace.getConfiguration('ae').get<string>('server.command', '').trim();
  const server: ServerOptions =
    command !== ''
      ? { command, args: ['lsp', '--stdio'], transport: TransportKind.stdio }
      : { module: context.asAbsolutePath('dist/server.mjs'), transport: TransportKind.stdio };
  const options: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'ae' }],
    // Files a document imports may change on disk (another editor, git): the server rechecks.
    synchronize: { fileEvents: workspace.createFileSystemWatcher('**/*.ae') },
  };
  client = new LanguageClient('ae', 'aelang', server, options);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
