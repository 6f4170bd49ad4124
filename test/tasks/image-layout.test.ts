// Issue 22: `ae train` draws reconstructions.png only for inputs that are pictures: a 4-column table
// once made a 2×2 grey image and a [128, 1] signal a 128×1 strip.
import { describe, expect, it } from 'vitest';
import { imageLayout, isPicture } from '../../runtime/tasks/reconstruction-grid.js';
import type { IRInput } from '../../ir/types.js';

const input = (...shape: number[]): IRInput => ({ name: 'x', kind: 'tensor', shape: [null, ...shape] }) as IRInput;
const drawn = (...shape: number[]) => {
  const layout = imageLayout(input(...shape));
  return layout !== undefined && isPicture(layout);
};

describe('the pictures train draws', () => {
  it('are images and square flat inputs of at least 8 pixels a side', () => {
    expect([drawn(784), drawn(64), drawn(32, 32, 3), drawn(28, 28)]).toEqual([true, true, true, true]);
  });

  it('are no table, signal or tiny square', () => {
    expect([drawn(4), drawn(49), drawn(128, 1), drawn(128, 1, 1), drawn(10)]).toEqual([false, false, false, false, false]);
  });
});
