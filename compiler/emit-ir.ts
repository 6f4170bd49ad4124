// A checked model plus its lowered objective and phases → the IR object, with a fixed key order so
// the same source always gives byte-identical JSON.
import type { CheckedModel } from './check/model.js';
import { IR_VERSION, type IRModel, type IRPhase, type IRTerm } from '../ir/types.js';

export interface EmitOptions {
  /** The `.ae` file relative to the working directory, `/`-separated. */
  source?: string;
}

export function emitIR(model: CheckedModel, training: { objective: IRTerm[]; phases: IRPhase[] }, options: EmitOptions = {}): IRModel {
  // In one loop, not a spread, a filter, maps and Object.fromEntries: this runs for every model of a file.
  const named: Record<string, string> = {};
  const heads: Record<string, string> = {};
  for (const tensor of model.tensors.values()) {
    if (tensor.origin === 'input') continue;
    setOwn(named, tensor.name, tensor.nodeId);
    if (tensor.origin === 'head') setOwn(heads, tensor.name, tensor.nodeId);
  }
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

/** Sets `record[key]` as Object.fromEntries would: a tensor the user named `__proto__` stays a key,
 *  not the object's prototype (every other key is plain data on a plain object). */
function setOwn(record: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

/** The IR as written to disk and stdout: two-space JSON with a final newline. */
export function serializeIR(ir: IRModel | IRModel[]): string {
  return JSON.stringify(ir, null, 2) + '\n';
}
