// What a name can mean at file level: a constant (`let`), a block, or an imported file used as a
// namespace (`import "lib.ae" as lib`). Plain imports copy the imported file's visible lets and
// blocks into the importing file's scope.
import type { BlockDeclaration, Expression, LetDeclaration, ModelDeclaration, SourceFile } from '../../grammar/ast.js';

export interface FileScope {
  /** The file's path as shown to people (relative to where the compiler was called). */
  file: string;
  ast: SourceFile;
  lets: Map<string, ScopedLet>;
  blocks: Map<string, ScopedBlock>;
  namespaces: Map<string, FileScope>;
  models: ModelDeclaration[];
  /** Imports that could not be read (missing file, cycle): their `as` names, and whether a plain
   *  import failed. Names that could have come from them are not reported again (no cascade). */
  failedImports?: { aliases: Set<string>; plain: boolean };
}

/** A `let`, with the file scope its value is evaluated in (it may come from an import). */
export interface ScopedLet {
  decl: LetDeclaration;
  scope: FileScope;
}

export interface ScopedBlock {
  decl: BlockDeclaration;
  scope: FileScope;
}

/** A block parameter bound at a call: the argument's expression, evaluated lazily in the caller's env. */
export interface ParameterBinding {
  expr: Expression;
  env: Env;
}

/** Where an expression is evaluated: a file scope plus, inside a block, its parameters. */
export interface Env {
  scope: FileScope;
  params?: ReadonlyMap<string, ParameterBinding>;
}

export function emptyScope(file: string, ast: SourceFile): FileScope {
  return { file, ast, lets: new Map(), blocks: new Map(), namespaces: new Map(), models: [] };
}

/** Records an import that could not be read, so what it would have brought is not reported again. */
export function markFailedImport(scope: FileScope, alias: string | undefined): void {
  scope.failedImports ??= { aliases: new Set(), plain: false };
  if (alias === undefined) scope.failedImports.plain = true;
  else scope.failedImports.aliases.add(alias);
}

/** A name that may belong to an import that failed: an unknown name there is a cascade, not news. */
export function fromFailedImport(scope: FileScope, name: string, namespaced: boolean): boolean {
  const failed = scope.failedImports;
  if (!failed) return false;
  return namespaced ? failed.aliases.has(name) : failed.plain;
}

/** Every constant-like name visible in `env`, for did-you-mean. */
export function visibleConstants(env: Env): string[] {
  return [...(env.params?.keys() ?? []), ...env.scope.lets.keys(), ...env.scope.namespaces.keys()];
}
