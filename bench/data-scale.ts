// Data at the size users have (docs/data.md, "Measured"): how long a data set takes to load and how
// much memory the process peaks at, held in memory or streamed from its file; and one epoch of a
// small model trained on a file streamed from disk. The files come from bench/data_files.py.
//
//   node --import tsx bench/data-scale.ts read DATA WIDTH [--stream | --in-memory] [--labels N]
//   node --import tsx bench/data-scale.ts train DATA WIDTH [--stream | --in-memory] [--batch B] [--code K] [--threads T]
//
// DATA is a --data argument (big.npy, data.csv#label=label); WIDTH the values per sample. Prints
// one JSON line: seconds, samples, whether the data was streamed, the peak resident set (MB; the
// kernel's page cache of the file is not part of it) and, for train, the steps, samples per second
// and the epoch's loss.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../compiler/analyze.js';
import type { IRInput } from '../ir/types.js';
import { selectBackend } from '../runtime/backends/index.js';
import { closeDataset, loadDataset } from '../runtime/data/index.js';
import { train } from '../runtime/train/train.js';

const [mode, data, widthText, ...flags] = process.argv.slice(2);
const width = Number(widthText);
if ((mode !== 'read' && mode !== 'train') || data === undefined || !Number.isInteger(width)) {
  console.error('usage: data-scale.ts read|train DATA WIDTH [--stream | --in-memory] [--labels N] [--batch B] [--code K] [--threads T]');
  process.exit(2);
}
const flag = (name: string): number | undefined => {
  const at = flags.indexOf(name);
  return at < 0 ? undefined : Number(flags[at + 1]);
};
const stream = flags.includes('--stream') ? true : flags.includes('--in-memory') ? false : undefined;
const peakMegabytes = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

if (mode === 'read') {
  const input: IRInput = { name: 'x', kind: 'tensor', shape: [null, width], dtype: 'float32', range: [0, 1] };
  const classes = flag('--labels');
  const labelsInput: IRInput | undefined = classes ? { name: 'y', kind: 'label', shape: [null], dtype: 'int32', classes } : undefined;
  const started = performance.now();
  const dataset = await loadDataset(data, input, { cwd: process.cwd(), ...(labelsInput ? { labelsInput } : {}), ...(stream !== undefined ? { stream } : {}) });
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ mode, data, seconds: round(seconds), samples: dataset.count, streamed: dataset.stream !== undefined, peakMB: peakMegabytes() }));
  closeDataset(dataset);
} else {
  const batch = flag('--batch') ?? 256;
  const code = flag('--code') ?? 8;
  const source = `model wide {
  input x: [${width}] in [0, 1]
  latent z = dense(${code})
  decoder { dense(${width}) }
  output x_hat = sigmoid
  loss = mse(x_hat, x)
  train {
    optimizer = adam(lr = 1e-3)
    epochs = 1
    batch = ${batch}
  }
}
`;
  const analysis = analyzeSource(source, 'wide.ae');
  const ir = analysis.irs[0];
  if (!ir) throw new Error(analysis.diagnostics.map((d) => d.message).join('\n'));
  const threads = flag('--threads');
  await selectBackend('wasm', threads !== undefined ? { threads } : {});
  const runDir = mkdtempSync(join(tmpdir(), 'aelang-data-scale-'));
  try {
    const started = performance.now();
    const result = await train({ ir, runDir, cwd: process.cwd(), data, ...(stream !== undefined ? { stream } : {}) });
    const seconds = (performance.now() - started) / 1000;
    const line = result.metrics.at(-1)!;
    console.log(JSON.stringify({ mode, data, seconds: round(seconds), steps: result.steps, samplesPerSecond: Math.round(result.samplesPerSecond), loss: line.loss, peakMB: peakMegabytes() }));
    result.program.dispose();
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
