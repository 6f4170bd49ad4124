// Training in the page, with the runtime's own program and loop (runtime/program, runtime/train):
// tfjs on webgl where the browser has it, else wasm, else cpu; the MNIST subset shipped with the
// page, or a CSV dropped on it. Shows the loss per step, reconstructions of test images after every
// epoch, and, for 2-wide codes, the test images' latent codes; a stop button; the trained run
// downloads as a tar of model.ir.json and weights.safetensors, which `ae eval` reads.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { exportOnnx } from '../../export/onnx/index.js';
import type { IRModel } from '../../ir/types.js';
import { toDataset, type InMemoryDataset, type RawSamples } from '../../runtime/data/dataset.js';
import { registerMissingKernels } from '../../runtime/kernels/index.js';
import { buildProgram, type Program } from '../../runtime/program/program.js';
import { encodeSafetensors } from '../../runtime/runs/safetensors.js';
import { latentKind } from '../../runtime/tasks/latent.js';
import { sample } from '../../runtime/tasks/sample.js';
import { modelInputs } from '../../runtime/train/batches.js';
import type { Callback, LoopContext } from '../../runtime/train/callbacks/callback.js';
import { weightTensors } from '../../runtime/train/checkpoint.js';
import { runLoop } from '../../runtime/train/loop.js';
import { planStages } from '../../runtime/train/stages.js';
import { drawLatentMap, drawLoss, drawReconstructions, drawSamples } from './plots.js';
import { tarArchive } from './tar.js';

type IRSource = () => { ir: IRModel; text: string } | { error: string };

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const SHOWN = 8; // test images reconstructed after each epoch

class StopRequested extends Error {}

interface PanelState {
  running: boolean;
  stop: boolean;
  losses: number[];
  epochs: { epoch: number; loss: number }[];
  backend?: string;
  program?: Program;
  ir?: IRModel;
  error?: string;
  /** The test images last reconstructed and their reconstructions (the browser test compares a
   *  downloaded run's with them). */
  shownInputs?: number[];
  shown?: number[];
  done: boolean;
}

export const panel: PanelState = { running: false, stop: false, losses: [], epochs: [], done: false };
let dropped: { name: string; rows: number[][] } | undefined;

export function setUpTraining(options: { currentIR: IRSource }): void {
  const trainButton = element<HTMLButtonElement>('train');
  const stopButton = element<HTMLButtonElement>('stop');
  const download = element<HTMLButtonElement>('download');
  trainButton.addEventListener('click', () => void train(options.currentIR, trainButton, stopButton, download));
  stopButton.addEventListener('click', () => {
    panel.stop = true;
  });
  download.addEventListener('click', () => void downloadRun());
  const onnx = element<HTMLButtonElement>('download-onnx');
  onnx.addEventListener('click', () => void downloadOnnx());
  setUpDrop();
  (window as unknown as { aeTraining: PanelState }).aeTraining = panel;
}

function status(text: string): void {
  element('train-status').textContent = text;
}

async function useBackend(choice: string): Promise<string> {
  setWasmPaths(new URL('./', location.href).href);
  const order = choice === 'auto' ? ['webgl', 'wasm', 'cpu'] : [choice];
  for (const name of order) {
    try {
      if (!(await tf.setBackend(name))) continue;
      await tf.ready();
      if (name === 'wasm' || name === 'cpu') registerMissingKernels(name);
      return name;
    } catch {
      // this browser lacks it; try the next
    }
  }
  throw new Error(`no tfjs backend could start (tried ${order.join(', ')})`);
}

async function train(currentIR: IRSource, trainButton: HTMLButtonElement, stopButton: HTMLButtonElement, download: HTMLButtonElement): Promise<void> {
  if (panel.running) return;
  const source = currentIR();
  if ('error' in source) {
    status(`Cannot train: ${source.error}`);
    return;
  }
  const { ir } = source;
  Object.assign(panel, { running: true, stop: false, losses: [], epochs: [], done: false, error: undefined, ir });
  panel.program?.dispose();
  panel.program = undefined;
  trainButton.disabled = true;
  stopButton.disabled = false;
  download.disabled = true;
  element<HTMLButtonElement>('download-onnx').disabled = true;
  try {
    panel.backend = await useBackend(element<HTMLSelectElement>('backend').value);
    status(`Loading data (backend ${panel.backend})…`);
    const inputs = modelInputs(ir);
    const { train: trainSet, test } = await loadData(ir);
    const epochs = Math.max(1, Number(element<HTMLInputElement>('epochs').value) || 1);
    const stages = planStages(ir, epochs);
    const program = buildProgram(ir, { seed: ir.phases[0]?.seed ?? 0 });
    panel.program = program;
    const shownTest = Math.min(SHOWN, test.count);
    const callback: Callback = {
      async onBatchEnd(context: LoopContext, logs) {
        panel.losses.push(logs.result.loss);
        if (logs.index % 2 === 0 || logs.index === logs.batches) drawLoss(element('loss-chart'), panel.losses);
        status(`${context.stage.name}: epoch ${context.epoch + 1}/${context.stage.epochs}, batch ${logs.index}/${logs.batches}, loss ${logs.result.loss.toFixed(4)} (${panel.backend})`);
        await new Promise((resolve) => setTimeout(resolve, 0)); // let the page paint and the stop button act
        if (panel.stop) throw new StopRequested();
      },
      async onEpochEnd(context: LoopContext, logs) {
        panel.epochs.push({ epoch: panel.epochs.length + 1, loss: logs.loss });
        await showModel(program, ir, test, shownTest);
      },
    };
    await runLoop(
      {
        program,
        stages,
        inputs,
        seedOf: (stage) => stage.phase.seed,
        batchOf: (stage) => Math.min(stage.phase.batch, trainSet.count),
        dataOf: async () => ({ dataset: trainSet, validation: test }),
        callbacks: [callback],
      },
      { stage: 0, epoch: 0, step: 0 },
    );
    status(`Trained ${panel.epochs.length} epoch(s), ${panel.losses.length} steps: loss ${panel.losses[0]?.toFixed(4)} → ${panel.losses.at(-1)?.toFixed(4)} (${panel.backend})`);
  } catch (error) {
    if (error instanceof StopRequested) status(`Stopped after ${panel.losses.length} steps: loss ${panel.losses.at(-1)?.toFixed(4)}`);
    else {
      panel.error = (error as Error).message;
      status(`Training failed: ${panel.error}`);
    }
  } finally {
    panel.running = false;
    panel.done = true;
    trainButton.disabled = false;
    stopButton.disabled = true;
    download.disabled = panel.program === undefined || panel.losses.length === 0;
    element<HTMLButtonElement>('download-onnx').disabled = download.disabled;
  }
}

/** Reconstructions of the first test images and, for a 2-wide code, the latent map. */
async function showModel(program: Program, ir: IRModel, test: InMemoryDataset, count: number): Promise<void> {
  const width = test.sampleShape.reduce((a, b) => a * b, 1);
  const inputName = modelInputs(ir).data.name;
  const x = tf.tensor(test.x.subarray(0, count * width), [count, ...test.sampleShape], 'float32');
  const values = program.forward({ [inputName]: x }, { training: false });
  const reconstruction = await values.get(ir.outputs.reconstruction)!.data();
  panel.shownInputs = Array.from(test.x.subarray(0, count * width));
  panel.shown = Array.from(reconstruction);
  drawReconstructions(element('reconstructions'), test.x.subarray(0, count * width), reconstruction as Float32Array, test.sampleShape, count, ir.inputs[0]?.range);
  const latent = values.get(ir.outputs.latent);
  const map = element<HTMLCanvasElement>('latent-map');
  map.hidden = true;
  if (latent && latent.shape.length === 2 && latent.shape[1] === 2) {
    const all = tf.tensor(test.x, [test.count, ...test.sampleShape], 'float32');
    const allValues = program.forward({ [inputName]: all }, { training: false });
    const codes = (await allValues.get(ir.outputs.latent)!.data()) as Float32Array;
    drawLatentMap(map, codes, test.labels);
    map.hidden = false;
    for (const t of allValues.values()) t.dispose();
    all.dispose();
  }
  for (const t of values.values()) t.dispose();
  x.dispose();
  showSamples(program, ir, test);
}

/** For a code with a prior (gaussian, binary, one-hot), 8 codes drawn from it and decoded: what the
 *  model generates (`ae sample`). The same draws every epoch, so the pictures show the model change. */
function showSamples(program: Program, ir: IRModel, test: InMemoryDataset): void {
  const host = element('samples');
  const kind = latentKind(ir);
  host.hidden = kind === 'deterministic' || kind === 'vq'; // vq samples need the codes' usage on the data
  if (host.hidden) return;
  const { samples } = sample(program, { count: SHOWN, seed: 0 });
  drawSamples(host, samples.values, test.sampleShape, SHOWN, ir.inputs[0]?.range);
}

interface MnistManifest {
  rows: number;
  cols: number;
  train: { count: number; images: string; labels: string };
  test: { count: number; images: string; labels: string };
}

async function gunzip(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
}

/** The dropped CSV (its last rows held out for the pictures), else the MNIST subset. */
async function loadData(ir: IRModel): Promise<{ train: InMemoryDataset; test: InMemoryDataset }> {
  const input = modelInputs(ir).data;
  if (dropped) {
    const width = dropped.rows[0]!.length;
    const held = Math.max(1, Math.min(64, Math.floor(dropped.rows.length / 10)));
    const split = (rows: number[][], name: string): InMemoryDataset => {
      const raw: RawSamples = { file: dropped!.name, kind: 'values', count: rows.length, sampleShape: [width], values: rows.flat() };
      return { ...toDataset(name, raw, input), name };
    };
    return { train: split(dropped.rows.slice(0, -held), dropped.name), test: split(dropped.rows.slice(-held), `${dropped.name} (held out)`) };
  }
  const manifest = (await (await fetch('mnist/manifest.json')).json()) as MnistManifest;
  const load = async (split: 'train' | 'test'): Promise<InMemoryDataset> => {
    const entry = manifest[split];
    const [images, labels] = await Promise.all([gunzip(`mnist/${entry.images}`), gunzip(`mnist/${entry.labels}`)]);
    const raw: RawSamples = { file: `the page's MNIST subset (${split})`, kind: 'uint8', count: entry.count, sampleShape: [manifest.rows, manifest.cols], values: images };
    return { ...toDataset(`mnist ${split}`, raw, input, 'an image'), labels: Int32Array.from(labels) };
  };
  return { train: await load('train'), test: await load('test') };
}

/** A CSV dropped on the page: one sample a row, numbers only (a first row of names is skipped). */
function setUpDrop(): void {
  document.body.addEventListener('dragover', (event) => {
    event.preventDefault();
    document.body.classList.add('dropping');
  });
  document.body.addEventListener('dragleave', () => document.body.classList.remove('dropping'));
  document.body.addEventListener('drop', (event) => {
    event.preventDefault();
    document.body.classList.remove('dropping');
    const file = event.dataTransfer?.files[0];
    if (file) void useCsv(file.name, file.text());
  });
}

export async function useCsv(name: string, text: Promise<string>): Promise<void> {
  // Keep each row's line number in the file, for the message about a bad one.
  const lines = (await text).split(/\r?\n/).map((line, i) => ({ line: i + 1, cells: line.split(',').map((cell) => cell.trim()) })).filter((row) => row.cells.join('') !== '');
  if (lines.length > 0 && lines[0]!.cells.some((cell) => Number.isNaN(Number(cell)))) lines.shift(); // a header
  const width = lines[0]?.cells.length ?? 0;
  const bad = lines.find((row) => row.cells.length !== width || row.cells.some((cell) => cell === '' || !Number.isFinite(Number(cell))));
  if (lines.length < 2 || bad) {
    status(`${name}: ${bad ? `line ${bad.line} is not ${width} numbers (${bad.cells.length} cells: ${bad.cells.join(',').slice(0, 40)})` : 'needs at least two rows of numbers'}`);
    return;
  }
  dropped = { name, rows: lines.map((row) => row.cells.map(Number)) };
  element('data-source').textContent = `Data: ${name}, ${lines.length} rows of ${width} values (the last tenth held out for the pictures).`;
}

async function downloadRun(): Promise<void> {
  const { program, ir } = panel;
  if (!program || !ir) return;
  const weights = encodeSafetensors(await weightTensors(program));
  const irBytes = new TextEncoder().encode(`${JSON.stringify(ir, null, 2)}\n`);
  const folder = `${ir.model}-playground`;
  const archive = tarArchive([
    { name: `${folder}/model.ir.json`, data: irBytes },
    { name: `${folder}/weights.safetensors`, data: weights },
  ]);
  save(archive, `${folder}.tar`, 'application/x-tar');
}

declare const AELANG_VERSION: string; // the package's version, written in by the build

/** The trained model as ONNX, the file `ae export RUN --format onnx` writes for the downloaded run. */
async function downloadOnnx(): Promise<void> {
  const { program, ir } = panel;
  if (!program || !ir) return;
  const tensors = await weightTensors(program);
  const weights = new Map(Object.entries(tensors).map(([id, t]) => [id, { shape: t.shape, values: Float32Array.from(t.data) }]));
  try {
    save(exportOnnx(ir, weights, { part: 'model', version: AELANG_VERSION }), `${ir.model}.onnx`, 'application/octet-stream');
  } catch (error) {
    status(`Cannot export to ONNX: ${(error as Error).message}`);
  }
}

function save(bytes: Uint8Array, name: string, type: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
