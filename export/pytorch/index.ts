// IR + trained weights → a PyTorch project: model.py (the nn.Module, load() and the way back to
// aelang's parameter ids), train.py (the same objective and phases, from the run's weights or from
// scratch, single process or torchrun with DistributedDataParallel), weights.safetensors (the
// weights in PyTorch's layouts, under the module's state_dict keys) and model.ir.json (the IR, which
// `ae import` pairs with train.py's result).
import type { IRModel } from '../../ir/types.js';
import type { TableEncoding } from '../table.js';
import { checkWeights, ExportError, type Weights } from '../weights.js';
import { modelPy } from './model-py.js';
import { encodeSafetensors } from './tensors.js';
import { trainPy } from './train-py.js';

export { dataArgument } from './train-py.js';

export interface PytorchExportOptions {
  /** Recorded in the files' headers. */
  version?: string;
  /** A table model's row encoding (the run's table.json): model.py records it, train.py reads rows with it. */
  table?: TableEncoding;
}

export interface PytorchExport {
  files: { 'model.py': string; 'weights.safetensors': Uint8Array; 'model.ir.json': string; 'train.py'?: string };
  /** Why there is no train.py (an objective term or schedule PyTorch training does not reproduce). */
  noTrainPy?: string;
}

export function exportPytorch(ir: IRModel, weights: Weights, options: PytorchExportOptions = {}): PytorchExport {
  checkWeights(ir, weights);
  const header = `# ${ir.model}${ir.source ? ` from ${ir.source}` : ''}, exported by aelang${options.version ? ` ${options.version}` : ''}.`;
  const model = modelPy(ir, weights, `${header}\n# The model and load(): \`from model import load; model = load()\`, then model(x) and model.encode(x).`, options.table);
  const files = { 'model.py': model.source, 'weights.safetensors': encodeSafetensors(model.state), 'model.ir.json': `${JSON.stringify(ir, null, 2)}\n` };
  try {
    return { files: { ...files, 'train.py': trainPy(ir, model, { header }) } };
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    return { files, noTrainPy: error.message };
  }
}
