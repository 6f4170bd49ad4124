// Pooling over the steps of a sequence, as exporters write it: the image op on [batch, steps, 1,
// channels] with [k, 1] windows (what the runtime runs, runtime/program/ops/sequence.ts).
import type { IRNode, Shape } from '../ir/types.js';

export const asImageShape = (shape: Shape): Shape => (shape.length === 3 ? [shape[0]!, shape[1]!, 1, shape[2]!] : shape);

/** A 1-D pooling node as the image op over [steps, 1] windows. */
export function asImageNode(node: IRNode): IRNode {
  const shape = asImageShape(node.shape);
  switch (node.op) {
    case 'maxpool1d':
    case 'avgpool1d':
      return { ...node, op: node.op === 'maxpool1d' ? 'maxpool' : 'avgpool', attrs: { pool: [node.attrs.pool, 1], stride: [node.attrs.stride, 1], padding: node.attrs.padding }, shape } as IRNode;
    case 'unpool1d':
      return { ...node, op: 'unpool', attrs: { pool: [node.attrs.pool, 1], mode: node.attrs.mode }, shape } as IRNode;
    case 'upsample1d':
      return { ...node, op: 'upsample', attrs: { factor: [node.attrs.factor, 1] }, shape } as IRNode;
    default:
      return { ...node, shape } as IRNode;
  }
}
