// Go to definition, find references and rename. Each file's names are resolved once per analysis into
// occurrences (a place and the declaration it means), using the resolver's scopes: a constant or a
// block may come from an import, `lib.x` goes to the file imported `as lib`, and `as` names, inputs,
// the latent, the output and heads are looked up in their model.
import path from 'node:path';
import type { Call, Expression, Identifier, Layer, ModelMember, SourceFile, SourceRange } from '../grammar/ast.js';
import { normalise } from '../compiler/resolve/program.js';
import type { FileScope, ScopedBlock, ScopedLet } from '../compiler/resolve/scope.js';
import { contains } from './syntax-tree.js';

export type SymbolKind = 'constant' | 'block' | 'import' | 'layer name' | 'parameter' | 'input' | 'latent' | 'output' | 'head';

export interface DeclaredSymbol {
  kind: SymbolKind;
  name: string;
  file: string;
  /** The declaring identifier. */
  range: SourceRange;
}

export interface Occurrence {
  range: SourceRange;
  symbol: DeclaredSymbol;
  declaration: boolean;
}

/** What the resolver needs of a file: its name, its tree, its scopes. */
export interface FileView {
  file: string;
  ast: SourceFile;
  program(): FileScope;
}

/** Kinds a rename may change: their every use is a plain name found here. */
export const renameable: ReadonlySet<SymbolKind> = new Set(['constant', 'block', 'import', 'layer name', 'parameter']);

export const symbolKey = (s: DeclaredSymbol): string => `${s.file}:${s.range.start.offset}`;

const cache = new WeakMap<FileScope, Occurrence[]>();

export function occurrences(view: FileView): Occurrence[] {
  const scope = view.program();
  const cached = cache.get(scope);
  if (cached) return cached;
  const found = new Resolver(view.file, scope).run(view.ast);
  cache.set(scope, found);
  return found;
}

export function occurrenceAt(view: FileView, offset: number): Occurrence | undefined {
  let best: Occurrence | undefined;
  for (const o of occurrences(view)) {
    if (contains(o.range, offset) && (!best || o.range.end.offset - o.range.start.offset < best.range.end.offset - best.range.start.offset)) best = o;
  }
  return best;
}

export interface Reference {
  file: string;
  range: SourceRange;
  declaration: boolean;
}

/** Every place naming the symbol: a model-local name in its own file; a constant, block or import
 *  name in every file of `views` (the open documents and the files they import). */
export function referencesTo(symbol: DeclaredSymbol, current: FileView, views: readonly FileView[]): Reference[] {
  const key = symbolKey(symbol);
  const fileWide = symbol.kind === 'constant' || symbol.kind === 'block' || symbol.kind === 'import';
  const out = new Map<string, Reference>();
  for (const view of fileWide ? views : [current]) {
    for (const o of occurrences(view)) {
      if (symbolKey(o.symbol) === key) out.set(`${view.file}:${o.range.start.offset}`, { file: view.file, range: o.range, declaration: o.declaration });
    }
  }
  // The declaration counts even when its file is neither open nor imported by an open one.
  out.set(`${symbol.file}:${symbol.range.start.offset}`, { file: symbol.file, range: symbol.range, declaration: true });
  return [...out.values()];
}

/** The file an `import "..."` string at `offset` names, as the resolver builds it. */
export function importedFileAt(view: FileView, offset: number): string | undefined {
  for (const decl of view.ast.declarations) {
    if (decl.kind === 'ImportDeclaration' && !decl.path.recovered && contains(decl.path.range, offset)) {
      return normalise(path.join(path.dirname(view.file), decl.path.value));
    }
  }
  return undefined;
}

interface Env {
  params?: Map<string, DeclaredSymbol>;
  tensors?: Map<string, DeclaredSymbol>;
}

class Resolver {
  private readonly out: Occurrence[] = [];
  private readonly aliases = new Map<string, DeclaredSymbol>();

  constructor(
    private readonly file: string,
    private readonly scope: FileScope,
  ) {}

  run(ast: SourceFile): Occurrence[] {
    for (const decl of ast.declarations) {
      if (decl.kind === 'ImportDeclaration' && decl.alias && !this.aliases.has(decl.alias.name)) {
        this.aliases.set(decl.alias.name, this.declare('import', decl.alias));
      }
    }
    for (const decl of ast.declarations) {
      switch (decl.kind) {
        case 'LetDeclaration':
          this.declare('constant', decl.name);
          this.expression(decl.value, {});
          break;
        case 'BlockDeclaration': {
          this.declare('block', decl.name);
          const params = new Map<string, DeclaredSymbol>();
          for (const p of decl.parameters) {
            if (!params.has(p.name.name)) params.set(p.name.name, this.declare('parameter', p.name));
            if (p.default) this.expression(p.default, {});
          }
          const tensors = new Map<string, DeclaredSymbol>();
          this.declareAliases(decl.layers, tensors);
          this.layers(decl.layers, { params, tensors });
          break;
        }
        case 'ModelDeclaration': {
          const tensors = new Map<string, DeclaredSymbol>();
          for (const member of decl.members) this.declareMember(member, tensors);
          for (const member of decl.members) this.member(member, { tensors });
          break;
        }
        default:
          break;
      }
    }
    return this.out;
  }

  private symbol(kind: SymbolKind, id: Identifier, file = this.file): DeclaredSymbol {
    return { kind, name: id.name, file, range: id.range };
  }

  private declare(kind: SymbolKind, id: Identifier): DeclaredSymbol {
    const symbol = this.symbol(kind, id);
    if (id.name !== '' && !id.recovered) this.out.push({ range: id.range, symbol, declaration: true });
    return symbol;
  }

  private use(range: SourceRange, symbol: DeclaredSymbol | undefined): void {
    if (symbol) this.out.push({ range, symbol, declaration: false });
  }

  private declareMember(member: ModelMember, tensors: Map<string, DeclaredSymbol>): void {
    const add = (kind: SymbolKind, id: Identifier) => {
      if (!tensors.has(id.name)) tensors.set(id.name, this.declare(kind, id));
      else this.declare(kind, id);
    };
    switch (member.kind) {
      case 'InputMember':
        return add('input', member.name);
      case 'LatentMember':
        return add('latent', member.name);
      case 'OutputMember':
        return add('output', member.name);
      case 'HeadMember':
        add('head', member.name);
        return this.declareAliases(member.layers, tensors);
      case 'EncoderMember':
      case 'DecoderMember':
        return this.declareAliases(member.layers ?? [], tensors);
      default:
        return;
    }
  }

  private declareAliases(layers: readonly Layer[], tensors: Map<string, DeclaredSymbol>): void {
    for (const layer of layers) {
      if (layer.kind === 'RepeatLayers') this.declareAliases(layer.layers, tensors);
      else if (layer.alias) {
        const symbol = this.declare('layer name', layer.alias);
        if (!tensors.has(layer.alias.name)) tensors.set(layer.alias.name, symbol);
      }
    }
  }

  private member(member: ModelMember, env: Env): void {
    switch (member.kind) {
      case 'InputMember':
        if (member.type.kind === 'LabelType') this.expression(member.type.classes, env);
        else if (member.type.kind === 'TableType') member.type.columns.forEach((c) => c.category?.args.forEach((a) => this.expression(a.value, env)));
        else {
          member.type.dimensions.forEach((d) => this.expression(d, env));
          if (member.type.valueRange) {
            this.expression(member.type.valueRange.low, env);
            this.expression(member.type.valueRange.high, env);
          }
        }
        return;
      case 'CorruptMember':
        this.use(member.target.range, env.tensors?.get(member.target.name));
        member.chain.forEach((c) => this.arguments(c, env));
        return;
      case 'EncoderMember':
        return this.layers(member.layers, env);
      case 'DecoderMember':
        if (member.layers) this.layers(member.layers, env);
        member.mirror?.args.forEach((a) => this.expression(a.value, env));
        return;
      case 'LatentMember':
        return this.arguments(member.value, env);
      case 'OutputMember':
        return this.arguments(member.activation, env);
      case 'HeadMember':
        this.use(member.on.range, env.tensors?.get(member.on.name));
        return this.layers(member.layers, env);
      case 'LossMember':
        return this.expression(member.value, env);
      case 'TrainMember':
        for (const setting of member.settings) this.expression(setting.value, env);
        if (member.loss) this.expression(member.loss.value, env);
        return;
    }
  }

  private layers(layers: readonly Layer[], env: Env): void {
    for (const layer of layers) {
      if (layer.kind === 'RepeatLayers') {
        this.expression(layer.count, env);
        this.layers(layer.layers, env);
      } else this.call(layer.call, env);
    }
  }

  private call(call: Call, env: Env): void {
    const callee = call.callee;
    if (callee.kind === 'NameRef') this.use(callee.range, this.blockSymbol(this.scope.blocks.get(callee.name)));
    else this.memberAccess(callee.object, callee.member);
    this.arguments(call, env);
  }

  private arguments(call: Call, env: Env): void {
    for (const arg of call.args) this.expression(arg.value, env);
  }

  private memberAccess(object: Expression, member: Identifier): void {
    if (object.kind !== 'NameRef') return;
    const alias = this.aliases.get(object.name);
    this.use(object.range, alias);
    const namespace = this.scope.namespaces.get(object.name);
    if (!alias || !namespace) return;
    const target = this.letSymbol(namespace.lets.get(member.name)) ?? this.blockSymbol(namespace.blocks.get(member.name));
    this.use(member.range, target);
  }

  private expression(expr: Expression, env: Env): void {
    switch (expr.kind) {
      case 'NameRef':
        return this.use(
          expr.range,
          env.params?.get(expr.name) ?? env.tensors?.get(expr.name) ?? this.letSymbol(this.scope.lets.get(expr.name)) ?? this.aliases.get(expr.name),
        );
      case 'Call':
        return this.call(expr, env);
      case 'MemberAccess':
        return this.memberAccess(expr.object, expr.member);
      case 'ListExpression':
        return expr.elements.forEach((e) => this.expression(e, env));
      case 'BinaryExpression':
        this.expression(expr.left, env);
        return this.expression(expr.right, env);
      case 'UnaryExpression':
        return this.expression(expr.operand, env);
      case 'IndexExpression':
        this.expression(expr.object, env);
        return this.expression(expr.index, env);
      case 'ParenExpression':
        return this.expression(expr.expression, env);
      default:
        return;
    }
  }

  private letSymbol(scoped: ScopedLet | undefined): DeclaredSymbol | undefined {
    return scoped ? this.symbol('constant', scoped.decl.name, scoped.scope.file) : undefined;
  }

  private blockSymbol(scoped: ScopedBlock | undefined): DeclaredSymbol | undefined {
    return scoped ? this.symbol('block', scoped.decl.name, scoped.scope.file) : undefined;
  }
}
