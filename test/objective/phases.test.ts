import { describe, expect, it } from 'vitest';
import { lowerObjective, lowerPhases, lowerTraining } from '../../compiler/objective/index.js';
import { buildModel, mnistModel, type ModelSpec } from './factory.js';
import { codes } from './helpers.js';

function phasesOf(trains: ModelSpec['trains'], extra: ModelSpec = {}) {
  const built = mnistModel({ trains, ...extra });
  const objective = lowerObjective(built.model, built.loss!).terms;
  return { objective, ...lowerPhases(built.model, built.trains, objective) };
}

describe('training phases', () => {
  it('makes one default phase named train when there is no train member', () => {
    const { phases, diagnostics, objective } = phasesOf([]);
    expect(diagnostics).toEqual([]);
    expect(phases).toEqual([
      {
        name: 'train',
        optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 },
        epochs: 10, batch: 128, seed: 0, freeze: [], objective,
      },
    ]);
  });

  it('reads every setting', () => {
    const { phases, diagnostics } = phasesOf([
      {
        settings: [
          'data = mnist(split = "train")', 'validate = mnist', 'optimizer = sgd(lr = 0.1, momentum = 0.9)',
          'epochs = 50', 'batch = 64', 'seed = 1', 'schedule = greedy(epochs = 5)', 'freeze = [encoder]',
          'early_stop = early_stop(patience = 3)',
        ],
      },
    ]);
    expect(diagnostics).toEqual([]);
    expect(phases[0]).toMatchObject({
      name: 'train', data: { kind: 'mnist', split: 'train' }, validate: { kind: 'mnist', split: 'test' },
      optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0 }, epochs: 50, batch: 64, seed: 1,
      schedule: { kind: 'greedy', epochs: 5 }, freeze: ['encoder'], earlyStop: { patience: 3, minDelta: 0 },
    });
  });

  it('reads the other data sources', () => {
    const { phases, diagnostics } = phasesOf([
      { name: 'a', settings: ['data = idx("images.idx", "labels.idx")', 'validate = csv("v.csv", label = "digit")'] },
      { name: 'b', settings: ['data = npy("x.npy")', 'validate = synthetic(samples = 64, rank = 3, noise = 0.1)'] },
    ]);
    expect(diagnostics).toEqual([]);
    expect(phases.map((p) => [p.data, p.validate])).toEqual([
      [{ kind: 'idx', images: 'images.idx', labels: 'labels.idx' }, { kind: 'csv', path: 'v.csv', label: 'digit' }],
      [{ kind: 'npy', path: 'x.npy' }, { kind: 'synthetic', samples: 64, seed: 0, rank: 3, noise: 0.1 }],
    ]);
  });

  it('inherits settings from the previous phase, but not its schedule, freeze list or loss', () => {
    const built = buildModel({
      inputs: ['x: [784] in [0, 1]', 'y: label(10)'],
      latent: 'z = dense(2)',
      output: 'x_hat = tanh',
      heads: ['digits on z { dense(10, act = softmax) }'],
      loss: 'mse(x_hat, x)',
      trains: [
        { name: 'pretrain', settings: ['schedule = greedy(epochs = 5)', 'optimizer = adam(lr = 1e-2)', 'batch = 32', 'freeze = [decoder]'] },
        { name: 'finetune', settings: ['epochs = 3'], loss: 'cross_entropy(digits, y)' },
      ],
    });
    const { phases, diagnostics } = lowerTraining(built.model);
    expect(diagnostics).toEqual([]);
    expect(phases[0]).toMatchObject({ name: 'pretrain', epochs: 10, batch: 32, schedule: { epochs: 5 }, freeze: ['decoder'] });
    expect(phases[0]!.objective.map((t) => t.fn)).toEqual(['mse']);
    expect(phases[1]).toMatchObject({ name: 'finetune', epochs: 3, batch: 32, optimizer: { kind: 'adam', lr: 1e-2 }, freeze: [] });
    expect(phases[1]!.schedule).toBeUndefined();
    expect(phases[1]!.objective.map((t) => t.fn)).toEqual(['cross_entropy']);
  });

  it('defaults a greedy schedule to the phase epochs', () => {
    expect(phasesOf([{ settings: ['epochs = 4', 'schedule = greedy'] }]).phases[0]!.schedule).toEqual({ kind: 'greedy', epochs: 4 });
  });

  it('reads `early_stop(...)` alone as `early_stop = early_stop(...)`', () => {
    const { phases, diagnostics } = phasesOf([{ settings: ['early_stop(patience = 3, min_delta = 0.01)'] }, { settings: ['early_stop(patience = 2)'] }]);
    expect(diagnostics).toEqual([]);
    expect(phases.map((p) => p.earlyStop)).toEqual([{ patience: 3, minDelta: 0.01, restoreBest: true }, { patience: 2, minDelta: 0, restoreBest: true }]);
  });

  it('restores the best weights unless `restore_best = false`', () => {
    const { phases, diagnostics } = phasesOf([{ settings: ['early_stop = early_stop(patience = 2, restore_best = false)'] }, { settings: ['early_stop = 4'] }]);
    expect(diagnostics).toEqual([]);
    expect(phases.map((p) => p.earlyStop)).toEqual([{ patience: 2, minDelta: 0, restoreBest: false }, { patience: 4, minDelta: 0, restoreBest: true }]);
  });

  it('reads learning-rate schedules written as the optimizer’s lr, with their defaults', () => {
    const { phases, diagnostics } = phasesOf([
      { settings: ['optimizer = adam(lr = cosine(1e-3, min = 1e-5, warmup = 2))'] },
      { settings: ['optimizer = sgd(step(0.1, every = 10), momentum = 0.9)'] },
      { settings: ['optimizer = rmsprop(lr = plateau(1e-3, patience = 3))'] },
      { settings: ['epochs = 2'] },
      { settings: ['optimizer = adam(lr = 1e-4)'] },
    ]);
    expect(diagnostics).toEqual([]);
    expect(phases.map((p) => [p.optimizer.kind, p.optimizer.lr, p.lrSchedule])).toEqual([
      ['adam', 1e-3, { kind: 'cosine', min: 1e-5, warmup: 2 }],
      ['sgd', 0.1, { kind: 'step', every: 10, factor: 0.1, warmup: 0 }],
      ['rmsprop', 1e-3, { kind: 'plateau', factor: 0.1, patience: 3, min: 0, minDelta: 0, warmup: 0 }],
      // inherited with the optimizer, and dropped when a phase names a plain rate
      ['rmsprop', 1e-3, { kind: 'plateau', factor: 0.1, patience: 3, min: 0, minDelta: 0, warmup: 0 }],
      ['adam', 1e-4, undefined],
    ]);
    expect(phases[1]!.optimizer).toEqual({ kind: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0 });
  });

  it('names unnamed phases train, train2, ...', () => {
    expect(phasesOf([{}, {}]).phases.map((p) => p.name)).toEqual(['train', 'train2']);
  });
});

describe('phase errors', () => {
  it('rejects an unknown setting with did-you-mean (AE4101)', () => {
    const { diagnostics } = phasesOf([{ settings: ['epocs = 3'] }]);
    expect(codes(diagnostics)).toEqual(['AE4101 7:5']);
    expect(diagnostics[0]!.notes).toContain('did you mean `epochs`?');
  });

  it('rejects values of the wrong type or range (AE4102)', () => {
    const { diagnostics } = phasesOf([{ settings: ['epochs = "ten"', 'batch = 0', 'seed = 1.5', 'data = 3', 'optimizer = adam(lr = -1)'] }]);
    expect(codes(diagnostics)).toEqual(['AE4102 7:14', 'AE4102 8:13', 'AE4102 9:12', 'AE4102 10:12', 'AE4102 11:27']);
    expect(diagnostics[0]!.message).toBe('`epochs` must be a positive integer (got the string "ten")');
  });

  it('rejects an unknown split word with did-you-mean', () => {
    const { diagnostics } = phasesOf([{ settings: ['data = mnist(split = "tets")'] }]);
    expect(codes(diagnostics)).toEqual(['AE4102 7:26']);
    expect(diagnostics[0]!.fix?.edits[0]?.newText).toBe('"test"');
  });

  it('rejects bad schedule arguments at the argument (AE4102, AE4106)', () => {
    const { diagnostics } = phasesOf([
      {
        settings: [
          'optimizer = adam(lr = cosine(1e-3, min = 1e-2))',
          'optimizer = sgd(lr = step(0.1))',
          'optimizer = adam(lr = plateau(1e-3, factor = 2, warmup = 1.5))',
          'optimizer = adam(lr = cosine(0))',
          'optimizer = adam(lr = cosine(1e-3, mni = 0))',
          'early_stop = early_stop(restore_best = 1)',
        ],
      },
    ]);
    expect(codes(diagnostics)).toEqual(['AE4102 7:46', 'AE4104 8:5', 'AE4104 9:5', 'AE4104 10:5', 'AE4104 11:5', 'AE4102 12:44']);
    expect(diagnostics[0]!.message).toBe('`cosine` option `min` (0.01) must be at most the starting rate 0.001');
    expect(diagnostics[5]!.message).toBe('`early_stop` option `restore_best` must be `true` or `false`');
    const separate = (setting: string) => codes(phasesOf([{ settings: [setting] }]).diagnostics);
    expect(separate('optimizer = sgd(lr = step(0.1))')).toEqual(['AE4102 7:26']);
    expect(separate('optimizer = adam(lr = plateau(1e-3, factor = 2, warmup = 1.5))')).toEqual(['AE4102 7:50', 'AE4102 7:62']);
    expect(separate('optimizer = adam(lr = cosine(0))')).toEqual(['AE4102 7:34']);
    expect(separate('optimizer = adam(lr = cosine(1e-3, mni = 0))')).toEqual(['AE4106 7:40']);
    expect(phasesOf([{ settings: ['optimizer = adam(lr = cosine(1e-3, mni = 0))'] }]).diagnostics[0]!.notes).toContain('did you mean `min`?');
  });

  it('rejects duplicate phase names (AE4103) and settings given twice (AE4104)', () => {
    const { diagnostics } = phasesOf([{ name: 'a', settings: ['epochs = 1', 'epochs = 2'] }, { name: 'a' }]);
    expect(codes(diagnostics)).toEqual(['AE4104 8:5', 'AE4103 10:9']);
    expect(diagnostics[1]!.related[0]!.range.start).toMatchObject({ line: 6, column: 9 });
  });

  it('rejects unknown sources, optimizers, schedules (AE4105) and their options (AE4106)', () => {
    const { diagnostics } = phasesOf([
      { settings: ['data = minst', 'optimizer = adamw', 'schedule = greedyy(epochs = 2)', 'validate = mnist(spilt = "test")'] },
    ]);
    expect(codes(diagnostics)).toEqual(['AE4105 7:12', 'AE4105 8:17', 'AE4105 9:16', 'AE4106 10:22']);
    expect(diagnostics.map((d) => d.notes.find((n) => n.startsWith('did you mean')))).toEqual([
      'did you mean `mnist`?', 'did you mean `adam`?', 'did you mean `greedy`?', 'did you mean `split`?',
    ]);
  });

  it('rejects a bare call of any other setting, with a fix that writes it out', () => {
    const { diagnostics } = phasesOf([{ settings: ['adam(lr = 0.1)', 'epochs(5)', 'greedy(epochs = 2)', 'mnist(split = "test")', 'batch(a = 1)', 'foo(1)'] }]);
    expect(codes(diagnostics)).toEqual(['AE4101 7:5', 'AE4102 8:5', 'AE4101 9:5', 'AE4101 10:5', 'AE4102 11:5', 'AE4101 12:5']);
    expect(diagnostics[0]!.message).toBe('unknown train setting `adam(...)`');
    expect(diagnostics[0]!.notes[0]).toBe('`adam(...)` is a value of `optimizer`');
    expect(diagnostics.slice(0, 4).map((d) => d.fix?.edits.map((e) => `${e.range.start.column}-${e.range.end.column}:${e.newText}`))).toEqual([
      ['5-5:optimizer = '], ['11-12: = ', '13-14:'], ['5-5:schedule = '], ['5-5:data = '],
    ]);
    expect(diagnostics[4]!.fix).toBeUndefined(); // a named argument: nothing to unwrap
    expect(diagnostics[5]!.message).toBe('unknown train setting `foo`');
  });

  it('sets a shorthand early_stop and an `=` one only once (AE4104)', () => {
    const { diagnostics } = phasesOf([{ settings: ['early_stop(patience = 3)', 'early_stop = 2'] }]);
    expect(codes(diagnostics)).toEqual(['AE4104 8:5']);
  });

  it('rejects freezing what is neither a stage nor a name (AE4107)', () => {
    const { diagnostics } = phasesOf([{ settings: ['freeze = [encodr]'] }]);
    expect(codes(diagnostics)).toEqual(['AE4107 7:15']);
    expect(diagnostics[0]!.notes).toContain('did you mean `encoder`?');
  });

  it('reports a model with no loss at its name (AE4013)', () => {
    const noLoss = buildModel({ inputs: ['x: [784] in [0, 1]'], latent: 'z = dense(8)', output: 'x_hat = sigmoid' });
    const { diagnostics } = lowerTraining(noLoss.model);
    expect(codes(diagnostics)).toEqual(['AE4013 1:7']);
    expect(diagnostics[0]!.fix?.edits[0]?.newText).toBe('  loss = mse(x_hat, x)\n');
  });
});
