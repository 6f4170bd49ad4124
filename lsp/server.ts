// The language server: LSP requests in, the compiler's answers out. Diagnostics come from the same
// `analyzeSource` call `ae check` makes, with the same file naming, so the two always agree.
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type Location,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { keywordNames } from '../grammar/tokens.js';
import { quickFixes } from './code-actions.js';
import { complete } from './completion.js';
import { toLspDiagnostic, toLspRange } from './convert.js';
import { documentSymbols } from './document-symbols.js';
import { formatDocument } from './formatting.js';
import { hover } from './hover.js';
import { importedFileAt, occurrenceAt, referencesTo, renameable, type DeclaredSymbol } from './navigation.js';
import { legend, semanticTokens } from './semantic-tokens.js';
import { signatureHelp } from './signature-help.js';
import { Workspace, type Snapshot } from './workspace.js';

export interface ServerOptions {
  /** Quiet time after a keystroke before diagnostics are recomputed (default 15 ms: enough to take a burst of changes — a paste, an undo, key repeat — as one). */
  debounceMs?: number;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  let workspace: Workspace | undefined;
  const ws = (): Workspace => {
    if (!workspace) throw new Error('the server was not initialised');
    return workspace;
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    const root = folder?.startsWith('file:') ? fileURLToPath(folder) : (params.rootPath ?? process.cwd());
    const requested = (params.initializationOptions as { debounceMs?: unknown } | undefined)?.debounceMs;
    const debounceMs = typeof requested === 'number' && requested >= 0 ? requested : (options.debounceMs ?? 15);
    workspace = new Workspace({ root, debounceMs, analysed: publish });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['(', ',', '=', '.', '['] },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [',', '='] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        semanticTokensProvider: { legend, full: true },
      },
      serverInfo: { name: 'ae' },
    };
  });

  function publish(snapshot: Snapshot): void {
    const names = ws().names;
    const own = snapshot.analysis.diagnostics.filter((d) => (d.file ?? snapshot.file) === snapshot.file);
    void connection.sendDiagnostics({ uri: snapshot.uri, version: snapshot.version, diagnostics: own.map((d) => toLspDiagnostic(d, names)) });
  }

  connection.onDidOpenTextDocument(({ textDocument: d }) => ws().didOpen(d.uri, d.languageId, d.version, d.text));
  connection.onDidChangeTextDocument(({ textDocument: d, contentChanges }) => ws().didChange(d.uri, d.version, contentChanges));
  connection.onDidCloseTextDocument(({ textDocument: d }) => {
    ws().didClose(d.uri);
    void connection.sendDiagnostics({ uri: d.uri, diagnostics: [] });
  });
  connection.onDidSaveTextDocument(({ textDocument: d }) => ws().fileChanged(d.uri));
  connection.onDidChangeWatchedFiles(({ changes }) => changes.forEach((c) => ws().fileChanged(c.uri)));

  const offsetOf = (uri: string, position: { line: number; character: number }) => ws().document(uri)?.offsetAt(position);

  connection.onHover(({ textDocument, position }) => {
    const snapshot = ws().snapshot(textDocument.uri);
    const offset = offsetOf(textDocument.uri, position);
    return snapshot && offset !== undefined ? hover(snapshot, offset, ws().root) : null;
  });

  connection.onCompletion(({ textDocument, position }) => {
    const document = ws().document(textDocument.uri);
    if (!document) return [];
    return complete(document.getText(), document.offsetAt(position), ws().lastSnapshot(textDocument.uri));
  });

  connection.onSignatureHelp(({ textDocument, position }) => {
    const document = ws().document(textDocument.uri);
    if (!document) return null;
    return signatureHelp(document.getText(), document.offsetAt(position), ws().lastSnapshot(textDocument.uri));
  });

  connection.onDefinition(({ textDocument, position }): Location | null => {
    const snapshot = ws().snapshot(textDocument.uri);
    const offset = offsetOf(textDocument.uri, position);
    if (!snapshot || offset === undefined) return null;
    const imported = importedFileAt(snapshot, offset);
    if (imported !== undefined) return { uri: ws().names.uriOf(imported), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    const occurrence = occurrenceAt(snapshot, offset);
    return occurrence ? location(occurrence.symbol) : null;
  });

  const location = (symbol: DeclaredSymbol): Location => ({ uri: ws().names.uriOf(symbol.file), range: toLspRange(symbol.range) });

  connection.onReferences(({ textDocument, position, context }) => {
    const snapshot = ws().snapshot(textDocument.uri);
    const offset = offsetOf(textDocument.uri, position);
    if (!snapshot || offset === undefined) return [];
    const occurrence = occurrenceAt(snapshot, offset);
    if (!occurrence) return [];
    return referencesTo(occurrence.symbol, snapshot, ws().relatedViews(snapshot))
      .filter((r) => context.includeDeclaration || !r.declaration)
      .map((r) => ({ uri: ws().names.uriOf(r.file), range: toLspRange(r.range) }));
  });

  connection.onPrepareRename(({ textDocument, position }) => {
    const snapshot = ws().snapshot(textDocument.uri);
    const offset = offsetOf(textDocument.uri, position);
    if (!snapshot || offset === undefined) return null;
    const occurrence = occurrenceAt(snapshot, offset);
    if (!occurrence || !renameable.has(occurrence.symbol.kind)) return null;
    return { range: toLspRange(occurrence.range), placeholder: occurrence.symbol.name };
  });

  connection.onRenameRequest(({ textDocument, position, newName }): WorkspaceEdit | null => {
    const snapshot = ws().snapshot(textDocument.uri);
    const offset = offsetOf(textDocument.uri, position);
    if (!snapshot || offset === undefined) return null;
    const occurrence = occurrenceAt(snapshot, offset);
    if (!occurrence || !renameable.has(occurrence.symbol.kind)) return null;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName) || keywordNames.has(newName)) {
      throw new Error(`\`${newName}\` is not a name: use letters, digits and _, not starting with a digit, and not a keyword`);
    }
    const changes: Record<string, TextEdit[]> = {};
    for (const r of referencesTo(occurrence.symbol, snapshot, ws().relatedViews(snapshot))) {
      (changes[ws().names.uriOf(r.file)] ??= []).push({ range: toLspRange(r.range), newText: newName });
    }
    return { changes };
  });

  connection.onDocumentSymbol(({ textDocument }) => {
    const snapshot = ws().snapshot(textDocument.uri);
    return snapshot ? documentSymbols(snapshot.ast) : [];
  });

  connection.onDocumentFormatting(async ({ textDocument }) => {
    const document = ws().document(textDocument.uri);
    return document ? formatDocument(document.getText()) : [];
  });

  connection.onDocumentRangeFormatting(async ({ textDocument, range }) => {
    const document = ws().document(textDocument.uri);
    return document ? formatDocument(document.getText(), range) : [];
  });

  connection.onCodeAction(({ textDocument, context }) => quickFixes(textDocument.uri, context.diagnostics));

  connection.languages.semanticTokens.on(({ textDocument }) => {
    const snapshot = ws().snapshot(textDocument.uri);
    return snapshot ? semanticTokens(snapshot) : { data: [] };
  });

  connection.onShutdown(() => workspace?.dispose());
  connection.listen();
}
