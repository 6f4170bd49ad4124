// Hover: what the checker inferred for the thing under the cursor (a layer's or latent's output
// shape and parameter count, a tensor's shape, a constant's value) and a built-in's signature and
// doc line.
import path from 'node:path';
import type { Hover } from 'vscode-languageserver';
import { parameterCountsByNode } from '../compiler/check/count.js';
import type { CheckedModel } from '../compiler/check/model.js';
import { Reporter } from '../diagnostics/reporter.js';
import { ConstantEvaluator } from '../compiler/resolve/evaluate.js';
import type { FileScope, ScopedLet } from '../compiler/resolve/scope.js';
import { formatShape } from '../compiler/shapes/dims.js';
import type { AstNode, Call, Position } from '../grammar/ast.js';
import type { IRNode, IRSourceLocation } from '../ir/types.js';
import { displayOp } from '../ir/op-rules.js';
import { lookupBuiltin, signatureLabel, type CallSite } from './builtins.js';
import { toLspRange } from './convert.js';
import { occurrenceAt, type DeclaredSymbol } from './navigation.js';
import { contains, nodesAt } from './syntax-tree.js';
import type { Snapshot } from './workspace.js';
import { thousands } from '../diagnostics/numbers.js';

const tensorKinds = new Set(['input', 'latent', 'output', 'head']);
export function hover(snapshot: Snapshot, offset: number, root: string): Hover | null {
  const path = nodesAt(snapshot.analysis.ast, offset);
  const deepest = path[path.length - 1]!;
  const model = snapshot.analysis.models.find((m) => contains(m.decl.range, offset));
  const lines: string[] = [];

  const occurrence = occurrenceAt(snapshot, offset);
  // A tensor's own declaration is described by its member below; a use of it, here.
  if (occurrence && !(occurrence.declaration && tensorKinds.has(occurrence.symbol.kind))) lines.push(...describeSymbol(occurrence.symbol, snapshot, model));

  const call = callUnderCursor(path, offset);
  if (call && !occurrence) {
    const builtin = lookupBuiltin(call.name, call.site);
    if (builtin) lines.push(codeBlock(signatureLabel(builtin)), builtin.doc);
  }
  // A layer in a model, or in a block: then every model that uses the block has nodes from it.
  if (call?.site === 'layer') {
    for (const checked of model ? [model] : snapshot.analysis.models) lines.push(...layerFacts(checked, snapshot, offset, root, !model));
  }
  if (model) lines.push(...memberFacts(model, path));
  if (lines.length === 0) return null;
  const range = occurrence?.range ?? call?.range ?? deepest.range;
  return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: toLspRange(range) };
}

function codeBlock(text: string): string {
  return `\`\`\`ae\n${text}\n\`\`\``;
}

interface CallUnderCursor {
  name: string;
  site: CallSite;
  range: AstNode['range'];
}

/** The built-in or block called where the cursor is on its name, with the table it belongs to. */
function callUnderCursor(path: AstNode[], offset: number): CallUnderCursor | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i]!;
    if (node.kind !== 'Call' || node.callee.kind !== 'NameRef' || !contains(node.callee.range, offset)) continue;
    const site = siteOf(path.slice(0, i), node);
    return { name: node.callee.name, site, range: node.callee.range };
  }
  return undefined;
}

function siteOf(ancestors: AstNode[], call: Call): CallSite {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    switch (node.kind) {
      case 'LayerCall':
        return node.call === call ? 'layer' : 'loss';
      case 'LatentMember':
        return 'latent';
      case 'CorruptMember':
        return 'corruption';
      case 'OutputMember':
        return 'output';
      case 'InputMember':
        return 'input';
      case 'TrainSetting':
        return 'train';
      case 'LossMember':
        return 'loss';
      default:
        break;
    }
  }
  return 'loss';
}

/** Every node the checker built from the layer written at the cursor (a layer in a block used twice
 *  gives one per use), with its output shape and parameters. */
function layerFacts(model: CheckedModel, snapshot: Snapshot, offset: number, root: string, nameModel: boolean): string[] {
  const at = snapshot.lines.position(offset);
  const here = path.resolve(root, snapshot.file);
  const sameFile = (source: IRSourceLocation) => source.file === undefined || path.resolve(root, source.file) === here;
  const hits = model.nodes.filter((n) => n.source && sameFile(n.source) && within(n.source, at));
  if (hits.length === 0) return [];
  const narrowest = Math.min(...hits.map((n) => span(n.source!)));
  return hits
    .filter((n) => span(n.source!) === narrowest)
    .map((n) => `${nameModel ? `in \`${model.name}\`: ` : ''}${nodeLine(model, n)}`);
}

function nodeLine(model: CheckedModel, node: IRNode): string {
  const params = (parameterCountsByNode(model.parameters).get(node.id) ?? 0);
  const tied = model.parameters.some((p) => p.node === node.id && p.tiedTo !== undefined);
  const op = displayOp(node);
  return `**${op}** (${node.stage}${node.name ? `, \`${node.name}\`` : ''}) → \`${formatShape(node.shape)}\`, ${thousands(params)} parameters${tied ? ' (tied weight shared)' : ''}`;
}

function within(source: IRSourceLocation, at: Position): boolean {
  const after = at.line > source.line || (at.line === source.line && at.column >= source.column);
  const before = at.line < source.endLine || (at.line === source.endLine && at.column <= source.endColumn);
  return after && before;
}

function span(source: IRSourceLocation): number {
  return (source.endLine - source.line) * 100_000 + (source.endColumn - source.column);
}

/** The latent, input, output or head member the cursor is in. */
function memberFacts(model: CheckedModel, path: AstNode[]): string[] {
  for (const node of path) {
    switch (node.kind) {
      case 'LatentMember': {
        const latent = model.latent;
        if (!latent || latent.decl !== node) return [];
        const params = model.nodes.filter((n) => n.stage === 'latent').reduce((sum, n) => sum + (parameterCountsByNode(model.parameters).get(n.id) ?? 0), 0);
        return [`latent \`${latent.name}\` (${latent.kind}) → \`${formatShape(latent.shape)}\`, ${thousands(params)} parameters`];
      }
      case 'InputMember': {
        const input = model.inputs.find((i) => i.decl === node);
        return input ? [`input \`${input.ir.name}\` → \`${formatShape(input.ir.shape)}\``] : [];
      }
      case 'OutputMember':
        return model.output?.decl === node ? [`output \`${model.output.name}\` → \`${formatShape(model.output.shape)}\``] : [];
      case 'HeadMember': {
        const head = model.heads.find((h) => h.decl === node);
        return head ? [`head \`${head.name}\` → \`${formatShape(head.shape)}\``] : [];
      }
      case 'ModelDeclaration':
        if (node === model.decl && path[path.length - 1] === node.name) {
          return [`model \`${model.name}\`: ${thousands(model.parameterCount.total)} parameters (${thousands(model.parameterCount.trainable)} trainable)`];
        }
        break;
      default:
        break;
    }
  }
  return [];
}

function describeSymbol(symbol: DeclaredSymbol, snapshot: Snapshot, model: CheckedModel | undefined): string[] {
  switch (symbol.kind) {
    case 'constant': {
      const scoped = findLet(snapshot.program(), symbol);
      if (!scoped) return [codeBlock(`let ${symbol.name}`)];
      const value = new ConstantEvaluator(new Reporter()).evaluateLet(scoped);
      return [codeBlock(`let ${symbol.name} = ${value === undefined ? '(not a constant)' : JSON.stringify(value)}`), origin(symbol, snapshot)].filter(Boolean);
    }
    case 'block': {
      const block = findBlock(snapshot.program(), symbol);
      const params = block?.decl.parameters.map((p) => p.name.name).join(', ') ?? '';
      return [codeBlock(`block ${symbol.name}(${params})`), origin(symbol, snapshot)].filter(Boolean);
    }
    case 'import':
      return [codeBlock(`import … as ${symbol.name}`)];
    case 'parameter':
      return [codeBlock(`(block parameter) ${symbol.name}`)];
    default: {
      const tensor = model?.tensors.get(symbol.name);
      return [`${symbol.kind} \`${symbol.name}\`${tensor ? ` → \`${formatShape(tensor.shape)}\`` : ''}`];
    }
  }
}

function origin(symbol: DeclaredSymbol, snapshot: Snapshot): string {
  return symbol.file === snapshot.file ? '' : `from \`${symbol.file}\``;
}

function scopesOf(root: FileScope): FileScope[] {
  const seen = new Set<FileScope>();
  const visit = (scope: FileScope) => {
    if (seen.has(scope)) return;
    seen.add(scope);
    for (const inner of scope.namespaces.values()) visit(inner);
    for (const scoped of scope.lets.values()) visit(scoped.scope);
    for (const scoped of scope.blocks.values()) visit(scoped.scope);
  };
  visit(root);
  return [...seen];
}

function findLet(root: FileScope, symbol: DeclaredSymbol): ScopedLet | undefined {
  for (const scope of scopesOf(root)) {
    const scoped = scope.lets.get(symbol.name);
    if (scoped && scoped.scope.file === symbol.file && scoped.decl.name.range.start.offset === symbol.range.start.offset) return scoped;
  }
  return undefined;
}

function findBlock(root: FileScope, symbol: DeclaredSymbol) {
  for (const scope of scopesOf(root)) {
    const scoped = scope.blocks.get(symbol.name);
    if (scoped && scoped.scope.file === symbol.file) return scoped;
  }
  return undefined;
}
