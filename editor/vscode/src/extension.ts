// The VS Code side: starts the `ae` language server for `.ae` files and hands it the editor's
// documents. The server is the one bundled in dist/server.mjs unless `ae.server.command` names an
// `ae` executable (a project's own version of the compiler). That setting runs a program, so it is
// machine-overridable and restricted in untrusted workspaces (package.json): a repository cannot
// make VS Code run its own `ae` before the user trusts it.
import { homedir } from 'node:os';
import { window, workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { expandServerCommand } from './server-command.js';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  let command = workspace.getConfiguration('ae').get<string>('server.command', '').trim();
  if (command !== '') {
    const folders = (workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.fsPath }));
    const expanded = expandServerCommand(command, { folders, home: homedir() });
    if (!expanded.ok) {
      void window.showErrorMessage(`aelang: ${expanded.error}; using the bundled server`);
      command = '';
    } else {
      command = expanded.command;
    }
  }
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
