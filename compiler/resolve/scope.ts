// What a name can mean at file level: a constant (`let`), a block, or an imported file used as a
// namespace (`import "lib.ae" as lib`). Plain imports copy the imported file's visible lets and
// blocks into the importing file's scope.
import type { BlockDeclaration, Expression, LetDeclaration, ModelDeclaration, SourceFile } from '../ast.js';

export interface FileScope {
  /** The file's path as shown to people (relative to where the compiler was called). */
  file: string;
  ast: SourceFile;
  lets: Map<string, ScopedLet>;
  blocks: Map<string, ScopedBlock>;
  namespaces: Map<string, FileScope>;
  models: ModelDeclaration[];
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

/** Every constant-like name visible in `env`, for did-you-mean. */
export function visibleConstants(env: Env): string[] {
  return [...(env.params?.keys() ?? []), ...env.scope.lets.keys(), ...env.scope.namespaces.keys()];
}
