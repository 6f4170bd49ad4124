// Layers as written (calls, blocks with arguments, `repeat`) → a flat list of op instances with
// bound arguments. Blocks are expanded with their parameters bound lazily to the caller's
// expressions; a block's `as` name goes to its last layer.
import type { Call, Identifier, Layer, LayerCall } from '../../grammar/ast.js';
import { argumentCount, bindArguments, type BindContext } from './bind.js';
import { corruptionNames } from '../shapes/corruptions.js';
import { layerNames, layerOp, type LayerOp } from '../shapes/layers.js';
import { latentKinds } from '../shapes/latents.js';
import type { BoundArgs } from '../shapes/signature.js';
import type { ConstantEvaluator } from '../resolve/evaluate.js';
import { fromFailedImport, type Env, type ParameterBinding, type ScopedBlock } from '../resolve/scope.js';
import type { Reporter } from '../../diagnostics/reporter.js';
import { message } from '../../diagnostics/message.js';
import { writtenName } from '../resolve/written.js';
import { thousands } from '../../diagnostics/numbers.js';

export interface LayerInstance {
  opName: string;
  op: LayerOp;
  args: BoundArgs;
  /** The call it came from (inside a block: the block's own layer). */
  call: Call;
  /** The file the call is written in. */
  file: string;
  /** The `as` name, on the last layer of a named block call. */
  alias?: Identifier;
  aliasFile?: string;
}

export interface ExpandContext {
  evaluator: ConstantEvaluator;
  reporter: Reporter;
  layerBudget: LayerBudget;
}

/** Layers the models of one file may expand to in all: encoders, heads, written decoders, and the
 *  layers each mirror copies (docs/diagnostics.md, AE2022). Checked as the expansion goes, before
 *  each `repeat` copies its body and before a mirror is built, so a file that would expand past it
 *  costs no more than the limit: `repeat 100 { repeat 100 { ... } }` under a mirror, nested
 *  repeats and blocks that double at each level stop there with an error instead of being built
 *  (or silently cut). One budget per file, not per member: a few hundred bytes of models each at
 *  a per-member limit once cost seconds (issue 22). */
export const MAX_LAYERS = 10_000;

/** The layers a file's check has expanded so far (one per analysis, shared by its models). */
export class LayerBudget {
  used = 0;
  /** A take did not fit: nothing more is expanded in this file (not even to check names). */
  spent = false;

  /** Takes `added` layers if they fit. */
  take(added: number): boolean {
    if (this.used + added > MAX_LAYERS) {
      this.spent = true;
      return false;
    }
    this.used += added;
    return true;
  }
}

/** The note every AE2022 for layers carries. */
export const layerLimitNote = `the models of a file hold at most ${thousands(MAX_LAYERS)} layers in all once their \`repeat\`s, blocks and mirrors are expanded`;

/** Blocks calling blocks, deepest chain (docs/diagnostics.md, AE2021): expansion recurses per level. */
export const MAX_BLOCK_DEPTH = 64;

/** Block calls one member's expansion may make: blocks of empty blocks make no layers, but calls. */
const MAX_BLOCK_CALLS = 10 * MAX_LAYERS;

/** One member's expansion: layers and block calls made so far, and whether a limit stopped it. */
interface Expansion {
  ctx: ExpandContext;
  /** The layer of the member itself (not of a block or repeat inside it) being expanded, and its
   *  file: a limit is reported there, where the count the user can change is written. */
  top?: { layer: Layer; file: string };
  made: number;
  calls: number;
  stopped: boolean;
}

/** The instances, or undefined when one layer could not be resolved (already reported). */
export function expandLayers(layers: readonly Layer[], env: Env, ctx: ExpandContext): LayerInstance[] | undefined {
  const expansion: Expansion = { ctx, made: 0, calls: 0, stopped: false };
  return expandList(layers, env, expansion, []);
}

/** Counts `added` more layers; past the limit, reports it once at the member's layer being
 *  expanded and stops the expansion. */
function makeLayers(expansion: Expansion, added: number): boolean {
  if (expansion.stopped) return false;
  if (expansion.ctx.layerBudget.take(added)) {
    expansion.made += added;
    return true;
  }
  expansion.stopped = true;
  const { layer: at, file } = expansion.top!;
  expansion.ctx.reporter.report('AE2022', at, message('AE2022', { limit: thousands(MAX_LAYERS), what: 'layers' }), { file, notes: [layerLimitNote] });
  return false;
}

function expandList(layers: readonly Layer[], env: Env, expansion: Expansion, blocks: readonly ScopedBlock[], level = 0): LayerInstance[] | undefined {
  const { ctx } = expansion;
  const out: LayerInstance[] = [];
  let ok = true;
  for (const layer of layers) {
    if (expansion.stopped) return undefined;
    if (level === 0) expansion.top = { layer, file: env.scope.file };
    if (layer.recovered) {
      ok = false;
      continue;
    }
    if (layer.kind === 'RepeatLayers') {
      const count = ctx.evaluator.evaluate(layer.count, env);
      if (count === undefined) {
        ok = false;
        continue;
      }
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_LAYERS) {
        const what = 'the count of `repeat`';
        if (typeof count === 'number' && !Number.isInteger(count)) {
          ctx.reporter.report('AE2015', layer.count, message('AE2015', { what, value: count }), { file: env.scope.file });
        } else {
          const value = typeof count === 'number' ? String(count) : JSON.stringify(count);
          ctx.reporter.report('AE2020', layer.count, message('AE2020', { what, expected: `a whole number from 1 to ${MAX_LAYERS}`, value }), { file: env.scope.file });
        }
        ok = false;
        continue;
      }
      const body = expandList(layer.layers, env, expansion, blocks, level + 1);
      if (!body) {
        ok = false;
        continue;
      }
      // An `as` name inside a repeated body would name several layers: reported once, and kept on
      // the last copy only so that the loss naming it does not cascade into "unknown tensor".
      const named = count > 1 ? body.filter((i) => i.alias) : [];
      for (const instance of named) {
        const alias = instance.alias!;
        ctx.reporter.report('AE2002', alias, message('AE2002', { owner: `\`repeat ${count}\``, count, things: 'layers', name: alias.name }), {
          file: instance.aliasFile ?? env.scope.file,
          notes: ['a name names one layer: move that layer out of the `repeat`, or name a block call instead'],
        });
      }
      // The body was counted once as it expanded; the copies are counted before they are made.
      if (!makeLayers(expansion, (count - 1) * body.length)) return undefined;
      const unnamed = named.length ? body.map(({ alias: _alias, aliasFile: _file, ...rest }) => rest) : body;
      for (let i = 0; i < count; i++) for (const instance of i === count - 1 ? body : unnamed) out.push(instance);
      continue;
    }
    const expanded = expandCall(layer, env, expansion, blocks);
    if (expanded) for (const instance of expanded) out.push(instance);
    else ok = false;
  }
  return ok ? out : undefined;
}

function expandCall(layer: LayerCall, env: Env, expansion: Expansion, blocks: readonly ScopedBlock[]): LayerInstance[] | undefined {
  const { ctx } = expansion;
  const { call } = layer;
  const file = env.scope.file;
  const bind: BindContext = { evaluator: ctx.evaluator, reporter: ctx.reporter, env };
  const callee = call.callee;
  if (callee.kind === 'NameRef') {
    const op = layerOp(callee.name);
    if (op) {
      const args = bindArguments(op.signature, call, `\`${callee.name}\``, bind);
      if (!args || !makeLayers(expansion, 1)) return undefined;
      // The alias assigned, not spread into the literal: a runtime call per layer of every model.
      const instance: LayerInstance = { opName: callee.name, op, args, call, file };
      if (layer.alias) {
        instance.alias = layer.alias;
        instance.aliasFile = file;
      }
      return [instance];
    }
    const block = env.scope.blocks.get(callee.name);
    if (block) return expandBlock(block, layer, env, expansion, blocks);
    if (fromFailedImport(env.scope, callee.name, false)) return undefined;
    const notes: string[] = [];
    if ((latentKinds as readonly string[]).includes(callee.name) || corruptionNames.includes(callee.name)) {
      notes.push(`\`${callee.name}\` is a latent or corruption, not a layer`);
    }
    ctx.reporter.unknown('AE2003', callee, message('AE2003', { kind: 'layer', name: callee.name }), callee.name, [...layerNames, ...env.scope.blocks.keys()], { file, notes });
    return undefined;
  }
  // `lib.down(16)`: a block of an imported file.
  const namespaceName = callee.object.kind === 'NameRef' ? callee.object.name : undefined;
  const namespace = namespaceName === undefined ? undefined : env.scope.namespaces.get(namespaceName);
  if (!namespace) {
    const at = callee.object;
    if (namespaceName !== undefined && fromFailedImport(env.scope, namespaceName, true)) return undefined;
    if (namespaceName !== undefined) {
      ctx.reporter.unknown('AE2001', at, message('AE2001', { kind: 'import', name: namespaceName }), namespaceName, env.scope.namespaces.keys(), { file });
    } else {
      ctx.reporter.report('AE2003', callee, message('AE2003', { kind: 'layer', name: writtenName(callee) }), { file, notes: ['a layer is a name or `import.block`'] });
    }
    return undefined;
  }
  const block = namespace.blocks.get(callee.member.name);
  if (!block) {
    ctx.reporter.unknown('AE2013', callee.member, message('AE2013', { file: namespace.file, kind: 'block', name: callee.member.name }), callee.member.name, namespace.blocks.keys(), { file });
    return undefined;
  }
  return expandBlock(block, layer, env, expansion, blocks);
}

function expandBlock(block: ScopedBlock, layer: LayerCall, env: Env, expansion: Expansion, blocks: readonly ScopedBlock[]): LayerInstance[] | undefined {
  const { ctx } = expansion;
  const { call } = layer;
  const file = env.scope.file;
  const name = block.decl.name.name;
  if (blocks.some((b) => b.decl === block.decl)) {
    const chain = [...blocks.map((b) => b.decl.name.name), name].join(' → ');
    ctx.reporter.report('AE2012', call, `block \`${name}\` uses itself (${chain})`, { file });
    return undefined;
  }
  if (blocks.length >= MAX_BLOCK_DEPTH) {
    ctx.reporter.report('AE2021', call, `blocks call blocks more than ${MAX_BLOCK_DEPTH} deep here (${blocks[0]!.decl.name.name} → … → ${name})`, {
      file,
      notes: [`a chain of block calls may be at most ${MAX_BLOCK_DEPTH} deep`],
    });
    expansion.stopped = true;
    return undefined;
  }
  if (++expansion.calls > MAX_BLOCK_CALLS) {
    const top = expansion.top!;
    ctx.reporter.report('AE2022', top.layer, message('AE2022', { limit: thousands(MAX_BLOCK_CALLS), what: 'block calls' }), { file: top.file });
    expansion.stopped = true;
    return undefined;
  }
  const params = bindBlockParameters(block, call, env, ctx);
  if (!params) return undefined;
  const body = expandList(block.decl.layers, { scope: block.scope, params }, expansion, [...blocks, block], 1);
  if (!body) return undefined;
  if (body.length === 0) return body;
  if (layer.alias) {
    const last = body.length - 1;
    body[last] = { ...body[last]!, alias: layer.alias, aliasFile: file };
  }
  return body;
}

/** Block arguments: positional in parameter order, then named; defaults evaluate in the block's file. */
function bindBlockParameters(block: ScopedBlock, call: Call, env: Env, ctx: ExpandContext): Map<string, ParameterBinding> | undefined {
  const file = env.scope.file;
  const parameters = block.decl.parameters;
  const name = block.decl.name.name;
  const bound = new Map<string, ParameterBinding>();
  let ok = true;
  let position = 0;
  for (const arg of call.args) {
    if (!arg.name) {
      const parameter = parameters[position++];
      if (!parameter) {
        const given = call.args.filter((a) => !a.name).length;
        ctx.reporter.report('AE2006', arg, message('AE2006', { owner: `block \`${name}\``, expected: argumentCount(parameters.length), actual: `gets ${given}` }), {
          file,
          related: [{ message: 'declared here', range: block.decl.name.range, file: block.scope.file }],
        });
        ok = false;
        continue;
      }
      bound.set(parameter.name.name, { expr: arg.value, env });
      continue;
    }
    const parameter = parameters.find((p) => p.name.name === arg.name!.name);
    if (!parameter) {
      ctx.reporter.unknown('AE2005', arg.name, message('AE2005', { owner: `block \`${name}\``, name: arg.name.name }), arg.name.name, parameters.map((p) => p.name.name), { file });
      ok = false;
      continue;
    }
    if (bound.has(parameter.name.name)) {
      ctx.reporter.report('AE2007', arg, message('AE2007', { name: parameter.name.name }), { file });
      ok = false;
      continue;
    }
    bound.set(parameter.name.name, { expr: arg.value, env });
  }
  for (const parameter of parameters) {
    if (bound.has(parameter.name.name)) continue;
    if (parameter.default) {
      bound.set(parameter.name.name, { expr: parameter.default, env: { scope: block.scope, params: bound } });
      continue;
    }
    ctx.reporter.report('AE2006', call, message('AE2006', { owner: `block \`${name}\``, expected: `the argument \`${parameter.name.name}\``, actual: 'it is not given' }), {
      file,
      related: [{ message: 'declared here', range: parameter.range, file: block.scope.file }],
    });
    ok = false;
  }
  if (ok) for (const binding of bound.values()) ctx.evaluator.prepareParameter(binding);
  return ok ? bound : undefined;
}
