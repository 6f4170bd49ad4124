// A checked model plus its lowered objective and phases → the IR object, with a fixed key order so
// the same source always gives byte-identical JSON.
import type { CheckedModel } from './check/model.js';
import { IR_VERSION, type IRModel, type IRPhase, type IRTerm } from '../ir/types.js';

export interface EmitOptions {
  /** The `.ae` file relative to the working directory, `/`-separated. */
  source?: string;
}

export function emitIR(model: CheckedModel, training: { objective: IRTerm[]; phases: IRPhase[] }, options: EmitOptions = {}): IRModel {
  // Built from entries: a tensor the user named `__proto__` stays a key, not the object's prototype.
  // The entries in one loop, not a spread, a filter and maps: this runs for every model of a file.
  const namedEntries: [string, string][] = [];
  const headEntries: [string, string][] = [];
  for (const tensor of model.tensors.values()) {
    if (tensor.origin === 'input') continue;
    namedEntries.push([tensor.name, tensor.nodeId]);
    if (tensor.origin === 'head') headEntries.push([tensor.name, tensor.nodeId]);
  }
  const named: Record<string, string> = Object.fromEntries(namedEntries);
  const heads: Record<string, string> = Object.fromEntries(headEntries);
  return {
    irVersion: IR_VERSION,
    model: model.name,
    ...(options.source !== undefined ? { source: options.source } : {}),
    inputs: model.inputs.map((i) => i.ir),
    parameters: model.parameters,
    nodes: model.nodes,
    outputs: {
      reconstruction: model.output?.nodeId ?? '',
      target: model.reconstructed?.name ?? '',
      latent: model.tensors.get(model.latent?.name ?? '')?.nodeId ?? '',
      named,
      heads,
    },
    objective: training.objective,
    phases: training.phases,
  };
}

/** The IR as written to disk and stdout: two-space JSON with a final newline. */
export function serializeIR(ir: IRModel | IRModel[]): string {
  return JSON.stringify(ir, null, 2) + '\n';
}
