// Table inputs: named columns, numeric or `category(n)`, encoded as one row vector; `output = table`
// gives each column its own output; `reconstruction` is their summed loss; `mse` on a table output
// and the malformed forms are refused where they are written.
import { describe, expect, it } from 'vitest';
import { analyze, codes } from './helpers.js';

const payments = (input = 'table(amount, hour, merchant: category(40), country: category(12))', output = 'table', loss = 'reconstruction(x_hat, x)') => `model payments {
  input x: ${input}
  encoder { dense(32, act = relu) }
  latent z = dense(6)
  decoder = mirror(encoder)
  output x_hat = ${output}
  loss = ${loss}
}
`;

describe('table inputs', () => {
  it('encodes a row as one slot per numeric column and one per level, and outputs per column', () => {
    const analysis = analyze(payments());
    expect(codes(analysis, 'any')).toEqual([]);
    const ir = analysis.irs[0]!;
    expect(ir.inputs[0]).toEqual({
      name: 'x',
      kind: 'table',
      shape: [null, 54],
      dtype: 'float32',
      columns: [{ name: 'amount' }, { name: 'hour' }, { name: 'merchant', levels: 40 }, { name: 'country', levels: 12 }],
    });
    const output = ir.nodes.find((n) => n.id === 'output.x_hat')!;
    expect([output.op, output.attrs, output.inputs]).toEqual(['table_output', { columns: [1, 1, 40, 12] }, ['decoder.1.dense']]);
    expect(ir.objective.map(({ fn, options }) => ({ fn, options }))).toEqual([
      { fn: 'reconstruction', options: { reduce: 'sum', columns: [1, 1, 40, 12], fromLogits: 'decoder.1.dense' } },
    ]);
  });

  it('refuses mse on a table output, with a fix that writes reconstruction()', () => {
    const analysis = analyze(payments(undefined, undefined, 'mse(x_hat, x)'));
    expect(codes(analysis)).toEqual(['AE4017@7:14']);
    expect(analysis.diagnostics[0]!.fix?.edits[0]!.newText).toBe('reconstruction(x_hat, x)');
  });

  it('refuses reconstruction without a table output, and a table output of a tensor input', () => {
    expect(codes(analyze(payments(undefined, 'linear')))).toEqual(['AE4018@7:25']);
    expect(codes(analyze(payments('[8]', 'table', 'mse(x_hat, x)')))).toEqual(['AE3017@6:18']);
  });

  it('refuses a column twice, a type other than category(n) and a category of one level', () => {
    expect(codes(analyze(payments('table(amount, amount)')))).toEqual(['AE2002@2:26']);
    expect(codes(analyze(payments('table(amount, merchant: levels(4))')))).toEqual(['AE2014@2:36']);
    expect(codes(analyze(payments('table(amount, merchant: category(1))')))).toEqual(['AE3008@2:45']);
  });
});
