// AE4xxx: The objective and training phases. Codes are stable: never renumber, only add.
import type { CatalogueEntry } from './entry.js';

export const objectiveCodes = {
  // ---- the loss expression (AE40xx)
  AE4001: { severity: 'error', title: 'unknown loss function' },
  AE4002: { severity: 'error', title: 'wrong number of loss arguments' },
  AE4003: { severity: 'error', title: 'unknown loss option' },
  AE4004: { severity: 'error', title: 'loss is not a weighted sum of terms', message: 'the loss is not a weighted sum of terms: {reason}' },
  AE4005: { severity: 'error', title: 'loss argument is not a tensor', message: '{argument} must be {expected}, but {actual}' },
  AE4006: { severity: 'error', title: 'invalid loss option value', message: '`{option}` of `{fn}` must be {expected}' },
  AE4007: { severity: 'error', title: 'kl on a non-gaussian latent' },
  AE4008: { severity: 'error', title: 'vq_loss on a non-vq latent' },
  AE4009: { severity: 'error', title: 'contractive code not differentiable from its input', message: 'cannot differentiate `{code}` with respect to `{input}`: {reason}' },
  AE4010: { severity: 'error', title: 'bce target outside [0, 1]' },
  AE4011: { severity: 'error', title: 'loss argument shapes disagree' },
  AE4012: { severity: 'error', title: 'head and label class counts disagree' },
  AE4013: { severity: 'error', title: 'missing loss' },
  AE4014: { severity: 'error', title: 'contractive penalty not computable' },
  AE4015: { severity: 'error', title: 'cross_entropy target is not labels' },
  AE4016: { severity: 'error', title: 'loss term subtracted', message: '`{term}` is subtracted (its weight is {weight}): the loss has no lower bound, so training would make this term as large as it can' },
  AE4019: { severity: 'error', title: 'invalid coefficient schedule', message: '`{fn}`: {problem}' },
  AE4017: { severity: 'error', title: 'element-wise loss on a table output', message: '`{fn}` on the table output `{name}` treats its categorical columns as numbers' },
  AE4018: { severity: 'error', title: 'reconstruction without a table', message: '`reconstruction` compares a table output with its table input, but {problem}' },
  AE4020: { severity: 'error', title: 'usage_kl on a non-onehot latent' },
  // ---- training phases (AE41xx)
  AE4101: { severity: 'error', title: 'unknown train setting', message: 'unknown train setting `{name}`' },
  AE4102: { severity: 'error', title: 'invalid train setting value', message: '{what} must be {expected}' },
  AE4103: { severity: 'error', title: 'duplicate phase name' },
  AE4104: { severity: 'error', title: 'duplicate train setting' },
  AE4105: { severity: 'error', title: 'unknown data source, optimizer or schedule', message: 'unknown {kind} `{name}`' },
  AE4106: { severity: 'error', title: 'unknown option of a train setting', message: '`{owner}` has no {option}' },
  AE4107: { severity: 'error', title: 'unknown freeze target' },
  AE4108: { severity: 'error', title: 'data does not fit the input', message: '`{source}` gives {gives}, but `{input}` is {declared}' },
  AE4109: { severity: 'error', title: 'phase cannot train' },
} as const satisfies Record<`AE4${string}`, CatalogueEntry>;
