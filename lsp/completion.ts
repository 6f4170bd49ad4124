// Completion: what may be written at the cursor, by the body and member it is in (see cursor-context).
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { formatShape } from '../compiler/shapes/dims.js';
import type { FileScope } from '../compiler/resolve/scope.js';
import {
  activations,
  corruptions,
  dataSources,
  earlyStop,
  latents,
  layers,
  lookupBuiltin,
  losses,
  optimizers,
  schedules,
  settings,
  signatureLabel,
  type Builtin,
} from './builtins.js';
import { cursorContext, type CursorContext, type OpenCall } from './cursor-context.js';
import { modelDeclaration, tensorNames } from './scope-names.js';
import type { Snapshot } from './workspace.js';

const memberKeywords = ['input', 'corrupt', 'encoder', 'decoder', 'latent', 'output', 'head', 'loss', 'train'];
const topKeywords = ['model', 'block', 'let', 'import'];

/** `text` is the document now; `snapshot` the last analysis (for names, which it may lag behind). */
export function complete(text: string, offset: number, snapshot: Snapshot | undefined): CompletionItem[] {
  const context = cursorContext(text, offset);
  if (context.namingPosition) return [];
  const scope = snapshot?.program();
  if (context.call) return callCompletions(context, context.call, snapshot, scope);
  switch (context.body) {
    case 'file':
      return context.statementStart ? topKeywords.map(keyword) : [];
    case 'layers':
      if (context.statementStart) return [...layers.map(builtinItem), ...blockItems(scope), keyword('repeat')];
      return [keyword('as')];
    case 'model':
      return modelCompletions(context, snapshot, scope);
    case 'train':
      return trainCompletions(context, snapshot, scope);
    default:
      return [];
  }
}

function modelCompletions(context: CursorContext, snapshot: Snapshot | undefined, scope: FileScope | undefined): CompletionItem[] {
  if (context.statementStart) return memberKeywords.map(keyword);
  switch (context.member) {
    case 'latent':
      return context.afterEquals ? latents.map(builtinItem) : [];
    case 'output':
      return context.afterEquals ? activations.map(builtinItem) : [];
    case 'decoder':
      return context.afterEquals ? [{ label: 'mirror', kind: CompletionItemKind.Function, insertText: 'mirror(encoder)', detail: 'mirror(encoder, tied = false)' }] : [];
    case 'corrupt':
      return context.afterCorruptWord ? corruptions.map(builtinItem) : [keyword('with'), keyword('then')];
    case 'head':
      return tensorItems(snapshot, context.model);
    case 'loss':
      return lossNames(context, snapshot, scope);
    default:
      return [];
  }
}

function trainCompletions(context: CursorContext, snapshot: Snapshot | undefined, scope: FileScope | undefined): CompletionItem[] {
  if (context.statementStart) return [...settings.map(builtinItem), keyword('loss')];
  switch (context.member) {
    case 'optimizer':
      return optimizers.map(builtinItem);
    case 'data':
    case 'validate':
      return dataSources.map(builtinItem);
    case 'schedule':
      return schedules.map(builtinItem);
    case 'early_stop':
      return [builtinItem(earlyStop), keyword('false')];
    case 'freeze':
      return context.inList ? freezeTargets(snapshot, context.model) : [];
    case 'loss':
      return lossNames(context, snapshot, scope);
    default:
      return constantItems(scope);
  }
}

function callCompletions(context: CursorContext, call: OpenCall, snapshot: Snapshot | undefined, scope: FileScope | undefined): CompletionItem[] {
  const valueItems = () => (call.site === 'loss' ? [...tensorItems(snapshot, context.model), ...constantItems(scope)] : constantItems(scope));
  const parameters = callParameters(call, scope);
  if (call.currentName !== undefined) {
    const parameter = parameters.find((p) => p.name === call.currentName);
    if (call.currentName === 'act') return activations.map(builtinItem);
    const words = parameter?.type?.match(/`[^`]+`/g)?.map((w) => w.slice(1, -1));
    if (words && words.length > 0 && !words.includes('encoder')) return words.map((w) => ({ label: w, kind: CompletionItemKind.EnumMember }));
    return valueItems();
  }
  if (call.callee === 'mirror') return [{ label: 'encoder', kind: CompletionItemKind.Keyword }, ...named(parameters.slice(1), call)];
  return [...named(parameters, call), ...valueItems()];
}

function named(parameters: readonly { name: string; default?: string; type?: string }[], call: OpenCall): CompletionItem[] {
  return parameters
    .filter((p, index) => index >= call.positionalBefore && !call.named.includes(p.name))
    .map((p) => ({
      label: `${p.name} =`,
      kind: CompletionItemKind.Property,
      insertText: `${p.name} = `,
      detail: p.type ?? '',
      ...(p.default !== undefined ? { documentation: `default: ${p.default}` } : {}),
      sortText: `0${p.name}`,
    }));
}

/** The parameters of the call: a built-in's, or a block's (also through an import name). */
export function callParameters(call: OpenCall, scope: FileScope | undefined): { name: string; default?: string; type?: string }[] {
  const builtin = call.namespace === undefined ? lookupBuiltin(call.callee, call.site) : undefined;
  if (builtin) return builtin.parameters;
  const blocks = call.namespace === undefined ? scope?.blocks : scope?.namespaces.get(call.namespace)?.blocks;
  const block = blocks?.get(call.callee);
  return block ? block.decl.parameters.map((p) => ({ name: p.name.name, ...(p.default ? { default: '…' } : {}) })) : [];
}

function lossNames(context: CursorContext, snapshot: Snapshot | undefined, scope: FileScope | undefined): CompletionItem[] {
  return [...tensorItems(snapshot, context.model), ...losses.map(builtinItem), ...constantItems(scope)];
}

function freezeTargets(snapshot: Snapshot | undefined, model: string | undefined): CompletionItem[] {
  const stages = ['encoder', 'latent', 'decoder'].map((s) => ({ label: s, kind: CompletionItemKind.Module }));
  const names = snapshot ? tensorNames(snapshot, model).filter((t) => t.origin === 'layer' || t.origin === 'head') : [];
  return [...stages, ...names.map((t) => ({ label: t.name, kind: CompletionItemKind.Variable }))];
}

function tensorItems(snapshot: Snapshot | undefined, model: string | undefined): CompletionItem[] {
  if (!snapshot || !modelDeclaration(snapshot, model)) return [];
  return tensorNames(snapshot, model).map((t) => ({
    label: t.name,
    kind: CompletionItemKind.Variable,
    detail: `${t.origin}${t.shape ? ` ${formatShape(t.shape)}` : ''}`,
    sortText: `0${t.name}`,
  }));
}

function constantItems(scope: FileScope | undefined): CompletionItem[] {
  if (!scope) return [];
  return [
    ...[...scope.lets.keys()].map((name) => ({ label: name, kind: CompletionItemKind.Constant })),
    ...[...scope.namespaces.keys()].map((name) => ({ label: name, kind: CompletionItemKind.Module })),
  ];
}

function blockItems(scope: FileScope | undefined): CompletionItem[] {
  if (!scope) return [];
  const own = [...scope.blocks.values()].map((b) => blockItem(b.decl.name.name, b.decl.parameters.map((p) => p.name.name)));
  const imported = [...scope.namespaces.entries()].flatMap(([alias, ns]) =>
    [...ns.blocks.values()].map((b) => blockItem(`${alias}.${b.decl.name.name}`, b.decl.parameters.map((p) => p.name.name))),
  );
  return [...own, ...imported];
}

function blockItem(name: string, parameters: string[]): CompletionItem {
  return { label: name, kind: CompletionItemKind.Class, detail: `block ${name}(${parameters.join(', ')})` };
}

function builtinItem(builtin: Builtin): CompletionItem {
  const takesArguments = builtin.parameters.length > 0;
  return {
    label: builtin.name,
    kind: builtin.kind === 'setting' ? CompletionItemKind.Property : builtin.kind === 'activation' ? CompletionItemKind.EnumMember : CompletionItemKind.Function,
    detail: builtin.kind === 'setting' ? `${builtin.name} (train setting)` : signatureLabel(builtin),
    documentation: builtin.doc,
    ...(builtin.kind === 'setting'
      ? { insertText: `${builtin.name} = ` }
      : takesArguments && builtin.parameters.some((p) => p.default === undefined)
        ? { insertText: `${builtin.name}($1)`, insertTextFormat: InsertTextFormat.Snippet }
        : {}),
  };
}

function keyword(word: string): CompletionItem {
  return { label: word, kind: CompletionItemKind.Keyword };
}
