// Coefficient schedules in the loss: `ramp(...)` and `cyclic(...)` planned into the IR term's
// `schedule` (ends scaled and shifted by constant arithmetic), held by lets, and refused with a
// located AE4019 / AE4004 when they cannot be a coefficient.
import { describe, expect, it } from 'vitest';
import { analyze, codes } from '../check/helpers.js';
import { objectiveAtEpoch, scheduleValue } from '../../ir/schedule.js';
import { validateIR } from '../../ir/schema-validation.js';

const vae = (loss: string, lets = '') => `${lets}model v {
  input x: [16] in [0, 1]
  encoder { dense(8, act = relu) }
  latent z = gaussian(2)
  decoder { dense(8, act = relu), dense(16) }
  output x_hat = sigmoid
  loss = ${loss}
}
`;

function objective(loss: string, lets = '') {
  const analysis = analyze(vae(loss, lets));
  expect(codes(analysis)).toEqual([]);
  return analysis.irs[0]!.objective.map(({ fn, weight, schedule }) => ({ fn, weight, schedule }));
}

describe('schedules in the IR', () => {
  it('places a KL warm-up on the kl term; its weight is the value the ramp reaches', () => {
    expect(objective('bce(x_hat, x, reduce = sum) + ramp(0, 1, epochs = 10) * kl(z)')).toEqual([
      { fn: 'bce', weight: 1, schedule: undefined },
      { fn: 'kl', weight: 1, schedule: { kind: 'ramp', from: 0, to: 1, epochs: 10 } },
    ]);
  });

  it('scales and shifts a schedule by constant arithmetic, on either side and through a let', () => {
    // subtracted, and multiplied by a negative constant: a positive weight (a negative one would be AE4016)
    const terms = objective('bce(x_hat, x) + 0.5 * beta * kl(z) - (1 + cyclic(0, 1, period = 4)) * -2 * l1(z)', 'let beta = ramp(0, 4, epochs = 5)\n');
    expect(terms[1]).toEqual({ fn: 'kl', weight: 2, schedule: { kind: 'ramp', from: 0, to: 2, epochs: 5 } });
    expect(terms[2]).toEqual({ fn: 'l1', weight: 4, schedule: { kind: 'cyclic', from: 2, to: 4, period: 4, ramp: 0.5 } });
  });

  it('writes an IR the schema accepts', () => {
    const analysis = analyze(vae('bce(x_hat, x) + cyclic(0, 1, period = 10, ramp = 0.25) * kl(z)'));
    expect(validateIR(analysis.irs[0]!).ok).toBe(true);
  });
});

describe('schedule values per epoch', () => {
  it('ramp: from at epoch 0, linear, `to` from epoch `epochs` on', () => {
    const ramp = { kind: 'ramp', from: 0, to: 1, epochs: 4 } as const;
    expect([0, 1, 2, 3, 4, 9].map((e) => scheduleValue(ramp, e))).toEqual([0, 0.25, 0.5, 0.75, 1, 1]);
  });

  it('cyclic: the ramp over the first `ramp` fraction of every period, then `to`', () => {
    const cyclic = { kind: 'cyclic', from: 0, to: 1, period: 4, ramp: 0.5 } as const;
    expect([0, 1, 2, 3, 4, 5, 6].map((e) => scheduleValue(cyclic, e))).toEqual([0, 0.5, 1, 1, 0, 0.5, 1]);
  });

  it('fixes each scheduled weight for an epoch and leaves the others', () => {
    const ir = analyze(vae('bce(x_hat, x) + ramp(1, 3, epochs = 2) * kl(z)')).irs[0]!;
    expect(objectiveAtEpoch(ir.objective, 1).map((t) => t.weight)).toEqual([1, 2]);
  });
});

describe('schedules refused', () => {
  const errors = (loss: string, lets = '') => {
    const analysis = analyze(vae(loss, lets));
    return analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column} ${d.message}`);
  };

  it('a ramp of 0 epochs, at the argument', () => {
    expect(errors('bce(x_hat, x) + ramp(0, 1, epochs = 0) * kl(z)')).toEqual(['AE4019@7:46 `ramp`: `epochs` must be a whole number of epochs ≥ 1, got 0']);
  });

  it('a ramp without its epochs, at the call', () => {
    expect(errors('bce(x_hat, x) + ramp(0, 1) * kl(z)')).toEqual(['AE4019@7:26 `ramp`: `epochs` is not given (a whole number of epochs ≥ 1)']);
  });

  it('a cyclic period of 1 and a ramp fraction outside (0, 1]', () => {
    expect(errors('bce(x_hat, x) + cyclic(0, 1, period = 1, ramp = 1.5) * kl(z)').map((e) => e.slice(0, 13))).toEqual(['AE4019@7:48 `', 'AE4019@7:58 `']);
  });

  it('an unknown argument, with did-you-mean', () => {
    const analysis = analyze(vae('bce(x_hat, x) + ramp(0, 1, epoch = 3) * kl(z)'));
    expect(codes(analysis)).toEqual(['AE2005@7:37']);
    expect(analysis.diagnostics.find((d) => d.code === 'AE2005')!.notes).toContain('did you mean `epochs`?');
  });

  it('a bad argument in a let is reported at the let', () => {
    expect(errors('bce(x_hat, x) + beta * kl(z)', 'let beta = ramp(0, 1, epochs = 2.5)\n').map((e) => e.slice(0, 11))).toEqual(['AE4019@1:32']);
  });

  it('two schedules multiplied or added, a schedule dividing, a schedule alone or added to the loss', () => {
    const ramp = 'ramp(0, 1, epochs = 2)';
    expect(errors(`bce(x_hat, x) + ${ramp} * ${ramp} * kl(z)`)[0]).toContain('AE4004@7:51 the loss is not a weighted sum of terms: a product of two schedules');
    expect(errors(`bce(x_hat, x) + (${ramp} + ${ramp}) * kl(z)`)[0]).toContain('two schedules added together');
    expect(errors(`bce(x_hat, x) / ${ramp}`)[0]).toContain('not by a schedule');
    expect(errors(`bce(x_hat, x) + ${ramp}`)[0]).toContain('a schedule added to it changes nothing');
    expect(errors(ramp)[0]).toContain('a schedule on its own');
  });

  it('a schedule where a number is needed', () => {
    const source = 'let beta = ramp(0, 1, epochs = 2)\nmodel v {\n  input x: [16] in [0, 1]\n  encoder { dense(beta) }\n  latent z = dense(2)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)\n}\n';
    expect(codes(analyze(source))).toEqual(['AE2014@4:19']);
  });
});
