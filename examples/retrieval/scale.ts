// How `ae search` scales: exact k-nearest-neighbour search of random codes against indexes of
// 100,000 and 1,000,000 codes, timed on the backend (wasm, the CPU default, unless --backend), next to the
// same search by NumPy (one float32 matrix product per block plus argpartition, OpenBLAS) run by
// the same script on the same codes with the same thread count.
//
//   nice -n 10 node --import tsx examples/retrieval/scale.ts [--backend wasm|cpu] [--width 16] [--queries 100]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendName } from '../../runtime/backends/index.js';
import { readNpy } from '../../runtime/data/index.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { Rng } from '../../runtime/program/rng.js';
import { CodeIndex } from '../../runtime/tasks/index.js';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' }, width: { type: 'string', default: '16' }, queries: { type: 'string', default: '100' }, k: { type: 'string', default: '10' } } });
const width = Number(values.width);
const queryCount = Number(values.queries);
const k = Number(values.k);
await selectBackend(values.backend as BackendName, { log: (line) => console.log(line) });

function randomCodes(count: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: count * width }, () => rng.normal());
}

const NUMPY_PEER = `
import sys, time, numpy as np
index = np.load(sys.argv[1]); queries = np.load(sys.argv[2]); k = int(sys.argv[3])
def search():
    norms = (index * index).sum(1)
    out = []
    for s in range(0, len(queries), 256):
        q = queries[s:s + 256]
        best_d, best_i = [], []
        for b in range(0, len(index), 32768):
            d = (q * q).sum(1)[:, None] - 2 * q @ index[b:b + 32768].T + norms[None, b:b + 32768]
            part = np.argpartition(d, k - 1, axis=1)[:, :k]
            best_i.append(part + b); best_d.append(np.take_along_axis(d, part, 1))
        d = np.concatenate(best_d, 1); i = np.concatenate(best_i, 1)
        order = np.argsort(d, 1)[:, :k]
        out.append(np.take_along_axis(i, order, 1))
    return np.concatenate(out)
search()
start = time.perf_counter(); ids = search(); seconds = time.perf_counter() - start
np.save(sys.argv[4], ids.astype(np.int32))
print(f"{seconds:.3f}")
`;

const queries = randomCodes(queryCount, 2);
const work = mkdtempSync(join(tmpdir(), 'ae-search-scale-'));
writeFileSync(join(work, 'queries.npy'), encodeNpy(queries, [queryCount, width]));
writeFileSync(join(work, 'peer.py'), NUMPY_PEER);
const threads = '1'; // tfjs-wasm runs one thread here
for (const n of [100_000, 1_000_000]) {
  const index = randomCodes(n, 1);
  const codes = { values: index, shape: [n, width] };
  const query = { values: queries, shape: [queryCount, width] };
  const building = performance.now();
  const codeIndex = new CodeIndex(codes);
  const buildSeconds = (performance.now() - building) / 1000;
  codeIndex.search({ values: queries.subarray(0, width), shape: [1, width] }, { k }); // warm-up
  const started = performance.now();
  const found = codeIndex.search(query, { k });
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(join(work, 'index.npy'), encodeNpy(index, [n, width]));
  const peer = spawnSync('/usr/bin/python3', [join(work, 'peer.py'), join(work, 'index.npy'), join(work, 'queries.npy'), String(k), join(work, 'ids.npy')], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads },
  });
  if (peer.status !== 0) throw new Error(`the NumPy peer failed: ${peer.stderr}`);
  const peerIds = (await readNpy(join(work, 'ids.npy'))).data;
  const agree = found.indices.every((id, i) => id === peerIds[i]);
  const single = performance.now();
  codeIndex.search({ values: queries.subarray(width, 2 * width), shape: [1, width] }, { k });
  const singleSeconds = (performance.now() - single) / 1000;
  codeIndex.dispose();
  console.log(
    `${n.toLocaleString('en')} codes of width ${width}, k = ${k}: index built in ${buildSeconds.toFixed(2)} s; ${queryCount} queries in ` +
      `${seconds.toFixed(2)} s on ${tf.getBackend()}, NumPy ${Number(peer.stdout.trim()).toFixed(2)} s (${agree ? 'same' : 'DIFFERENT'} neighbours); ` +
      `one query ${(singleSeconds * 1000).toFixed(0)} ms`,
  );
}
rmSync(work, { recursive: true, force: true });
