// The numbers of an epoch's metrics line that the logs record as scalars: loss, val_loss, lr,
// seconds, each objective term, and the family's numeric figures (accuracy, ELBO, perplexity, ...).
import type { MetricsLine } from '../train/callbacks/metrics-log.js';

export function epochScalars(line: MetricsLine): Record<string, number> {
  const out: Record<string, number> = { loss: line.loss };
  if (line.val_loss !== null) out.val_loss = line.val_loss;
  out.lr = line.lr;
  out.seconds = line.seconds;
  for (const [name, value] of Object.entries(line.terms)) out[`term.${name}`] = value;
  const flat = (prefix: string, value: unknown) => {
    if (typeof value === 'number' && Number.isFinite(value)) out[prefix] = value;
    else if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) flat(`${prefix}.${k}`, v);
  };
  if (line.metrics) for (const [k, v] of Object.entries(line.metrics)) flat(`metrics.${k}`, v);
  return out;
}
