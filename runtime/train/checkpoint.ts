// Checkpoints: one directory, `checkpoint/`, written as a unit. Its files are written into
// `.checkpoint.new/` and flushed; then the old directory steps aside (`.checkpoint.old/`), the new
// one is renamed into place, and the old one is removed. A run killed at any point leaves a whole
// checkpoint, the new or the previous one (recoverCheckpoint puts the previous one back), and
// state.json, written last, holds the SHA-256 of every other file, checked when it is read.
//
// Files: weights.safetensors (one tensor per stored IR parameter, under its id; a tied parameter is
// stored once, under the id of the parameter that owns it), optimizer.safetensors (slots as
// `${parameterId}/${slot}`), callbacks.safetensors (tensors of callbacks, as `${stateKey}/${name}`,
// e.g. the best weights so far) and state.json (where training stands).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, decodeSafetensors, encodeSafetensors, nodeRunFiles, readJsonFile, readSafetensors, type RunFiles, type TensorMap } from '../runs/index.js';
import type { Optimizer, OptimizerState } from '../optim/optimizer.js';
import type { Program } from '../program/program.js';

export const CHECKPOINT_DIR = 'checkpoint';
const STAGING_DIR = '.checkpoint.new';
const PREVIOUS_DIR = '.checkpoint.old';
export const WEIGHTS_FILE = 'weights.safetensors';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const CALLBACKS_FILE = 'callbacks.safetensors';
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
  /** The state of the PRNG that shuffles and draws noise for the next epoch. */
  rng: number;
  /** How many lines of metrics.jsonl belong to this checkpoint (later ones are dropped on resume). */
  metricsLines: number;
  /** Callbacks' state, by their stateKey. */
  [callback: string]: unknown;
}

export interface Checkpoint {
  state: TrainState;
  weights: TensorMap;
  optimizer: OptimizerState;
  callbacks: TensorMap;
}

export async function weightTensors(program: Program): Promise<TensorMap> {
  const out: TensorMap = {};
  for (const p of program.parameters.stored()) {
    const variable = program.variables.get(p.id)!;
    out[p.id] = { dtype: 'F32', shape: [...variable.shape], data: (await variable.data()) as Float32Array };
  }
  return out;
}

export async function saveCheckpoint(
  dir: string,
  contents: { program: Program; optimizer: Optimizer; state: TrainState; callbacks: TensorMap },
  files: RunFiles = nodeRunFiles,
): Promise<void> {
  const { program, optimizer, state } = contents;
  const weights = await weightTensors(program);
  const opt = await optimizer.state();
  checkFinite(weights, 'weights');
  checkFinite(opt.slots, 'optimizer state');
  checkFinite(contents.callbacks, 'callback state');
  const blobs: Record<string, Uint8Array> = {
    [WEIGHTS_FILE]: encodeSafetensors(weights, { format: 'pt', model: program.ir.model }),
    [OPTIMIZER_FILE]: encodeSafetensors(opt.slots, { optimizer: optimizer.spec.kind, step: String(opt.step) }),
    [CALLBACKS_FILE]: encodeSafetensors(contents.callbacks),
  };
  await recoverCheckpoint(dir, files);
  const staging = join(dir, STAGING_DIR);
  await files.makeDirectory(staging);
  for (const [name, bytes] of Object.entries(blobs)) await files.write(join(staging, name), bytes);
  const sums = Object.fromEntries(Object.entries(blobs).map(([name, bytes]) => [name, sha256(bytes)]));
  await files.write(join(staging, STATE_FILE), `${JSON.stringify({ ...state, files: sums }, null, 2)}\n`);
  await files.syncDirectory(staging);
  const current = join(dir, CHECKPOINT_DIR);
  if (files.exists(current)) await files.rename(current, join(dir, PREVIOUS_DIR));
  await files.rename(staging, current);
  await files.syncDirectory(dir);
  await files.remove(join(dir, PREVIOUS_DIR));
}

/**
 * Leaves `checkpoint/` whole after a run killed while saving: puts the previous checkpoint back if
 * the new one never arrived, and removes the half-written one.
 */
export async function recoverCheckpoint(dir: string, files: RunFiles = nodeRunFiles): Promise<void> {
  const current = join(dir, CHECKPOINT_DIR);
  const previous = join(dir, PREVIOUS_DIR);
  if (!files.exists(current) && files.exists(previous)) {
    await files.rename(previous, current);
    await files.syncDirectory(dir);
  }
  await files.remove(join(dir, STAGING_DIR));
  await files.remove(previous);
}

/** The checkpoint directory a reader should use (without repairing anything), or undefined. */
function checkpointDir(dir: string, files: RunFiles): string | undefined {
  for (const name of [CHECKPOINT_DIR, PREVIOUS_DIR]) if (files.exists(join(dir, name))) return join(dir, name);
  return undefined;
}

/** Reads the whole checkpoint, checking every file against the SHA-256 in state.json. */
export async function loadCheckpoint(dir: string, files: RunFiles = nodeRunFiles): Promise<Checkpoint | undefined> {
  const at = checkpointDir(dir, files);
  if (at === undefined) return undefined;
  const raw = await readJsonFile<unknown>(join(at, STATE_FILE));
  checkState(raw, join(at, STATE_FILE));
  const { files: sums, ...state } = raw as TrainState & { files: Record<string, string> };
  const read = async (name: string) => {
    const path = join(at, name);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch {
      throw new CheckpointError(`${path} is missing: the checkpoint is incomplete`);
    }
    if (sums?.[name] !== sha256(bytes)) throw new CheckpointError(`${path} does not match the checksum in ${STATE_FILE}: the checkpoint is damaged`);
    return decodeSafetensors(bytes, path);
  };
  const weights = await read(WEIGHTS_FILE);
  const optimizer = await read(OPTIMIZER_FILE);
  const callbacks = await read(CALLBACKS_FILE);
  checkFinite(weights.tensors, join(at, WEIGHTS_FILE));
  checkFinite(optimizer.tensors, join(at, OPTIMIZER_FILE));
  checkFinite(callbacks.tensors, join(at, CALLBACKS_FILE));
  return {
    state: state as TrainState,
    weights: weights.tensors,
    optimizer: { step: Number(optimizer.metadata.step ?? state.step), slots: optimizer.tensors },
    callbacks: callbacks.tensors,
  };
}

/** state.json is the one file no checksum covers (it holds the others'): every field is checked
 *  before it is trusted. An `"epoch": -3` once resumed and wrote epochs -2, -1, 0 into metrics.jsonl. */
function checkState(raw: unknown, path: string): void {
  const fail = (what: string): never => {
    throw new CheckpointError(`${path}: ${what}; the checkpoint cannot be resumed`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('it is not a JSON object');
  const state = raw as Record<string, unknown>;
  const count = (key: string) => {
    const value = state[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`\`${key}\` must be a whole number of at least 0, got ${JSON.stringify(value) ?? 'nothing'}`);
  };
  for (const key of ['stage', 'epoch', 'step', 'metricsLines']) count(key);
  for (const key of ['seed', 'rng']) {
    if (typeof state[key] !== 'number' || !Number.isSafeInteger(state[key])) fail(`\`${key}\` must be a whole number, got ${JSON.stringify(state[key]) ?? 'nothing'}`);
  }
  if (state.seedOverride !== null && (typeof state.seedOverride !== 'number' || !Number.isSafeInteger(state.seedOverride))) {
    fail(`\`seedOverride\` must be a whole number or null, got ${JSON.stringify(state.seedOverride) ?? 'nothing'}`);
  }
  if (typeof state.stageName !== 'string') fail(`\`stageName\` must be a string, got ${JSON.stringify(state.stageName) ?? 'nothing'}`);
  if (typeof state.stoppedEarly !== 'boolean') fail(`\`stoppedEarly\` must be true or false, got ${JSON.stringify(state.stoppedEarly) ?? 'nothing'}`);
  const files = state.files;
  if (typeof files !== 'object' || files === null || Object.values(files).some((sum) => typeof sum !== 'string')) fail('`files` must map each file to its SHA-256');
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
  checkFinite(tensors, file);
  for (const p of stored) {
    const t = tensors[p.id]!;
    const value = tf.tensor(t.data as Float32Array, t.shape, 'float32');
    program.variables.get(p.id)!.assign(value);
    value.dispose();
  }
}

/**
 * The run's weights: those of its checkpoint, or, in a directory assembled by hand (or exported),
 * a weights.safetensors beside model.ir.json.
 */
export async function loadWeights(program: Program, dir: string, files: RunFiles = nodeRunFiles): Promise<void> {
  const at = checkpointDir(dir, files);
  if (at !== undefined) {
    const checkpoint = await loadCheckpoint(dir, files);
    assignWeights(program, checkpoint!.weights, join(at, WEIGHTS_FILE));
    return;
  }
  const file = join(dir, WEIGHTS_FILE);
  const { tensors } = await readSafetensors(file);
  assignWeights(program, tensors, file);
}

/** NaN or ±Infinity in a stored tensor is an error naming the tensor and the first bad value. */
export function checkFinite(tensors: TensorMap, where: string): void {
  for (const [name, t] of Object.entries(tensors)) {
    const index = t.data.findIndex((v) => !Number.isFinite(v));
    if (index >= 0) throw new CheckpointError(`${where}: tensor '${name}' holds ${t.data[index]} at index ${index}; refusing non-finite values`);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
