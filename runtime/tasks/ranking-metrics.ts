// How well scores rank the true anomalies first: ROC AUC and average precision, defined as
// scikit-learn defines them (roc_auc_score, average_precision_score), so numbers compare directly.
import { TaskError } from './task-error.js';

function checkLabels(scores: ArrayLike<number>, positive: ArrayLike<number>): number {
  if (scores.length !== positive.length) throw new TaskError(`${scores.length} scores but ${positive.length} labels`);
  let positives = 0;
  for (let i = 0; i < positive.length; i++) positives += positive[i] ? 1 : 0;
  if (positives === 0 || positives === positive.length) {
    throw new TaskError(`the labels mark ${positives === 0 ? 'no' : 'every'} sample as an anomaly; ranking metrics need both kinds`);
  }
  return positives;
}

/** The probability that a random anomaly scores above a random normal sample (ties count half). */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<number>): number {
  const positives = checkLabels(scores, positive);
  const negatives = scores.length - positives;
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  // Mann–Whitney U from mid-ranks.
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (positive[order[t]!]) rankSum += midRank;
    i = j + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Σ (R_n - R_{n-1}) P_n over the distinct thresholds, highest score first. */
export function averagePrecision(scores: ArrayLike<number>, positive: ArrayLike<number>): number {
  const positives = checkLabels(scores, positive);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let truePositives = 0;
  let ap = 0;
  let previousRecall = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    for (let t = i; t <= j; t++) if (positive[order[t]!]) truePositives++;
    const recall = truePositives / positives;
    ap += (recall - previousRecall) * (truePositives / (j + 1));
    previousRecall = recall;
    i = j + 1;
  }
  return ap;
}
