// MNIST anomaly detection, measured: train examples/anomaly/anomaly.ae on the training images of the
// normal digits only, score every test image by its reconstruction error in the model's own loss,
// with the digits outside the normal group as the anomalies, and report ROC AUC and average
// precision beside PCA's reconstruction error with the same code width (16), fitted on the same
// images: the baseline an autoencoder has to beat.
//
//   nice -n 10 node --import tsx examples/anomaly/run.ts [--normal 0,1,2,3,4] [--epochs 5] [--backend wasm]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeSource } from '../../compiler/analyze.js';
import { selectBackend, type BackendName } from '../../runtime/backends/index.js';
import { loadDataset, type Dataset } from '../../runtime/data/index.js';
import { averagePrecision, fitPca, fitThreshold, pcaReconstructionErrors, rocAuc, score } from '../../runtime/tasks/index.js';
import { train } from '../../runtime/train/train.js';

const { values } = parseArgs({ options: { normal: { type: 'string', default: '0,1,2,3,4' }, epochs: { type: 'string', default: '5' }, backend: { type: 'string', default: 'wasm' } } });
const normal = new Set(values.normal.split(',').map(Number));
const epochs = Number(values.epochs);
await selectBackend(values.backend as BackendName, { log: (line) => console.log(line) });

const file = new URL('./anomaly.ae', import.meta.url);
const analysis = analyzeSource(readFileSync(file, 'utf8'), 'examples/anomaly/anomaly.ae');
const ir = analysis.irs[0]!;
const input = ir.inputs[0]!;
const trainAll = await loadDataset({ kind: 'mnist', split: 'train' }, input, { cwd: process.cwd() });
const test = await loadDataset({ kind: 'mnist', split: 'test' }, input, { cwd: process.cwd() });

/** The samples whose label is in `classes`. */
function only(dataset: Dataset, classes: Set<number>): Dataset {
  const width = dataset.x.length / dataset.count;
  const rows = Array.from(dataset.labels!).flatMap((label, i) => (classes.has(label) ? [i] : []));
  const x = new Float32Array(rows.length * width);
  rows.forEach((row, i) => x.set(dataset.x.subarray(row * width, (row + 1) * width), i * width));
  return { name: `${dataset.name} digits ${[...classes].join(',')}`, count: rows.length, sampleShape: dataset.sampleShape, x, labels: Int32Array.from(rows, (r) => dataset.labels![r]!) };
}

const normalTrain = only(trainAll, normal);
const truth = Uint8Array.from(test.labels!, (label) => (normal.has(label) ? 0 : 1));
console.log(`normal digits ${values.normal}: ${normalTrain.count} training images; test: ${test.count} images, ${truth.reduce((a, b) => a + b, 0)} anomalies`);

const runDir = mkdtempSync(join(tmpdir(), 'ae-anomaly-'));
const started = performance.now();
const trained = await train({ ir, runDir, cwd: process.cwd(), dataset: normalTrain, epochs });
console.log(`trained ${epochs} epochs in ${((performance.now() - started) / 1000).toFixed(0)} s into ${runDir}`);
const result = score(trained.program, test, { fit: normalTrain, contamination: 0.1 });
const flagged = (truth: Uint8Array, isAnomaly: Uint8Array) => {
  let caught = 0;
  for (let i = 0; i < truth.length; i++) caught += truth[i] && isAnomaly[i] ? 1 : 0;
  return caught;
};
const anomalies = truth.reduce((a, b) => a + b, 0);

const pca = fitPca(normalTrain.x, normalTrain.count, 16);
const pcaFit = pcaReconstructionErrors(pca, normalTrain.x);
const pcaScores = pcaReconstructionErrors(pca, test.x);
const pcaThreshold = fitThreshold(pcaFit, 0.1);
const pcaFlags = Uint8Array.from(pcaScores, (s) => (s > pcaThreshold ? 1 : 0));

console.log('\n| scores | ROC AUC | average precision | anomalies caught at contamination 0.1 |');
console.log('| --- | --- | --- | --- |');
console.log(`| autoencoder (bce, 16-wide code) | ${rocAuc(result.scores, truth).toFixed(4)} | ${averagePrecision(result.scores, truth).toFixed(4)} | ${flagged(truth, result.isAnomaly)} of ${anomalies} |`);
console.log(`| PCA, 16 components (mse) | ${rocAuc(pcaScores, truth).toFixed(4)} | ${averagePrecision(pcaScores, truth).toFixed(4)} | ${flagged(truth, pcaFlags)} of ${anomalies} |`);
trained.program.dispose();
