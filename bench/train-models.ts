// The two benchmark architectures, each built twice with the same layers: as aelang IR (written by
// hand, so the benchmark does not depend on the compiler) and as a tfjs-layers model.
//  - hinton: Hinton & Salakhutdinov (2006)'s MNIST autoencoder 784-1000-500-250-30, logistic hidden
//    units, a linear code, and the mirrored decoder with a logistic output.
//  - keras-conv: the convolutional autoencoder of the Keras blog ("Building Autoencoders in Keras"):
//    conv 16/8/8 3×3 same + maxpool 2 down to 4×4×8, then conv 8/8/16 + upsample 2 (the 16-filter
//    conv 'valid', 16 → 14) and a 3×3 sigmoid conv back to 28×28×1.
//  - mnist-ae: the README's main job (examples/mnist/mnist.ae): flatten, 784-256-64 relu, a linear
//    16-wide code, the mirrored decoder (64, 256 relu, 784 linear) reshaped to 28×28×1, sigmoid.
//  - tiny: a 16-3-16 linear autoencoder trained with mse: almost no arithmetic, so a step costs
//    what the framework spends around its kernels.
// The first three train with binary cross-entropy and Adam (lr 1e-3; the main job's 2e-3), like the
// originals; bench/torch_peer.py builds the same four in PyTorch.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ActivationSpec, IRModel, IRNode, IRParameter, IRTerm, Padding } from '../ir/types.js';

export type Arch = 'hinton' | 'keras-conv' | 'mnist-ae' | 'tiny';
export const ARCHS: readonly Arch[] = ['hinton', 'keras-conv', 'mnist-ae', 'tiny'];

export const INPUT_SHAPE: Record<Arch, number[]> = { hinton: [784], 'keras-conv': [28, 28, 1], 'mnist-ae': [28, 28, 1], tiny: [16] };

const LEARNING_RATE: Record<Arch, number> = { hinton: 1e-3, 'keras-conv': 1e-3, 'mnist-ae': 2e-3, tiny: 1e-3 };

const act = (fn: ActivationSpec['fn']): ActivationSpec => (fn === 'leaky_relu' ? { fn, alpha: 0.2 } : { fn });

function bceObjective(logits: string): IRTerm[] {
  return [{ fn: 'bce', weight: 1, args: ['x_hat', 'x'], options: { reduce: 'mean', fromLogits: logits } }];
}

function model(name: string, inputShape: number[], parameters: IRParameter[], nodes: IRNode[], logits: string, latent: string, batch: number, lr = 1e-3): IRModel {
  const objective = bceObjective(logits);
  return {
    irVersion: 2,
    model: name,
    inputs: [{ name: 'x', kind: 'tensor', shape: [null, ...inputShape], dtype: 'float32', range: [0, 1] }],
    parameters,
    nodes,
    outputs: { reconstruction: 'x_hat', target: 'x', latent, named: { x_hat: 'x_hat', [latent]: latent }, heads: {} },
    objective,
    phases: [
      {
        name: 'train',
        optimizer: { kind: 'adam', lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 },
        epochs: 1,
        batch,
        seed: 0,
        freeze: [],
        objective,
      },
    ],
  };
}

function weights(id: string, kernel: number[], bias: number): IRParameter[] {
  return [
    { id: `${id}.kernel`, node: id, role: 'kernel', shape: kernel, init: 'glorot_uniform', trainable: true },
    { id: `${id}.bias`, node: id, role: 'bias', shape: [bias], init: 'zeros', trainable: true },
  ];
}

const HINTON_WIDTHS = [784, 1000, 500, 250, 30];

export function hintonIR(batch: number): IRModel {
  const parameters: IRParameter[] = [];
  const nodes: IRNode[] = [];
  const layers = HINTON_WIDTHS.length - 1;
  let previous = 'x';
  const dense = (id: string, from: number, to: number, fn: ActivationSpec['fn'], stage: IRNode['stage'], layer: number): void => {
    parameters.push(...weights(id, [from, to], to));
    nodes.push({
      id,
      op: 'dense',
      inputs: [previous],
      attrs: { units: to, activation: act(fn), useBias: true },
      shape: [null, to],
      stage,
      params: { kernel: `${id}.kernel`, bias: `${id}.bias` },
      layer,
    });
    previous = id;
  };
  for (let i = 0; i < layers; i++) {
    const isCode = i === layers - 1;
    dense(isCode ? 'z' : `encoder.${i}`, HINTON_WIDTHS[i], HINTON_WIDTHS[i + 1], isCode ? 'linear' : 'sigmoid', isCode ? 'latent' : 'encoder', i);
  }
  for (let i = layers - 1; i >= 0; i--) {
    dense(i === 0 ? 'decoder.out' : `decoder.${i}`, HINTON_WIDTHS[i + 1], HINTON_WIDTHS[i], i === 0 ? 'linear' : 'sigmoid', 'decoder', i);
  }
  nodes.push({ id: 'x_hat', op: 'activation', inputs: ['decoder.out'], attrs: act('sigmoid'), shape: [null, 784], stage: 'output' });
  return model('hinton', [784], parameters, nodes, 'decoder.out', 'z', batch);
}

/** [filters, padding] of each conv; 'pool' and 'up' between them; sizes follow the Keras blog. */
const KERAS_CONV_LAYERS: readonly ({ conv: number; padding: Padding; fn: ActivationSpec['fn'] } | 'pool' | 'up')[] = [
  { conv: 16, padding: 'same', fn: 'relu' }, 'pool',
  { conv: 8, padding: 'same', fn: 'relu' }, 'pool',
  { conv: 8, padding: 'same', fn: 'relu' }, 'pool',
  { conv: 8, padding: 'same', fn: 'relu' }, 'up',
  { conv: 8, padding: 'same', fn: 'relu' }, 'up',
  { conv: 16, padding: 'valid', fn: 'relu' }, 'up',
  { conv: 1, padding: 'same', fn: 'linear' },
];

export function kerasConvIR(batch: number): IRModel {
  const parameters: IRParameter[] = [];
  const nodes: IRNode[] = [];
  let previous = 'x';
  let [height, width, channels] = [28, 28, 1];
  let pools = 0;
  KERAS_CONV_LAYERS.forEach((layer, index) => {
    const decoding = pools === 3;
    const stage: IRNode['stage'] = decoding ? 'decoder' : 'encoder';
    const id = `${stage}.${index}`;
    if (layer === 'pool') {
      height = Math.ceil(height / 2);
      width = Math.ceil(width / 2);
      pools++;
      const code = pools === 3;
      nodes.push({ id: code ? 'z' : id, op: 'maxpool', inputs: [previous], attrs: { pool: [2, 2], stride: [2, 2], padding: 'same' }, shape: [null, height, width, channels], stage: code ? 'latent' : stage });
      previous = code ? 'z' : id;
      return;
    }
    if (layer === 'up') {
      height *= 2;
      width *= 2;
      nodes.push({ id, op: 'upsample', inputs: [previous], attrs: { factor: [2, 2] }, shape: [null, height, width, channels], stage });
      previous = id;
      return;
    }
    const last = index === KERAS_CONV_LAYERS.length - 1;
    const convId = last ? 'decoder.out' : id;
    parameters.push(...weights(convId, [3, 3, channels, layer.conv], layer.conv));
    if (layer.padding === 'valid') {
      height -= 2;
      width -= 2;
    }
    channels = layer.conv;
    nodes.push({
      id: convId,
      op: 'conv2d',
      inputs: [previous],
      attrs: { filters: layer.conv, kernel: [3, 3], stride: [1, 1], padding: layer.padding, activation: act(layer.fn) },
      shape: [null, height, width, channels],
      stage,
      params: { kernel: `${convId}.kernel`, bias: `${convId}.bias` },
    });
    previous = convId;
  });
  nodes.push({ id: 'x_hat', op: 'activation', inputs: ['decoder.out'], attrs: act('sigmoid'), shape: [null, 28, 28, 1], stage: 'output' });
  return model('keras_conv', [28, 28, 1], parameters, nodes, 'decoder.out', 'z', batch);
}

const MNIST_AE_WIDTHS = [784, 256, 64, 16];

/** The main job's IR as `ae compile examples/mnist/mnist.ae` writes it (ids shortened). */
export function mnistAeIR(batch: number): IRModel {
  const parameters: IRParameter[] = [];
  const nodes: IRNode[] = [{ id: 'flatten', op: 'flatten', inputs: ['x'], attrs: {}, shape: [null, 784], stage: 'encoder' }];
  let previous = 'flatten';
  const widths = [...MNIST_AE_WIDTHS, ...MNIST_AE_WIDTHS.slice(0, -1).reverse()];
  for (let i = 1; i < widths.length; i++) {
    const isCode = i === MNIST_AE_WIDTHS.length - 1;
    const isOut = i === widths.length - 1;
    const id = isCode ? 'z' : isOut ? 'decoder.out' : `dense.${i}`;
    const fn: ActivationSpec['fn'] = isCode || isOut ? 'linear' : 'relu';
    parameters.push(...weights(id, [widths[i - 1]!, widths[i]!], widths[i]!));
    const stage: IRNode['stage'] = isCode ? 'latent' : i < MNIST_AE_WIDTHS.length ? 'encoder' : 'decoder';
    nodes.push({ id, op: 'dense', inputs: [previous], attrs: { units: widths[i]!, activation: act(fn), useBias: true }, shape: [null, widths[i]!], stage, params: { kernel: `${id}.kernel`, bias: `${id}.bias` } });
    previous = id;
  }
  nodes.push({ id: 'logits', op: 'reshape', inputs: [previous], attrs: { target: [28, 28, 1] }, shape: [null, 28, 28, 1], stage: 'decoder' });
  nodes.push({ id: 'x_hat', op: 'activation', inputs: ['logits'], attrs: act('sigmoid'), shape: [null, 28, 28, 1], stage: 'output' });
  return model('mnist_ae', [28, 28, 1], parameters, nodes, 'logits', 'z', batch, LEARNING_RATE['mnist-ae']);
}

/** 16-3-16, both layers linear, mse against the input. */
export function tinyIR(batch: number): IRModel {
  const parameters = [...weights('z', [16, 3], 3), ...weights('decoder.out', [3, 16], 16)];
  const dense = (id: string, input: string, units: number, stage: IRNode['stage']): IRNode => ({
    id,
    op: 'dense',
    inputs: [input],
    attrs: { units, activation: act('linear'), useBias: true },
    shape: [null, units],
    stage,
    params: { kernel: `${id}.kernel`, bias: `${id}.bias` },
  });
  const nodes = [dense('z', 'x', 3, 'latent'), dense('decoder.out', 'z', 16, 'decoder')];
  nodes.push({ id: 'x_hat', op: 'activation', inputs: ['decoder.out'], attrs: act('linear'), shape: [null, 16], stage: 'output' });
  const ir = model('tiny', [16], parameters, nodes, 'decoder.out', 'z', batch);
  const objective: IRTerm[] = [{ fn: 'mse', weight: 1, args: ['x_hat', 'x'], options: { reduce: 'mean' } }];
  return { ...ir, objective, phases: ir.phases.map((phase) => ({ ...phase, objective })) };
}

export function aelangIR(arch: Arch, batch: number): IRModel {
  if (arch === 'hinton') return hintonIR(batch);
  if (arch === 'tiny') return tinyIR(batch);
  return arch === 'keras-conv' ? kerasConvIR(batch) : mnistAeIR(batch);
}

export function layersModel(arch: Arch): tfl.LayersModel {
  const net = tfl.sequential();
  if (arch === 'hinton') {
    const widths = [...HINTON_WIDTHS.slice(1), ...HINTON_WIDTHS.slice(0, -1).reverse()];
    widths.forEach((units, i) => {
      const isCode = i === HINTON_WIDTHS.length - 2;
      const isOutput = i === widths.length - 1;
      net.add(
        tfl.layers.dense({
          units,
          activation: isOutput ? 'sigmoid' : isCode ? 'linear' : 'sigmoid',
          ...(i === 0 ? { inputShape: [784] } : {}),
        }),
      );
    });
  } else if (arch === 'tiny') {
    net.add(tfl.layers.dense({ units: 3, inputShape: [16] }));
    net.add(tfl.layers.dense({ units: 16 }));
  } else if (arch === 'mnist-ae') {
    net.add(tfl.layers.flatten({ inputShape: [28, 28, 1] }));
    const widths = [...MNIST_AE_WIDTHS.slice(1), ...MNIST_AE_WIDTHS.slice(0, -1).reverse()];
    widths.forEach((units, i) => {
      const isCode = i === MNIST_AE_WIDTHS.length - 2;
      const isOut = i === widths.length - 1;
      net.add(tfl.layers.dense({ units, activation: isOut ? 'sigmoid' : isCode ? 'linear' : 'relu' }));
    });
    net.add(tfl.layers.reshape({ targetShape: [28, 28, 1] }));
  } else {
    let first = true;
    for (const layer of KERAS_CONV_LAYERS) {
      const input = first ? { inputShape: [28, 28, 1] } : {};
      first = false;
      if (layer === 'pool') net.add(tfl.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
      else if (layer === 'up') net.add(tfl.layers.upSampling2d({ size: [2, 2] }));
      else {
        const activation = layer.fn === 'linear' ? 'sigmoid' : 'relu';
        net.add(tfl.layers.conv2d({ filters: layer.conv, kernelSize: 3, padding: layer.padding, activation, ...input }));
      }
    }
  }
  const loss = arch === 'tiny' ? 'meanSquaredError' : 'binaryCrossentropy';
  net.compile({ optimizer: tf.train.adam(LEARNING_RATE[arch], 0.9, 0.999, 1e-7), loss });
  return net;
}
