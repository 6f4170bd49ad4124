// The figures that say whether a model learnt what its family promises, beyond its loss: each
// labelled head's accuracy and cross-entropy, a VAE's negative ELBO (at the posterior mean and with
// one reparameterised draw), and a VQ codebook's perplexity and the number of codes in use. One pass
// over the data in inference mode; `ae eval` prints them and training logs them each epoch
// (callbacks/model-figures.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { IRModel, IRNode, IRTerm } from '../../ir/types.js';
import { activationOf, asLatent, termTraits } from '../../ir/op-rules.js';
import { outputOf } from '../../ir/outputs.js';
import type { Dataset } from '../data/index.js';
import { computeObjective } from '../objective/objective.js';
import { gaussianKlPerUnit } from '../objective/terms/regularizers.js';
import { tidyValue } from '../program/gradient.js';
import type { Program } from '../program/program.js';
import { Rng } from '../program/rng.js';
import { batchInputs, batchStarts, modelInputs } from './batches.js';

export interface HeadMetrics {
  /** Fraction of samples whose argmax class is the label. */
  accuracy: number;
  /** Mean categorical cross-entropy against the labels, in nats. */
  loss: number;
}

export interface CodebookMetrics {
  /** exp of the entropy of the code frequencies: K when every code is equally used, 1 when one is. */
  perplexity: number;
  /** Codes chosen by at least one vector. */
  used: number;
  size: number;
}

export interface ModelMetrics {
  heads?: Record<string, HeadMetrics>;
  /** Negative ELBO per sample in nats: the reconstruction terms as the loss writes them (weighted)
   *  plus the KL summed over the latent units, with z at the posterior mean. */
  nelbo?: number;
  /** The same with z one reparameterised draw from the posterior. */
  nelbo_sampled?: number;
  codebook?: CodebookMetrics;
  /** A onehot latent's clusters (each sample's argmax), measured as a codebook's use: a collapse
   *  to one cluster shows as perplexity 1 and 1 used (issue 22: 3,000 of 3,000 images in one). */
  clusters?: CodebookMetrics;
}

const EPSILON = 1e-7;

/** Labelled heads: head name → [head node id, label input name]. */
function labelledHeads(ir: IRModel, objective: readonly IRTerm[]): [string, string, string][] {
  const labels = ir.inputs.filter((i) => i.kind === 'label');
  const out: [string, string, string][] = [];
  for (const [name, nodeId] of Object.entries(ir.outputs.heads)) {
    const written = objective.find((t) => termTraits(t.fn).classification === true && (t.args[0] === nodeId || t.args[0] === name))?.args[1];
    const width = ir.nodes.find((n) => n.id === nodeId)?.shape.at(-1);
    const label = written ?? labels.find((l) => l.classes === width)?.name;
    if (label !== undefined) out.push([name, nodeId, label]);
  }
  return out;
}

function isProbabilities(node: IRNode | undefined): boolean {
  return activationOf(node)?.fn === 'softmax';
}

/** Every term of the model's objectives, for finding which label a head is trained against. */
function allTerms(ir: IRModel): IRTerm[] {
  return [...ir.objective, ...ir.phases.flatMap((p) => p.objective)];
}

/** The terms that compare the reconstruction with its target: the ELBO's likelihood term. */
function reconstructionTerms(ir: IRModel, objective: readonly IRTerm[]): IRTerm[] {
  const { reconstruction } = ir.outputs;
  const named = Object.entries(ir.outputs.named).filter(([, id]) => id === reconstruction).map(([name]) => name);
  return objective.filter((t) => termTraits(t.fn).elementwise === true && (t.args[0] === reconstruction || named.includes(t.args[0]!)));
}

/** Σ over units of KL(N(m, e^v) ‖ N(0, 1)) for each row, summed over the rows. */
function klSum(mean: tf.Tensor, logvar: tf.Tensor): number {
  return tf.sum(gaussianKlPerUnit(mean, logvar)).dataSync()[0]!;
}

export function modelMetrics(program: Program, dataset: Dataset, objective: readonly IRTerm[], options: { batch?: number; seed?: number } = {}): ModelMetrics {
  const { ir } = program;
  const inputs = modelInputs(ir);
  const batch = options.batch ?? 256;
  const nodes = new Map(ir.nodes.map((n) => [n.id, n]));
  const latent = nodes.get(ir.outputs.latent);
  const heads = dataset.labels && inputs.labels ? labelledHeads(ir, allTerms(ir)) : [];
  const gaussian = asLatent(latent, 'gaussian');
  const likelihood = gaussian ? reconstructionTerms(ir, objective) : [];
  const vq = asLatent(latent, 'vq');
  const onehot = asLatent(latent, 'one-hot');
  const decoding = ir.nodes.filter((n) => n.stage === 'decoder' || n.stage === 'output');
  const rng = new Rng(options.seed ?? 0x51ab);
  // Nothing this model's family reports: no pass over the data (training calls this every epoch).
  if (heads.length === 0 && likelihood.length === 0 && !vq && !onehot) return {};

  const headTotals = heads.map(() => ({ correct: 0, loss: 0 }));
  let nelbo = 0;
  let nelboSampled = 0;
  const hits = vq ? new Float64Array(vq.attrs.codes) : undefined;
  const clusterHits = onehot ? new Float64Array(onehot.shape.at(-1) ?? 0) : undefined;

  for (const start of batchStarts(dataset.count, batch)) {
    const size = Math.min(batch, dataset.count - start);
    tidyValue(() => {
      const batchTensors = batchInputs(dataset, inputs, null, start, size);
      const outputs = program.forward(batchTensors, { training: false });
      heads.forEach(([, nodeId, label], h) => {
        const values = outputs.get(nodeId)!;
        const classes = values.shape.at(-1)!;
        const scores = tf.cast(values, 'float32').dataSync();
        const labels = outputs.get(label)!.dataSync();
        const probabilities = isProbabilities(nodes.get(nodeId));
        for (let i = 0; i < size; i++) {
          const row = scores.subarray(i * classes, (i + 1) * classes);
          let best = 0;
          for (let c = 1; c < classes; c++) if (row[c]! > row[best]!) best = c;
          const y = labels[i]!;
          if (best === y) headTotals[h]!.correct += 1;
          if (probabilities) headTotals[h]!.loss -= Math.log(Math.min(Math.max(row[y]!, EPSILON), 1));
          else {
            const max = row[best]!;
            let sum = 0;
            for (let c = 0; c < classes; c++) sum += Math.exp(row[c]! - max);
            headTotals[h]!.loss -= row[y]! - max - Math.log(sum);
          }
        }
      });
      if (gaussian && likelihood.length > 0) {
        const [meanId, logvarId] = gaussian.inputs as [string, string];
        const mean = outputs.get(meanId)!;
        const logvar = outputs.get(logvarId)!;
        const kl = klSum(mean, logvar);
        const atMean = computeObjective(likelihood, ir, program.parameters, outputs).total.dataSync()[0]!;
        nelbo += atMean * size + kl;
        const eps = tf.randomNormal(mean.shape, 0, 1, 'float32', rng.nextSeed());
        const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps));
        const given = new Map(outputs);
        given.set(gaussian.id, z);
        const sampled = program.forward(batchTensors, { training: false, nodes: decoding, given });
        nelboSampled += computeObjective(likelihood, ir, program.parameters, sampled).total.dataSync()[0]! * size + kl;
      }
      if (vq && hits) for (const code of outputs.get(outputOf(vq, 'codes'))!.dataSync()) hits[code]! += 1;
      if (onehot && clusterHits) for (const cluster of tf.argMax(outputs.get(onehot.id)!, -1).dataSync()) clusterHits[cluster]! += 1;
    });
  }

  const metrics: ModelMetrics = {};
  if (heads.length > 0) {
    metrics.heads = Object.fromEntries(
      heads.map(([name], h) => [name, { accuracy: headTotals[h]!.correct / dataset.count, loss: headTotals[h]!.loss / dataset.count }]),
    );
  }
  if (gaussian && likelihood.length > 0) {
    metrics.nelbo = nelbo / dataset.count;
    metrics.nelbo_sampled = nelboSampled / dataset.count;
  }
  if (hits) metrics.codebook = codebookMetrics(hits);
  if (clusterHits) metrics.clusters = codebookMetrics(clusterHits);
  return metrics;
}

export function codebookMetrics(hits: ArrayLike<number>): CodebookMetrics {
  let total = 0;
  let used = 0;
  for (let k = 0; k < hits.length; k++) {
    total += hits[k]!;
    if (hits[k]! > 0) used += 1;
  }
  let entropy = 0;
  for (let k = 0; k < hits.length; k++) {
    const p = hits[k]! / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return { perplexity: Math.exp(entropy), used, size: hits.length };
}

/** `heads.digits.accuracy 0.9731 nelbo 143.2 codebook 412/512 perplexity 301.4`: for progress lines and text output. */
export function formatModelMetrics(metrics: ModelMetrics, format: (value: number) => string): string[] {
  const parts: string[] = [];
  for (const [name, head] of Object.entries(metrics.heads ?? {})) parts.push(`${name} accuracy ${head.accuracy.toFixed(4)} loss ${format(head.loss)}`);
  if (metrics.nelbo !== undefined) parts.push(`nelbo ${format(metrics.nelbo)} (sampled ${format(metrics.nelbo_sampled!)})`);
  if (metrics.codebook) parts.push(`codebook ${metrics.codebook.used}/${metrics.codebook.size} used, perplexity ${metrics.codebook.perplexity.toFixed(1)}`);
  if (metrics.clusters) parts.push(`clusters ${metrics.clusters.used}/${metrics.clusters.size} used, perplexity ${metrics.clusters.perplexity.toFixed(1)}`);
  return parts;
}
