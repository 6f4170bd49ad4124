// `usage_kl(z)`: the proof that its argument is a onehot latent (AE4020). The term keeps a onehot
// (Gumbel-softmax) code from collapsing to one cluster by pulling the batch's mean soft assignment
// towards uniform, so it means nothing on any other tensor: a dense or gaussian code has no clusters,
// and a softmax layer's output is not the latent whose usage `ae eval` reports.
import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { TensorArgument } from './term-checks.js';
import type { TermContext } from './terms.js';

export function onehotOf(arg: TensorArgument, context: TermContext): boolean {
  const latent = context.model.latent;
  if (latent && latent.name === arg.tensor.name && latent.kind === 'onehot') return true;
  const isLatent = latent !== undefined && latent.name === arg.tensor.name;
  context.diagnostics.push(
    diagnostic('AE4020', `\`usage_kl\` applies only to a onehot latent; \`${arg.tensor.name}\` is ${isLatent ? `a \`${latent.kind}\` latent` : 'not the latent'}`, arg.range, {
      related: latent ? [{ message: `the latent \`${latent.name}\` is declared here`, range: latent.decl.value.range }] : [],
      notes: ['`usage_kl(z)` spreads the use of a onehot latent\'s clusters: it needs `latent z = onehot(k)`'],
    }),
  );
  return false;
}
