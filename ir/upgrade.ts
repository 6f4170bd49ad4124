// Reads an IR written by an older compiler as the current version, so that a run directory trained
// before a version bump still evaluates, encodes and exports. Each step upgrades one version.
// - 1 → 2: named outputs became edges (ir/outputs.ts). An unpool's `switchesFrom: <maxpool>`
//   attribute is now its second input `<maxpool>:switches`; a term's `fromLogits: <node>` that
//   squashes itself (the v1 runtime read its hidden `preactivation`) is now `<node>:logits`; and
//   `vq_loss(<vq>)` reads `[<vq's input>, <vq>:quantized]`. The training plan, which version 2
//   writes into the IR, is the one the compiler writes for the upgraded model.
import { logitsOf, outputRef } from './outputs.js';
import { planTraining, writtenPlan } from './plan.js';
import type { IRModel, IRNode } from './types.js';

type Json = Record<string, unknown>;

/** `json` upgraded to the current IR version when it is an older one; anything else as it is (the
 *  schema then reports what is wrong with it). */
export function upgradeIR(json: unknown): unknown {
  if (!isObject(json) || json.irVersion !== 1) return json;
  return upgradeFrom1(json);
}

function upgradeFrom1(v1: Json): Json {
  if (!Array.isArray(v1.nodes)) return v1;
  const nodes = (v1.nodes as Json[]).map((node) => {
    if (!isObject(node) || (node.op !== 'unpool' && node.op !== 'unpool1d') || !isObject(node.attrs)) return node;
    const { switchesFrom, ...attrs } = node.attrs;
    if (typeof switchesFrom !== 'string' || !Array.isArray(node.inputs)) return { ...node, attrs };
    return { ...node, inputs: [...node.inputs, outputRef(switchesFrom, 'switches')], attrs };
  });
  const byId = new Map(nodes.filter(isObject).map((n) => [n.id, n as unknown as IRNode]));
  const term = (t: unknown): unknown => {
    if (!isObject(t) || !Array.isArray(t.args)) return t;
    let upgraded = t;
    const options = isObject(t.options) ? t.options : undefined;
    const logits = options && typeof options.fromLogits === 'string' ? byId.get(options.fromLogits) : undefined;
    if (logits && isObject(logits.attrs)) upgraded = { ...upgraded, options: { ...options, fromLogits: logitsOf(logits) } };
    const vq = t.fn === 'vq_loss' ? byId.get(String(t.args[0])) : undefined;
    if (vq?.op === 'vector_quantize' && typeof vq.inputs?.[0] === 'string') upgraded = { ...upgraded, args: [vq.inputs[0], outputRef(vq.id, 'quantized')] };
    return upgraded;
  };
  const objective = (list: unknown) => (Array.isArray(list) ? list.map(term) : list);
  const phases = Array.isArray(v1.phases) ? v1.phases.map((p) => (isObject(p) ? { ...p, objective: objective(p.objective) } : p)) : v1.phases;
  const v2 = { ...v1, irVersion: 2, nodes, objective: objective(v1.objective), phases };
  return { ...v2, ...planOf(v2) };
}

/** `{ plan }` for an upgraded IR the compiler would have planned; nothing for one it would not
 *  (the schema, or the runtime's stages, then say what is wrong with it). */
function planOf(ir: Json): { plan?: unknown } {
  try {
    const plan = planTraining(ir as unknown as IRModel);
    return plan.ok ? { plan: writtenPlan(plan.stages) } : {};
  } catch {
    return {};
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
