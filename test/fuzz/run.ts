// `npm run fuzz -- --count N [--seed S] [--time-limit MS] [--no-train] [--summary FILE]
// [--stop-at ISO-TIME]`: the long fuzzing run (--stop-at ends it early, at that wall-clock time).
// Checks N inputs (test/fuzz/generate.ts) against the properties (test/fuzz/properties.ts), with one
// training step on cpu for each clean IR, and prints the counts. Each failure is minimised and
// written to specs/fuzz/<kind>-<seed>.ae with a comment saying what failed; its golden
// (<name>.errors.txt, `npm run accept fuzz`) holds its expected diagnostics once it is fixed, and
// test/fuzz/fuzz.test.ts then keeps it fixed. Exits 1 when anything failed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../goldens/files.js';
import { fuzzInput, seedTexts } from './generate.js';
import { minimize } from './minimize.js';
import { checkInput, type FailureKind } from './properties.js';
import { trainOneStep, useCpuBackend } from './train-step.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const count = option('count', 1_000);
const firstSeed = option('seed', 1);
const timeLimitMs = option('time-limit', 2_000);
const train = !args.includes('--no-train');
const summaryAt = args.indexOf('--summary');
const summaryFile = summaryAt >= 0 ? args[summaryAt + 1] : undefined;
const stopAtIndex = args.indexOf('--stop-at');
const stopAt = stopAtIndex >= 0 ? Date.parse(args[stopAtIndex + 1] ?? '') : Infinity;
if (Number.isNaN(stopAt)) throw new Error(`--stop-at takes a time such as 2026-12-07T00:40Z, not ${args[stopAtIndex + 1]}`);

if (train) await useCpuBackend();
const corpus = seedTexts(repositoryRoot);
const failures: Record<FailureKind, number> = { exception: 0, 'over-time': 0, schema: 0, range: 0, runtime: 0 };
let clean = 0;
let trained = 0;
let skipped = 0;
let slowest = { ms: 0, cpuMs: 0, seed: 0 };
const started = performance.now();
const trainer = (ir: Parameters<typeof trainOneStep>[0]) => {
  if (trainOneStep(ir)) trained++;
  else skipped++;
};

let done = 0;
const findings: string[] = [];
for (let seed = firstSeed; seed < firstSeed + count && Date.now() < stopAt; seed++) {
  done++;
  const input = fuzzInput(seed, corpus);
  const outcome = await checkInput(input.text, { timeLimitMs, ...(train ? { train: trainer } : {}) });
  if (outcome.clean) clean++;
  if (outcome.cpuMs > slowest.cpuMs) slowest = { ms: outcome.ms, cpuMs: outcome.cpuMs, seed };
  if (outcome.failure) {
    const { kind, message } = outcome.failure;
    failures[kind]++;
    console.log(`seed ${seed} (${input.origin}): ${kind}: ${message.split('\n')[0]}`);
    findings.push(`seed ${seed} (${input.origin}): ${kind}: ${message.split('\n')[0]}`);
    // Over-time inputs are not minimised by re-running them hundreds of times; the rest are.
    const small =
      kind === 'over-time'
        ? input.text
        : await minimize(input.text, async (candidate) => (await checkInput(candidate, { timeLimitMs, ...(train ? { train: (ir) => void trainOneStep(ir) } : {}) })).failure?.kind === kind);
    const file = join(repositoryRoot, 'specs', 'fuzz', `${kind}-${seed}.ae`);
    writeFileSync(file, `// fuzz seed ${seed} (${input.origin}): ${kind}: ${message.split('\n')[0]!.slice(0, 200)}\n${small}`);
    console.log(`  minimised to ${small.length} characters: ${file}`);
  }
  if ((seed - firstSeed + 1) % 1_000 === 0) {
    const done = seed - firstSeed + 1;
    const progress = `${done} inputs, ${clean} clean, ${trained} IRs trained, failures ${JSON.stringify(failures)}, ${((performance.now() - started) / 1000).toFixed(0)} s`;
    console.log(progress);
    if (summaryFile) writeFileSync(summaryFile, `(running) ${progress}\n${findings.join('\n')}\n`);
  }
}

const total = Object.values(failures).reduce((a, b) => a + b, 0);
const summary = (): string =>
  [
    `inputs: ${done} (seeds ${firstSeed}..${firstSeed + done - 1}), time limit ${timeLimitMs} ms${done < count ? `; stopped at ${new Date().toISOString()} (--stop-at), ${count - done} of ${count} not run` : ''}`,
    `checked clean: ${clean}; IRs of clean files trained one step: ${trained}${train ? '' : ' (training off)'}; too large to step: ${skipped}`,
    `exceptions: ${failures.exception}; over the time limit: ${failures['over-time']}; schema failures: ${failures.schema}; ranges outside the file: ${failures.range}; runtime exceptions: ${failures.runtime}`,
    `slowest input: seed ${slowest.seed}, ${slowest.cpuMs.toFixed(0)} ms CPU (${slowest.ms.toFixed(0)} ms wall); total ${((performance.now() - started) / 1000).toFixed(0)} s`,
    ...findings,
  ].join('\n');
console.log(summary());
if (summaryFile) writeFileSync(summaryFile, `${summary()}\n`);
process.exitCode = total > 0 ? 1 : 0;
