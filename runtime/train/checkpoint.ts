// Checkpoints in a run directory: weights.safetensors (one tensor per stored IR parameter, under its
// id; a tied parameter is stored once, under the id of the parameter that owns it), and for --resume
// optimizer.safetensors (slots as `${parameterId}/${slot}`) plus state.json (where training stands).
import { join } from 'node:path';
import { CheckpointError, readJsonFile, readSafetensors, writeJsonAtomic, writeSafetensors, type TensorMap } from '../runs/index.js';
import type { Optimizer, OptimizerState } from '../optim/optimizer.js';
import type { Program } from '../program/program.js';
import * as tf from '@tensorflow/tfjs-core';

export const WEIGHTS_FILE = 'weights.safetensors';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const STATE_FILE = 'state.json';

/** Where training stands after a completed epoch (or when it stopped). */
export interface TrainState {
  /** Index into the run's stages (phases, greedy layers expanded). */
  stage: number;
  stageName: string;
  /** Epochs of this stage already completed. */
  epoch: number;
  /** Optimiser steps taken in the whole run. */
  step: number;
  seed: number;
  /** The --seed the run started with (it replaces every phase's seed), or null. */
  seedOverride: number | null;
  /** Early stopping ended the stage; resume starts the next one (as it does when all epochs ran). */
  stoppedEarly: boolean;
  earlyStop: { best: number | null; wait: number };
  /** The state of the PRNG that shuffles and draws noise for the next epoch. */
  rng: number;
}

export async function weightTensors(program: Program): Promise<TensorMap> {
  const out: TensorMap = {};
  for (const p of program.parameters.stored()) {
    const variable = program.variables.get(p.id)!;
    out[p.id] = { dtype: 'F32', shape: [...variable.shape], data: (await variable.data()) as Float32Array };
  }
  return out;
}

export async function saveCheckpoint(dir: string, program: Program, optimizer: Optimizer, state: TrainState): Promise<void> {
  await writeSafetensors(join(dir, WEIGHTS_FILE), await weightTensors(program), { format: 'pt', model: program.ir.model });
  const opt = await optimizer.state();
  await writeSafetensors(join(dir, OPTIMIZER_FILE), opt.slots, { optimizer: optimizer.spec.kind, step: String(opt.step) });
  await writeJsonAtomic(join(dir, STATE_FILE), state);
}

/** Copies a checkpoint's tensors into the program's variables, checking every name and shape first. */
export function assignWeights(program: Program, tensors: TensorMap, file: string): void {
  const stored = program.parameters.stored();
  const expected = new Set(stored.map((p) => p.id));
  for (const name of Object.keys(tensors)) {
    if (!expected.has(name)) {
      throw new CheckpointError(`${file}: tensor '${name}' is not a parameter of model '${program.ir.model}' (a checkpoint of another model?)`);
    }
  }
  for (const p of stored) {
    const t = tensors[p.id];
    if (!t) throw new CheckpointError(`${file}: parameter '${p.id}' is missing`);
    if (t.dtype !== 'F32') throw new CheckpointError(`${file}: parameter '${p.id}' has dtype ${t.dtype}, expected F32`);
    const shape = program.variables.get(p.id)!.shape;
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new CheckpointError(`${file}: parameter '${p.id}' has shape [${t.shape.join(', ')}], the model expects [${shape.join(', ')}]`);
    }
  }
  for (const p of stored) {
    const t = tensors[p.id]!;
    const value = tf.tensor(t.data as Float32Array, t.shape, 'float32');
    program.variables.get(p.id)!.assign(value);
    value.dispose();
  }
}

export async function loadWeights(program: Program, dir: string): Promise<void> {
  const file = join(dir, WEIGHTS_FILE);
  const { tensors } = await readSafetensors(file);
  assignWeights(program, tensors, file);
}

export async function loadResumeState(
  dir: string,
): Promise<{ state: TrainState; optimizer: OptimizerState }> {
  const state = await readJsonFile<TrainState>(join(dir, STATE_FILE));
  const { tensors, metadata } = await readSafetensors(join(dir, OPTIMIZER_FILE));
  return { state, optimizer: { step: Number(metadata.step ?? state.step), slots: tensors } };
}
