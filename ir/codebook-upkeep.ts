// A vq codebook's upkeep in training, written into the plan (`plan[i].codebooks`), one entry per
// quantising node the stage trains through, in node order: while the codebook is untrained (every
// entry within its initialiser's bound), the stage's first batch seeds it by k-means++ over at most
// `seedVectors` of the encoder's output vectors; and every `restartEvery` steps the codes no vector
// chose in that window move onto vectors of the batch (the usual remedy for dead codes, Łańcucki et
// al. 2020). Each engine keeps what is written, so an edited window trains with its own value.
import { opTraits } from './op-rules.js';
import type { IRCodebookUpkeep, IRNode } from './types.js';

/** What the compiler writes: the figures the runtime kept before they were written. */
export const SEED_VECTORS = 4096;
export const RESTART_EVERY = 50;

/** The upkeep of the quantising nodes among `nodes` (a stage's, in IR order). */
export function stageCodebooks(nodes: readonly IRNode[]): IRCodebookUpkeep[] {
  return nodes.filter((n) => opTraits(n.op).latent === 'vq').map((n) => ({ node: n.id, seedVectors: SEED_VECTORS, restartEvery: RESTART_EVERY }));
}

/** Why a written upkeep list does not fit the stage (its quantising nodes, `derived`), or undefined. */
export function checkCodebooks(written: readonly IRCodebookUpkeep[], derived: readonly IRCodebookUpkeep[]): string | undefined {
  for (const [index, entry] of written.entries()) {
    const at = `codebook ${index} ('${entry.node}')`;
    if (derived[index]?.node !== entry.node) {
      return derived.some((d) => d.node === entry.node) ? `${at}: out of node order` : `${at}: not a quantising node of this stage`;
    }
    for (const field of ['seedVectors', 'restartEvery'] as const) {
      const value = entry[field];
      if (!Number.isSafeInteger(value) || value < 1) return `${at}: ${field} ${String(value)} is not a whole number of at least 1`;
    }
  }
  const missing = derived[written.length];
  return missing ? `the quantising node '${missing.node}' trains in this stage, and the plan keeps no codebook upkeep for it` : undefined;
}
