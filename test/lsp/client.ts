// An LSP client as an editor is one: a child process speaking JSON-RPC over its stdin/stdout, through
// vscode-languageserver-protocol's client side. It records every notification it receives.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node.js';

export const repositoryRoot = join(import.meta.dirname, '../..');

export interface StartOptions {
  /** The workspace root the server names files against (default: the repository). */
  root?: string;
  /** The server's quiet time after a change; default: the server's own. */
  debounceMs?: number;
  /** Run the installed command (`bin/ae.js lsp --stdio` over the built dist/) instead of the sources. */
  installed?: boolean;
  /** Load test/lsp/heap-probe.mjs into the server, for `liveHeapBytes`. */
  heapProbe?: boolean;
}

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  stderr = '';
  exitCode: number | null = null;
  capabilities?: InitializeResult['capabilities'];
  private versions = new Map<string, number>();

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    child.stderr.on('data', (chunk) => (this.stderr += chunk));
    child.on('exit', (code) => (this.exitCode = code));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== params.uri || !w.accept(params)) return true;
        w.resolve(params);
        return false;
      });
    });
    this.connection.listen();
  }

  static async start(options: StartOptions = {}): Promise<TestClient> {
    const root = options.root ?? repositoryRoot;
    const probe = options.heapProbe ? ['--expose-gc', '--import', pathToFileURL(join(repositoryRoot, 'test/lsp/heap-probe.mjs')).href] : [];
    const entry = options.installed ? [join(repositoryRoot, 'bin/ae.js'), 'lsp', '--stdio'] : ['--import', 'tsx', join(repositoryRoot, 'test/lsp/server-entry.ts')];
    const child = spawn(process.execPath, [...probe, ...entry], { cwd: repositoryRoot });
    const client = new TestClient(child);
    const result = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      capabilities: {},
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'root' }],
      ...(options.debounceMs !== undefined ? { initializationOptions: { debounceMs: options.debounceMs } } : {}),
    });
    client.capabilities = result.capabilities;
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** The server's live heap after a full collection; needs the server started with `heapProbe`. */
  async liveHeapBytes(): Promise<number> {
    const seen = this.stderr.length;
    this.child.kill('SIGUSR2');
    for (;;) {
      const line = /heap-used (\d+)\n/.exec(this.stderr.slice(seen));
      if (line) return Number(line[1]);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  uri(file: string, root = repositoryRoot): string {
    return pathToFileURL(join(root, file)).href;
  }

  /** Resolves with the next diagnostics published for `uri` that `accept` takes (default: any). */
  nextDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve) => this.waiters.push({ uri, accept, resolve }));
  }

  /** The last diagnostics published for `uri` if `accept` takes them, else the next it takes. */
  diagnosticsWhere(uri: string, accept: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
    const last = this.diagnostics.get(uri);
    return last && accept(last) ? Promise.resolve(last) : this.nextDiagnostics(uri, accept);
  }

  /** Closes the document; resolves with what the server published on closing it (no version). */
  async closeAndWait(uri: string): Promise<PublishDiagnosticsParams> {
    const cleared = this.nextDiagnostics(uri, (p) => p.version === undefined || p.version === null);
    await this.close(uri);
    return cleared;
  }

  /** Opens the document and waits for its first diagnostics. */
  async open(uri: string, text: string): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const published = this.nextDiagnostics(uri, (p) => p.version === 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'ae', version: 1, text } });
    return (await published).diagnostics;
  }

  /** Sends one change; returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async save(uri: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async stop(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    const exited = new Promise<number | null>((resolve) => {
      if (this.exitCode !== null) resolve(this.exitCode);
      else this.child.on('exit', (code) => resolve(code));
    });
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
