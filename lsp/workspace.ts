// The open documents and what the compiler last said about each. A document is re-analysed a short
// while after its last change (typing does not queue one analysis per key), and every open document
// that imports a changed file is re-analysed with it. Imports are read from the editor's buffer when
// the file is open there, so an unsaved edit to a library shows in the files that use it.
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeSource, type Analysis } from '../compiler/analyze.js';
import { Reporter } from '../diagnostics/reporter.js';
import { ProgramBuilder } from '../compiler/resolve/program.js';
import { isInside, readRegularFile, type ImportRead } from '../compiler/resolve/source-files.js';
import type { FileScope } from '../compiler/resolve/scope.js';
import { LineMap, parseSource } from '../grammar/index.js';
import type { SourceFile } from '../grammar/ast.js';
import { FileNames } from './convert.js';
import type { FileView } from './navigation.js';

/** A document as the compiler saw it at one version; as a FileView, its resolved scopes are built
 *  on first use (only navigation, completion and hover need them). */
export interface Snapshot extends FileView {
  uri: string;
  version: number;
  text: string;
  lines: LineMap;
  analysis: Analysis;
}

interface OpenDocument {
  document: TextDocument;
  file: string;
  snapshot?: Snapshot;
  timer?: NodeJS.Timeout;
}

export interface WorkspaceOptions {
  root: string;
  /** Quiet time after a change before the document is analysed again. */
  debounceMs: number;
  /** Called with each new snapshot (to publish its diagnostics). */
  analysed(snapshot: Snapshot): void;
}

export class Workspace {
  readonly names: FileNames;
  private readonly open = new Map<string, OpenDocument>();

  constructor(private readonly options: WorkspaceOptions) {
    this.names = new FileNames(options.root);
  }

  get root(): string {
    return this.options.root;
  }

  document(uri: string): TextDocument | undefined {
    return this.open.get(uri)?.document;
  }

  didOpen(uri: string, languageId: string, version: number, text: string): void {
    const file = this.names.fileOf(uri) ?? uri;
    this.open.set(uri, { document: TextDocument.create(uri, languageId, version, text), file });
    this.analyseNow(uri);
    this.dependentsChanged(file);
  }

  didChange(uri: string, version: number, changes: Parameters<typeof TextDocument.update>[1]): void {
    const entry = this.open.get(uri);
    if (!entry) return;
    entry.document = TextDocument.update(entry.document, changes, version);
    this.schedule(uri);
    this.dependentsChanged(entry.file);
  }

  didClose(uri: string): void {
    const entry = this.open.get(uri);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.open.delete(uri);
    // Files importing it now read it from disk, which may differ from the closed buffer.
    this.dependentsChanged(entry.file);
  }

  /** A file changed on disk (saved, or changed by another program). */
  fileChanged(uri: string): void {
    const file = this.names.fileOf(uri);
    if (file !== undefined) this.dependentsChanged(file);
  }

  /** The analysis of the document's current text; analyses it now when a change is still pending. */
  snapshot(uri: string): Snapshot | undefined {
    const entry = this.open.get(uri);
    if (!entry) return undefined;
    if (entry.snapshot?.version !== entry.document.version) this.analyseNow(uri);
    return entry.snapshot;
  }

  /** The last analysis, even if the text changed since (for names, which rarely move). */
  lastSnapshot(uri: string): Snapshot | undefined {
    return this.open.get(uri)?.snapshot;
  }

  openSnapshots(): Snapshot[] {
    return [...this.open.keys()].map((uri) => this.snapshot(uri)).filter((s): s is Snapshot => s !== undefined);
  }

  /** The open documents, then every file they import that is not open, parsed and resolved here. */
  relatedViews(current: Snapshot): FileView[] {
    const open = this.openSnapshots();
    const views: FileView[] = [...open];
    const covered = new Set(open.map((s) => s.file));
    for (const snapshot of [current, ...open]) {
      for (const [file, text] of snapshot.analysis.sources) {
        if (covered.has(file)) continue;
        covered.add(file);
        views.push(this.view(file, parseSource(text).ast));
      }
    }
    return views;
  }

  /** A file's tree with its scopes, resolved on first use (reading imports as `readText` does). */
  private view(file: string, ast: SourceFile): FileView {
    let program: FileScope | undefined;
    const readFile = (f: string) => this.readText(f);
    const host = {
      readFile,
      insideRoot: (f: string) => isInside(this.options.root, path.resolve(this.options.root, f)),
      root: '.',
      parse: parseSource,
    };
    return { file, ast, program: () => (program ??= new ProgramBuilder(host, new Reporter()).build(file, ast)) };
  }

  dispose(): void {
    for (const entry of this.open.values()) clearTimeout(entry.timer);
    this.open.clear();
  }

  /** The text of a file as the editor has it, else from disk: only a regular file inside the
   *  workspace (a FIFO or a link out of it is refused, as `ae check` refuses it). */
  readText(file: string): ImportRead {
    for (const entry of this.open.values()) if (entry.file === file) return entry.document.getText();
    return readRegularFile(path.resolve(this.options.root, file), this.options.root);
  }

  private schedule(uri: string): void {
    const entry = this.open.get(uri);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.analyseNow(uri), this.options.debounceMs);
  }

  private dependentsChanged(file: string): void {
    for (const [uri, entry] of this.open) {
      if (entry.file !== file && entry.snapshot?.analysis.sources.has(file)) this.schedule(uri);
    }
  }

  private analyseNow(uri: string): void {
    const entry = this.open.get(uri);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    const text = entry.document.getText();
    const readFile = (file: string) => this.readText(file);
    const analysis = analyzeSource(text, entry.file, { cwd: this.options.root, validateSchema: false, readFile });
    entry.snapshot = {
      ...this.view(entry.file, analysis.ast),
      uri,
      version: entry.document.version,
      text,
      lines: new LineMap(text),
      analysis,
    };
    this.options.analysed(entry.snapshot);
  }
}
