// DIR/train.py: trains the model from scratch with the objective and phases of its .ae file, as one
// process or under torchrun with DistributedDataParallel (gloo on CPU, nccl on GPUs) and a
// DistributedSampler: each process takes batch / processes samples per step, so a step sees the
// phase's batch across all of them.
import type { DataSource, IRModel, IRPhase, IRTerm, Optimizer } from '../../ir/types.js';
import { ExportError } from '../weights.js';
import { pythonName, type ModelCode } from './model-py.js';

/** The files train.py reads for a data source, or undefined for sources it cannot read (train.py
 *  then asks for --data). */
export type DataFiles = (source: DataSource) => { kind: 'idx'; images: string } | { kind: 'npy'; path: string } | undefined;

const py = (value: unknown): string => {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `[${value.map(py).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${py(v)}`).join(', ')}}`;
  return JSON.stringify(value);
};

function termCode(term: IRTerm, ir: IRModel): string {
  const v = (id: string) => `v[${JSON.stringify(id)}]`;
  const mode = JSON.stringify(term.options.reduce);
  const [a, b] = term.args as [string, string];
  switch (term.fn) {
    case 'reconstruction':
      throw new ExportError("a table's reconstruction loss does not export to train.py (its data needs the run's column statistics and levels)");
    case 'mse':
      return `reduce((${v(a)} - ${v(b)}) ** 2, ${mode})`;
    case 'l1':
      return `reduce(${v(a)}.abs(), ${mode})`;
    case 'l2':
      return `reduce(${v(a)} ** 2, ${mode})`;
    case 'bce':
      if (term.options.fromLogits !== undefined) {
        const id = term.options.fromLogits;
        return `bce_with_logits(v.get(${JSON.stringify(`${id}:preactivation`)}, ${v(id)}), ${v(b)}, ${mode})`;
      }
      return `bce(${v(a)}, ${v(b)}, ${mode})`;
    case 'kl':
      return `reduce(-0.5 * (1 + ${v(term.options.logvar)} - ${v(term.options.mean)} ** 2 - torch.exp(${v(term.options.logvar)})), ${mode})`;
    case 'kl_sparsity':
      return `kl_sparsity(${v(a)}, ${term.options.rho}, ${mode})`;
    case 'weight_decay': {
      const kernels = ir.parameters.filter((p) => p.role === 'kernel' && p.trainable && p.tiedTo === undefined).map((p) => `model.${pythonName(p.node)}.weight`);
      if (kernels.length === 0) return 'torch.zeros(())';
      const total = kernels.map((k) => `(${k} ** 2).sum()`).join(' + ');
      return term.options.reduce === 'sum' ? `(${total})` : `(${total}) / ${kernels.map((k) => `${k}.numel()`).join(' + ')}`;
    }
    case 'vq_loss': {
      const node = ir.nodes.find((n) => n.id === a);
      if (node?.op !== 'vector_quantize') throw new ExportError(`vq_loss(${a}): '${a}' is not a vq latent`);
      const encoded = v(node.inputs[0]!);
      const quantized = v(`${a}:quantized`);
      return `reduce((${encoded}.detach() - ${quantized}) ** 2, ${mode}) + ${term.options.commitment} * reduce((${encoded} - ${quantized}.detach()) ** 2, ${mode})`;
    }
    case 'cross_entropy':
    case 'contractive':
      throw new ExportError(`the objective term ${term.fn}(${term.args.join(', ')}) does not export to PyTorch`);
  }
}

function optimizerCode(spec: Optimizer): string {
  switch (spec.kind) {
    case 'adam':
      return `torch.optim.Adam(params, lr=${spec.lr}, betas=(${spec.beta1}, ${spec.beta2}), eps=${spec.epsilon})`;
    case 'sgd':
      return `torch.optim.SGD(params, lr=${spec.lr}, momentum=${spec.momentum})`;
    case 'rmsprop':
      return `torch.optim.RMSprop(params, lr=${spec.lr}, alpha=${spec.rho}, momentum=${spec.momentum}, eps=${spec.epsilon})`;
  }
}

/** The state_dict keys of the parameters a phase freezes (its frozen stages' and names' own). */
function frozenKeys(ir: IRModel, phase: IRPhase, model: ModelCode): string[] {
  const frozen = ir.nodes.filter((n) => phase.freeze.includes(n.stage) || (n.name !== undefined && phase.freeze.includes(n.name)));
  const keys = [...model.state.keys()];
  return frozen.flatMap((n) => {
    const attribute = pythonName(n.id);
    return keys.filter((k) => k.startsWith(`${attribute}.`) || k === `${attribute}_bias` || k === `${attribute}_codebook`);
  });
}

export function trainPy(ir: IRModel, model: ModelCode, options: { header: string; dataFiles: DataFiles }): string {
  const objectives = new Map<string, number>();
  const functions: string[] = [];
  const phases = ir.phases.map((phase) => {
    if (phase.schedule?.kind === 'greedy') throw new ExportError(`phase '${phase.name}' is greedy layer-wise pretraining, which does not export to PyTorch`);
    const key = JSON.stringify(phase.objective);
    if (!objectives.has(key)) {
      const index = objectives.size;
      objectives.set(key, index);
      // A coefficient that changes per epoch (ramp, cyclic) would train as its final weight here.
      const scheduled = phase.objective.find((t) => t.schedule);
      if (scheduled) throw new ExportError(`the coefficient schedule (${scheduled.schedule!.kind}) of ${scheduled.fn}(${scheduled.args.join(', ')}) does not export to PyTorch`);
      const lines = phase.objective.map((t) => `    total = total + ${t.weight} * ${termCode(t, ir)}  # ${t.fn}(${t.args.join(', ')})`);
      functions.push(`def objective_${index}(model, v):\n    total = 0.0\n${lines.join('\n')}\n    return total`);
    }
    const decayed = phase.optimizer.weightDecay > 0 ? ir.parameters.filter((p) => (p.role === 'kernel' || p.role === 'codebook') && p.tiedTo === undefined) : [];
    const decayedKeys = [...model.state.keys()].filter((k) => decayed.some((p) => k === `${pythonName(p.node)}.weight` || k === `${pythonName(p.node)}_codebook`));
    return {
      name: phase.name,
      data: phase.data ? (options.dataFiles(phase.data) ?? { kind: 'unreadable', source: phase.data.kind }) : null,
      validate: phase.validate ? (options.dataFiles(phase.validate) ?? null) : null,
      objective: objectives.get(key)!,
      optimizer_index: ir.phases.indexOf(phase),
      weight_decay: phase.optimizer.weightDecay,
      lr: phase.optimizer.lr,
      decayed: decayedKeys,
      epochs: phase.epochs,
      batch: phase.batch,
      seed: phase.seed,
      freeze: frozenKeys(ir, phase, model),
      early_stop: phase.earlyStop ? { patience: phase.earlyStop.patience, min_delta: phase.earlyStop.minDelta } : null,
    };
  });
  const data = ir.inputs.find((i) => i.kind === 'tensor')!;
  const optimizers = ir.phases.map((p, i) => `    if index == ${i}:\n        return ${optimizerCode(p.optimizer)}`).join('\n');
  return `#!/usr/bin/env python3
${options.header}
# Trains the model from scratch with the objective and phases of its .ae file:
#   python train.py [--epochs N] [--limit N] [--data FILE.npy|FILE-idx] [--out trained.pt]
#   torchrun --nproc_per_node=N train.py [...]   (DistributedDataParallel: gloo on CPU, nccl on GPUs)
# Each phase prints JSON lines (rank 0): the objective on held-out data (the phase's validation data,
# else its first 1024 training samples) before training and after each epoch, and the epoch's mean
# training loss. Under torchrun each process takes batch / processes samples per step.
import argparse
import json
import os

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

from model import INPUT_RANGE, ${model.className}

SAMPLE_SHAPE = ${JSON.stringify(data.shape.slice(1))}  # aelang's layout (images NHWC); the model takes NCHW
PHASES = [
${phases.map((p) => `    ${py(p)},`).join('\n')}
]


def reduce(elementwise, mode):
    """mean: over every element; sum: over each sample's elements, averaged over the batch."""
    return elementwise.mean() if mode == 'mean' else elementwise.sum() / elementwise.shape[0]


def bce_with_logits(logits, target, mode):
    return reduce(F.relu(logits) - logits * target + torch.log1p(torch.exp(-logits.abs())), mode)


def bce(p, target, mode):
    p = p.clamp(1e-7, 1 - 1e-7)
    return reduce(-(target * torch.log(p) + (1 - target) * torch.log(1 - p)), mode)


def kl_sparsity(activations, rho, mode):
    rho_hat = activations.flatten(1).mean(0).clamp(1e-6, 1 - 1e-6)
    per_unit = rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))
    return per_unit.sum() if mode == 'sum' else per_unit.mean()


${functions.join('\n\n\n')}


OBJECTIVES = [${[...objectives.values()].map((i) => `objective_${i}`).join(', ')}]


def make_optimizer(index, params):
${optimizers}


class Objective(nn.Module):
    """The model and its loss: what DistributedDataParallel wraps, so every step syncs gradients."""

    def __init__(self, model, objective):
        super().__init__()
        self.model = model
        self.objective = objective

    def forward(self, x):
        return self.objective(self.model, self.model.values(x))


def read_idx(path):
    with open(path, 'rb') as f:
        data = f.read()
    kind, rank = data[2], data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], 'big') for i in range(rank)]
    dtypes = {0x08: np.uint8, 0x09: np.int8, 0x0B: '>i2', 0x0C: '>i4', 0x0D: '>f4', 0x0E: '>f8'}
    return np.frombuffer(data, dtype=dtypes[kind], offset=4 + 4 * rank).reshape(dims)


def load_samples(source, limit):
    """Samples as aelang reads them: 8-bit data scaled onto the input's range, images to NCHW."""
    raw = read_idx(source['images']) if source['kind'] == 'idx' else np.load(source['path'], mmap_mode='r')
    if limit:
        raw = raw[:limit]
    x = np.asarray(raw, dtype=np.float32)
    if raw.dtype == np.uint8:
        low, high = INPUT_RANGE or (0, 1)
        x = low + x * np.float32((high - low) / 255)
    x = x.reshape(len(x), *SAMPLE_SHAPE)
    if len(SAMPLE_SHAPE) == 3:
        x = x.transpose(0, 3, 1, 2)
    return torch.from_numpy(np.ascontiguousarray(x))


def source_of(path):
    return {'kind': 'npy', 'path': path} if path.endswith('.npy') else {'kind': 'idx', 'images': path}


@torch.no_grad()
def held_out_loss(model, objective, x, device):
    model.eval()
    total = 0.0
    for start in range(0, len(x), 512):
        batch = x[start : start + 512].to(device)
        total += objective(model, model.values(batch)).item() * len(batch)
    model.train()
    return total / len(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--epochs', type=int, help="epochs per phase (default: each phase's)")
    parser.add_argument('--limit', type=int, help='use only the first N training samples')
    parser.add_argument('--data', help='train every phase on this .npy or IDX file')
    parser.add_argument('--out', default='trained.pt', help='where rank 0 saves the state_dict')
    args = parser.parse_args()

    distributed = int(os.environ.get('WORLD_SIZE', '1')) > 1
    cuda = torch.cuda.is_available()
    if distributed:
        dist.init_process_group('nccl' if cuda else 'gloo')
    rank = dist.get_rank() if distributed else 0
    world = dist.get_world_size() if distributed else 1
    device = torch.device('cuda', int(os.environ.get('LOCAL_RANK', '0'))) if cuda else torch.device('cpu')
    if cuda:
        torch.cuda.set_device(device)

    torch.manual_seed(PHASES[0]['seed'] if PHASES else 0)
    model = ${model.className}().to(device)
    for phase in PHASES:
        source = source_of(args.data) if args.data else phase['data']
        if source is None or source['kind'] == 'unreadable':
            kind = source['source'] if source else 'no'
            raise SystemExit(f"phase {phase['name']} trains on {kind} data, which train.py cannot read: pass --data FILE.npy or an IDX file")
        x = load_samples(source, args.limit)
        held_out = load_samples(phase['validate'], None) if phase['validate'] else x[:1024]
        objective = OBJECTIVES[phase['objective']]
        for name, parameter in model.named_parameters():
            parameter.requires_grad_(name not in phase['freeze'])
        net = Objective(model, objective)
        if distributed:
            net = DistributedDataParallel(net, device_ids=[device.index] if cuda else None)
        dataset = TensorDataset(x)
        sampler = DistributedSampler(dataset, shuffle=True, seed=phase['seed']) if distributed else None
        generator = torch.Generator().manual_seed(phase['seed'])
        loader = DataLoader(dataset, batch_size=max(1, phase['batch'] // world), sampler=sampler, shuffle=sampler is None, generator=generator)
        params = [p for p in model.parameters() if p.requires_grad]
        optimizer = make_optimizer(phase['optimizer_index'], params)
        decayed = [p for name, p in model.named_parameters() if name in phase['decayed'] and p.requires_grad]
        best, waited = held_out_loss(model, objective, held_out, device), 0
        if rank == 0:
            print(json.dumps({'phase': phase['name'], 'epoch': 0, 'held_out_loss': best}), flush=True)
        for epoch in range(1, (args.epochs or phase['epochs']) + 1):
            if sampler is not None:
                sampler.set_epoch(epoch)
            total = torch.zeros(2, dtype=torch.float64, device=device)
            for (batch,) in loader:
                batch = batch.to(device)
                loss = net(batch)
                optimizer.zero_grad()
                loss.backward()
                with torch.no_grad():  # decoupled weight decay, as aelang applies it
                    for p in decayed:
                        p.mul_(1 - phase['lr'] * phase['weight_decay'])
                optimizer.step()
                total += torch.tensor([loss.item() * len(batch), len(batch)], dtype=torch.float64, device=device)
            if distributed:
                dist.all_reduce(total)
            current = held_out_loss(model, objective, held_out, device)
            if rank == 0:
                line = {'phase': phase['name'], 'epoch': epoch, 'train_loss': (total[0] / total[1]).item(), 'held_out_loss': current, 'processes': world}
                print(json.dumps(line), flush=True)
            stop = phase['early_stop']
            if stop is not None:
                if current < best - stop['min_delta']:
                    best, waited = current, 0
                else:
                    waited += 1
                    if waited >= stop['patience']:
                        break
    if rank == 0:
        torch.save(model.state_dict(), args.out)
    if distributed:
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
`;
}
