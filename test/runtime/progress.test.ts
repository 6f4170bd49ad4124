import { describe, expect, it } from 'vitest';
import { formatLoss, Progress } from '../../runtime/train/progress.js';

function capture(isTTY: boolean) {
  let text = '';
  return { sink: { stderr: (t: string) => void (text += t), isTTY }, text: () => text };
}

describe('progress', () => {
  it('draws a bar with batches/s, loss and ETA on a terminal, redrawn in place', () => {
    const out = capture(true);
    const progress = new Progress(out.sink);
    progress.startEpoch('train', 1, 5, 4);
    progress.batch(4, 0.25);
    progress.endEpoch({ loss: 0.2, valLoss: 0.3, seconds: 2, samples: 512 });
    expect(out.text()).toMatch(/^\rtrain 1\/5 █+ 4\/4 [\d.]+ batch\/s loss 0\.2500 ETA 0s\x1b\[K/);
    expect(out.text()).toMatch(/\rtrain 1\/5 loss 0\.2000 val_loss 0\.3000 \(2\.0s, 256 samples\/s\)\x1b\[K\n$/);
  });

  it('prints one plain line per epoch elsewhere', () => {
    const out = capture(false);
    const progress = new Progress(out.sink);
    progress.startEpoch('pretrain/layer0', 2, 3, 10);
    for (let i = 1; i <= 10; i++) progress.batch(i, 1);
    progress.endEpoch({ loss: 1e-5, seconds: 1, samples: 100 });
    expect(out.text()).toBe('pretrain/layer0 2/3 loss 1.000e-5 (1.0s, 100 samples/s)\n');
  });

  it('formats losses readably', () => {
    expect(formatLoss(0.123456)).toBe('0.1235');
    expect(formatLoss(Number.NaN)).toBe('NaN');
  });
});
