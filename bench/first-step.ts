// Time from starting `ae train` to its first training step: the process start-up (module loading,
// compiling the model, validating its IR, the backend) that a one-epoch run of a tiny model is made
// of. `ae train` draws its progress bar after every step only on a terminal, so each run gets one
// from util-linux's `script`; the time is when the bar for step 1 appears. Runs the built CLI
// (bin/ae.js, `npm run build` first) and reports the median, as the machine may be shared.
//
//   node --import tsx bench/first-step.ts [--runs 5] [--backend wasm]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, backend: { type: 'string', default: 'wasm' } } });
const runs = Number(values.runs);
const root = join(import.meta.dirname, '..');

// 16-3-16 linear autoencoder: its steps cost milliseconds, so the first one marks the end of start-up.
const TINY_MODEL = `model tiny {
  input x: [16]
  encoder { dense(3) }
  latent z = dense(3)
  decoder { dense(16) }
  output x_hat = linear
  loss = mse(x_hat, x)
  train {
    data = synthetic(samples = 200)
    optimizer = sgd(lr = 0.01)
    epochs = 1
    batch = 100
  }
}
`;

const FIRST_STEP_BAR = /\s1\/\d+\s[\d.]+ batch\/s/;

async function secondsToFirstStep(spec: string, out: string): Promise<number> {
  rmSync(out, { recursive: true, force: true });
  const command = ['node', join(root, 'bin/ae.js'), 'train', spec, '--backend', values.backend!, '--out', out].map((a) => `'${a}'`).join(' ');
  const started = performance.now();
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let firstStep: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (firstStep === undefined && FIRST_STEP_BAR.test(output)) firstStep = performance.now() - started;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0 || firstStep === undefined) throw new Error(`ae train exited ${code} without drawing step 1:\n${output}`);
  return firstStep / 1000;
}

const dir = mkdtempSync(join(tmpdir(), 'ae-first-step-'));
try {
  const spec = join(dir, 'tiny.ae');
  writeFileSync(spec, TINY_MODEL);
  const seconds: number[] = [];
  for (let run = 1; run <= runs; run++) {
    seconds.push(await secondsToFirstStep(spec, join(dir, 'run')));
    console.log(`run ${run}: first step after ${seconds.at(-1)!.toFixed(2)} s`);
  }
  seconds.sort((a, b) => a - b);
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`median ${seconds[Math.floor(seconds.length / 2)]!.toFixed(2)} s over ${runs} runs (${values.backend}); load average ${load}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
