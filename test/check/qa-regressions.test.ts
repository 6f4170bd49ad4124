// Bugs found by writing models as an unseen user would: each case is the smallest model that
// showed it, with the diagnostics (code@line:column) it must give now.
import { describe, expect, it } from 'vitest';
import { analyze, codes } from './helpers.js';

const base = (members: string, prelude = '') => `${prelude}model m {
  input x: [784] in [0, 1]
${members}
}
`;

describe('QA regressions', () => {
  it('accepts an activation call as a constant: `let act = leaky_relu(0.1)`', () => {
    const a = analyze(base('  encoder { dense(64, act = a) }\n  latent z = dense(8)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)', 'let a = leaky_relu(0.1)\n'));
    expect(codes(a, 'any')).toEqual([]);
    expect((a.irs[0]!.nodes[0]!.attrs as { activation?: unknown }).activation).toEqual({ fn: 'leaky_relu', alpha: 0.1 });
  });

  it('does not cascade from a missing import: `lib.code`, `lib.down(16)` and plain-import names stay quiet', () => {
    const text = `import "missing.ae" as lib
import "gone.ae"
model m {
  input x: [28, 28, 1] in [0, 1]
  encoder { lib.down(16), flatten, helper(4) }
  latent z = dense(lib.code)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = bce(x_hat, x) + lib.beta * l1(z) + gamma * l2(z)
}
`;
    expect(codes(analyze(text), 'any')).toEqual(['AE2008@1:8', 'AE2008@2:8']);
  });

  it('offers did-you-mean for a misspelt constant used as a loss coefficient', () => {
    const a = analyze(base('  encoder { dense(64, act = relu) }\n  latent z = gaussian(8)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = bce(x_hat, x, reduce = sum) + bta * kl(z)', 'let beta = 4\n'));
    expect(codes(a)).toEqual(['AE2001@8:40']);
    expect(a.diagnostics[0]!.notes).toContain('did you mean `beta`?');
  });

  it('does not report the loss of a model whose constants failed (no "unknown tensor x_hat")', () => {
    const a = analyze(base('  encoder { dense(a) }\n  latent z = dense(2)\n  decoder { dense(784) }\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)', 'let a = b\nlet b = a\n'));
    expect(codes(a)).toEqual(['AE2011@1:5']);
  });

  it('reports a misspelt argument once, not again as a missing one, and names the missing one', () => {
    const a = analyze(base('  corrupt x with gaussian(sigma = 0.3)\n  encoder { dense(64, act = relu) }\n  latent z = dense(8)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)'));
    expect(codes(a)).toEqual(['AE2005@3:27']);
    expect(a.diagnostics[0]!.notes).toContain('`gaussian` needs `std`, which is not given');
  });

  it('says an activation layer takes no arguments', () => {
    const a = analyze(base('  encoder { dense(64), relu(0.5) }\n  latent z = dense(8)\n  decoder { dense(784) }\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)'));
    expect(codes(a)).toEqual(['AE2006@3:29']);
    expect(a.diagnostics[0]!.message).toBe('`relu` takes no arguments, but gets 1');
  });

  it('reports two block parameters of the same name', () => {
    const a = analyze(base('  encoder { b(5, 6) }\n  latent z = dense(2)\n  decoder { dense(784) }\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)', 'block b(n, n) { dense(n) }\n'));
    expect(codes(a)).toEqual(['AE2002@1:12']);
    expect(a.diagnostics[0]!.related[0]!.range.start.column).toBe(9);
  });

  it('reports an `as` name inside a repeat once, at the name', () => {
    const a = analyze(base('  encoder { repeat 2 { dense(32, act = relu) as h } }\n  latent z = dense(4)\n  decoder { dense(784) }\n  output x_hat = sigmoid\n  loss = mse(x_hat, x) + l1(h)'));
    expect(codes(a)).toEqual(['AE2002@3:49']);
    expect(a.diagnostics[0]!.message).toContain('repeat 2');
  });

  it('says which maxpool an unpool of another size would undo', () => {
    const text = `model m {
  input x: [28, 28, 1] in [0, 1]
  encoder { conv2d(4, kernel = 3, act = relu), maxpool(3), maxpool(2) }
  latent z = identity
  decoder { unpool(3), unpool(2), conv2d(1, kernel = 3) }
  output x_hat = sigmoid
  loss = bce(x_hat, x)
}
`;
    const a = analyze(text);
    expect(codes(a)).toEqual(['AE3006@5:13']);
    expect(a.diagnostics[0]!.message).toContain('the innermost `maxpool` not yet undone is `maxpool(2)`, not `maxpool(3)`');
    expect(a.diagnostics[0]!.related[0]!.range.start).toMatchObject({ line: 3, column: 60 });
  });

  it('reports a layer too large to count (AE3013) at the layer, instead of a rounded count', () => {
    const a = analyze(base('  encoder { dense(100000000000, act = relu), dense(100000000000) }\n  latent z = dense(10)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)'));
    expect(codes(a, 'any')).toEqual(['AE3013@3:46']);
  });

  it('reports mnist data for an input that does not hold 784 values (AE4108), at the source name', () => {
    const text = `model m {
  input x: [32, 32, 3] in [0, 1]
  encoder { flatten, dense(64, act = relu) }
  latent z = dense(16)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = bce(x_hat, x)
  train { data = mnist(split = "train") }
}
`;
    const a = analyze(text);
    expect(codes(a)).toEqual(['AE4108@8:18']);
    expect(a.diagnostics[0]!.related[0]!.range.start.line).toBe(2);
  });

  it('reports mnist data for a label of fewer than 10 classes', () => {
    const a = analyze(base('  input y: label(5)\n  encoder { dense(64, act = relu) }\n  latent z = dense(16)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  head h on z { dense(5) }\n  loss = bce(x_hat, x) + cross_entropy(h, y)\n  train { data = mnist }'));
    expect(codes(a)).toEqual(['AE4108@10:18']);
  });
});
