// Layers as written (calls, blocks with arguments, `repeat`) → a flat list of op instances with
// bound arguments. Blocks are expanded with their parameters bound lazily to the caller's
// expressions; a block's `as` name goes to its last layer.
import type { Call, Identifier, Layer, LayerCall } from '../../grammar/ast.js';
import { bindArguments, type BindContext } from './bind.js';
import { corruptionNames } from '../shapes/corruptions.js';
import { layerNames, layerOp, type LayerOp } from '../shapes/layers.js';
import { latentKinds } from '../shapes/latents.js';
import type { BoundArgs } from '../shapes/signature.js';
import type { ConstantEvaluator } from '../resolve/evaluate.js';
import { fromFailedImport, type Env, type ParameterBinding, type ScopedBlock } from '../resolve/scope.js';
import type { Reporter } from '../../diagnostics/reporter.js';

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
}

/** Guards against `repeat 1e9 { ... }` exhausting memory. */
const MAX_LAYERS = 10_000;

/** The instances, or undefined when one layer could not be resolved (already reported). */
export function expandLayers(layers: readonly Layer[], env: Env, ctx: ExpandContext, blocks: readonly ScopedBlock[] = []): LayerInstance[] | undefined {
  const out: LayerInstance[] = [];
  let ok = true;
  for (const layer of layers) {
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
        const code = typeof count === 'number' && !Number.isInteger(count) ? 'AE2015' : 'AE2020';
        ctx.reporter.report(code, layer.count, `\`repeat\` needs a whole count between 1 and ${MAX_LAYERS}, got ${String(count)}`, { file: env.scope.file });
        ok = false;
        continue;
      }
      const body = expandLayers(layer.layers, env, ctx, blocks);
      if (!body) {
        ok = false;
        continue;
      }
      // An `as` name inside a repeated body would name several layers: reported once, and kept on
      // the last copy only so that the loss naming it does not cascade into "unknown tensor".
      const named = count > 1 ? body.filter((i) => i.alias) : [];
      for (const instance of named) {
        const alias = instance.alias!;
        ctx.reporter.report('AE2002', alias, `\`${alias.name}\` is inside \`repeat ${count}\`, so it would name ${count} layers`, {
          file: instance.aliasFile ?? env.scope.file,
          notes: ['a name names one layer: move that layer out of the `repeat`, or name a block call instead'],
        });
      }
      const unnamed = named.length ? body.map(({ alias: _alias, aliasFile: _file, ...rest }) => rest) : body;
      for (let i = 0; i < count && out.length < MAX_LAYERS; i++) out.push(...(i === count - 1 ? body : unnamed));
      continue;
    }
    const expanded = expandCall(layer, env, ctx, blocks);
    if (expanded) out.push(...expanded);
    else ok = false;
  }
  return ok ? out : undefined;
}

function expandCall(layer: LayerCall, env: Env, ctx: ExpandContext, blocks: readonly ScopedBlock[]): LayerInstance[] | undefined {
  const { call } = layer;
  const file = env.scope.file;
  const bind: BindContext = { evaluator: ctx.evaluator, reporter: ctx.reporter, env };
  const callee = call.callee;
  if (callee.kind === 'NameRef') {
    const op = layerOp(callee.name);
    if (op) {
      const args = bindArguments(op.signature, call, `\`${callee.name}\``, bind);
      if (!args) return undefined;
      return [{ opName: callee.name, op, args, call, file, ...(layer.alias ? { alias: layer.alias, aliasFile: file } : {}) }];
    }
    const block = env.scope.blocks.get(callee.name);
    if (block) return expandBlock(block, layer, env, ctx, blocks);
    if (fromFailedImport(env.scope, callee.name, false)) return undefined;
    const notes: string[] = [];
    if ((latentKinds as readonly string[]).includes(callee.name) || corruptionNames.includes(callee.name)) {
      notes.push(`\`${callee.name}\` is a latent or corruption, not a layer`);
    }
    ctx.reporter.unknown('AE2003', callee, `unknown layer \`${callee.name}\``, callee.name, [...layerNames, ...env.scope.blocks.keys()], { file, notes });
    return undefined;
  }
  // `lib.down(16)`: a block of an imported file.
  const namespaceName = callee.object.kind === 'NameRef' ? callee.object.name : undefined;
  const namespace = namespaceName === undefined ? undefined : env.scope.namespaces.get(namespaceName);
  if (!namespace) {
    const at = callee.object;
    if (namespaceName !== undefined && fromFailedImport(env.scope, namespaceName, true)) return undefined;
    if (namespaceName !== undefined) {
      ctx.reporter.unknown('AE2001', at, `unknown import \`${namespaceName}\``, namespaceName, env.scope.namespaces.keys(), { file });
    } else {
      ctx.reporter.report('AE2003', callee, 'a layer is a name or `import.block`', { file });
    }
    return undefined;
  }
  const block = namespace.blocks.get(callee.member.name);
  if (!block) {
    ctx.reporter.unknown('AE2013', callee.member, `\`${namespace.file}\` has no block \`${callee.member.name}\``, callee.member.name, namespace.blocks.keys(), { file });
    return undefined;
  }
  return expandBlock(block, layer, env, ctx, blocks);
}

function expandBlock(block: ScopedBlock, layer: LayerCall, env: Env, ctx: ExpandContext, blocks: readonly ScopedBlock[]): LayerInstance[] | undefined {
  const { call } = layer;
  const file = env.scope.file;
  const name = block.decl.name.name;
  if (blocks.some((b) => b.decl === block.decl)) {
    const chain = [...blocks.map((b) => b.decl.name.name), name].join(' → ');
    ctx.reporter.report('AE2012', call, `block \`${name}\` uses itself (${chain})`, { file });
    return undefined;
  }
  const params = bindBlockParameters(block, call, env, ctx);
  if (!params) return undefined;
  const body = expandLayers(block.decl.layers, { scope: block.scope, params }, ctx, [...blocks, block]);
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
        ctx.reporter.report('AE2006', arg, `block \`${name}\` takes ${parameters.length} argument${parameters.length === 1 ? '' : 's'}`, {
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
      ctx.reporter.unknown('AE2005', arg.name, `block \`${name}\` has no parameter \`${arg.name.name}\``, arg.name.name, parameters.map((p) => p.name.name), { file });
      ok = false;
      continue;
    }
    if (bound.has(parameter.name.name)) {
      ctx.reporter.report('AE2007', arg, `argument \`${parameter.name.name}\` given twice`, { file });
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
    ctx.reporter.report('AE2006', call, `block \`${name}\` needs the argument \`${parameter.name.name}\``, {
      file,
      related: [{ message: 'declared here', range: parameter.range, file: block.scope.file }],
    });
    ok = false;
  }
  return ok ? bound : undefined;
}
