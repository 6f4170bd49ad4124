// What an analysis keeps (CheckOptions.keep): `ae check` keeps no model and `ae summary` no IR, so a
// file of thousands of models is not all held at once (issue 22). Every model is still checked,
// lowered, emitted and planned, so the diagnostics are the same whatever is kept.
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import type { CheckedModel } from '../../compiler/check/model.js';
import { renderSummaryText } from '../../compiler/check/summary.js';

const model = (name: string, body: string): string => `model ${name} {\n  input x: [8] in [0, 1]\n${body}\n}\n`;

const text = [
  model('fine', '  encoder { dense(4) }\n  latent z = identity\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)'),
  // A warning (AE5001): a code wider than the input, with no regulariser.
  model('wide', '  encoder { dense(16) }\n  latent z = identity\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)'),
  // An error of the plan (AE4109), found only once the IR is emitted and planned.
  model(
    'greedy',
    '  encoder { dense(6, act = relu), dense(5, act = relu) }\n  latent z = dense(3)\n  decoder { dense(6, act = relu), dense(5, act = relu), dense(8) }\n' +
      '  output x_hat = sigmoid\n  loss = bce(x_hat, x)\n  train { schedule = greedy(epochs = 1) }',
  ),
  // A shape error (AE3xxx).
  model('broken', '  encoder { conv2d(4, kernel = 3) }\n  latent z = identity\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)'),
].join('');

const codes = (keep?: 'irs' | 'models' | 'diagnostics') =>
  analyzeSource(text, 'keep.ae', { validateSchema: false, ...(keep ? { keep } : {}) }).diagnostics.map((d) => `${d.code}@${d.range.start.line}`);

describe('what an analysis keeps', () => {
  it('reports the same diagnostics whatever it keeps, plan errors included', () => {
    const all = codes();
    expect(all).toContain('AE4109@24');
    expect(all.some((c) => c.startsWith('AE3'))).toBe(true);
    expect(all.some((c) => c.startsWith('AE5'))).toBe(true);
    expect(codes('irs')).toEqual(all);
    expect(codes('models')).toEqual(all);
    expect(codes('diagnostics')).toEqual(all);
  });

  it('keeps models and IRs by default, models alone, or neither', () => {
    const everything = analyzeSource(text, 'keep.ae');
    expect(everything.models.map((m) => m.name)).toEqual(['fine', 'wide', 'greedy', 'broken']);
    expect(everything.irs.map((ir) => ir.model)).toEqual(['fine', 'wide']);
    const models = analyzeSource(text, 'keep.ae', { keep: 'models' });
    expect(models.models.map((m) => m.name)).toEqual(['fine', 'wide', 'greedy', 'broken']);
    expect(models.irs).toEqual([]);
    const none = analyzeSource(text, 'keep.ae', { keep: 'diagnostics' });
    expect(none.models).toEqual([]);
    expect(none.irs).toEqual([]);
    expect(none.diagnostics).toEqual(everything.diagnostics);
  });

  it('hands each model to eachModel as it is checked, whatever it keeps (ae summary keeps only their tables)', () => {
    const kept = analyzeSource(text, 'keep.ae', { keep: 'models' }).models;
    const seen: CheckedModel[] = [];
    const none = analyzeSource(text, 'keep.ae', { keep: 'diagnostics', eachModel: (model) => seen.push(model) });
    expect(none.models).toEqual([]);
    expect(seen.map((m) => m.name)).toEqual(['fine', 'wide', 'greedy', 'broken']);
    expect(seen.map(renderSummaryText)).toEqual(kept.map(renderSummaryText));
  });
});
