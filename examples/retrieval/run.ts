// MNIST retrieval, measured: the test images as queries against the 60,000 training images, and
// precision@10 (the share of each query's 10 nearest neighbours with the query's digit) for three
// representations searched the same way (exact euclidean kNN, `ae search`'s code path): the codes of
// the README's main-job autoencoder (examples/mnist/mnist.ae, 16-wide), PCA codes of the same width
// fitted on the training images, and the raw 784 pixels.
//
//   nice -n 10 node --import tsx examples/retrieval/run.ts [--epochs 3] [--queries 1000] [--backend wasm]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeSource } from '../../compiler/analyze.js';
import { selectBackend, type BackendName } from '../../runtime/backends/index.js';
import { loadDataset } from '../../runtime/data/index.js';
import { CodeIndex, encode, fitPca, precisionAtK, projectPca, type TensorValues } from '../../runtime/tasks/index.js';
import { train } from '../../runtime/train/train.js';

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '3' }, queries: { type: 'string', default: '1000' }, backend: { type: 'string', default: 'wasm' } } });
const epochs = Number(values.epochs);
const queryCount = Number(values.queries);
const k = 10;
await selectBackend(values.backend as BackendName, { log: (line) => console.log(line) });

const analysis = analyzeSource(readFileSync(new URL('../mnist/mnist.ae', import.meta.url), 'utf8'), 'examples/mnist/mnist.ae');
const ir = analysis.irs[0]!;
const input = ir.inputs[0]!;
const index = await loadDataset({ kind: 'mnist', split: 'train' }, input, { cwd: process.cwd() });
const queries = await loadDataset({ kind: 'mnist', split: 'test' }, input, { cwd: process.cwd(), limit: queryCount });

const runDir = mkdtempSync(join(tmpdir(), 'ae-retrieval-'));
let started = performance.now();
const trained = await train({ ir, runDir, cwd: process.cwd(), dataset: index, epochs });
console.log(`trained examples/mnist/mnist.ae for ${epochs} epochs in ${((performance.now() - started) / 1000).toFixed(0)} s into ${runDir}`);

function precision(name: string, indexed: TensorValues, queried: TensorValues): string {
  const begun = performance.now();
  const codeIndex = new CodeIndex(indexed);
  const neighbours = codeIndex.search(queried, { k });
  codeIndex.dispose();
  const seconds = (performance.now() - begun) / 1000;
  return `| ${name} | ${indexed.values.length / indexed.shape[0]!} | ${precisionAtK(neighbours, index.labels!, queries.labels!).toFixed(4)} | ${seconds.toFixed(1)} s |`;
}

const rows: string[] = [];
rows.push(precision('autoencoder code (mnist.ae)', encode(trained.program, index), encode(trained.program, queries)));
started = performance.now();
const pca = fitPca(index.x, index.count, 16);
console.log(`fitted PCA in ${((performance.now() - started) / 1000).toFixed(0)} s`);
rows.push(precision('PCA, 16 components', { values: projectPca(pca, index.x), shape: [index.count, 16] }, { values: projectPca(pca, queries.x), shape: [queries.count, 16] }));
rows.push(precision('raw pixels', { values: index.x, shape: [index.count, 784] }, { values: queries.x, shape: [queries.count, 784] }));
console.log(`\n${queries.count} MNIST test queries against ${index.count} training images, exact euclidean kNN:\n`);
console.log(`| representation | width | precision@${k} | search time |`);
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(row);
trained.program.dispose();
