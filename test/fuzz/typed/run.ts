// `npm run fuzz:typed -- --count N [--seed S] [--time-limit MS] [--no-train] [--summary FILE]
// [--findings DIR] [--stop-at ISO-TIME]`: the generative fuzzer's long run (--stop-at ends it early,
// at that wall-clock time, reporting the inputs done). Checks N typed inputs (typed/generate.ts)
// against every property of typed/properties.ts, with one training step on the tfjs cpu backend
// for each clean IR, and prints (and with --summary writes) the counts. Each failing input is
// minimised while it fails the same way and written to DIR (default .tmp/fuzz-typed/) as
// <kind>-<seed>.ae with a comment saying what failed; a fix then adds it to test/fuzz/typed.test.ts.
// Exits 1 when anything failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repositoryRoot } from '../../goldens/files.js';
import { minimize } from '../minimize.js';
import { trainOneStep, useCpuBackend } from '../train-step.js';
import { typedInput } from './generate.js';
import { checkTyped, type TypedFailureKind } from './properties.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const count = Number(option('count') ?? 1_000);
const firstSeed = Number(option('seed') ?? 1);
const timeLimitMs = Number(option('time-limit') ?? 1_000);
const train = !args.includes('--no-train');
const summaryFile = option('summary');
const stopAt = option('stop-at') === undefined ? Infinity : Date.parse(option('stop-at')!);
if (Number.isNaN(stopAt)) throw new Error(`--stop-at takes a time such as 2026-12-07T00:40Z, not ${option('stop-at')}`);
const findings = resolve(option('findings') ?? join(repositoryRoot, '.tmp', 'fuzz-typed'));
for (const [name, value] of [['count', count], ['seed', firstSeed], ['time-limit', timeLimitMs]] as const) {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} takes a whole number, not ${option(name)}`);
}

if (train) await useCpuBackend();
// Loads the formatter and warms the compiler, so that the first input is not timed with them.
await checkTyped(typedInput(0).text, { timeLimitMs: 60_000 });

const failures: Record<TypedFailureKind, number> = { exception: 0, 'over-time': 0, schema: 0, range: 0, format: 0, train: 0 };
const lines: string[] = [];
let clean = 0;
let trained = 0;
let skipped = 0;
let slowest = { cpuMs: 0, ms: 0, seed: 0 };
const started = performance.now();
const report = (line: string): void => {
  console.log(line);
  lines.push(line);
};
const summary = (done: number): string =>
  [
    `inputs: ${done} (seeds ${firstSeed}..${firstSeed + done - 1}), CPU time limit ${timeLimitMs} ms per input`,
    `checked clean: ${clean}; IRs of clean files trained one step: ${trained}${train ? '' : ' (training off)'}; too large to step: ${skipped}`,
    `exceptions: ${failures.exception}; over the time limit: ${failures['over-time']}; schema failures: ${failures.schema}; ranges outside the file: ${failures.range}; formatter (idempotence, meaning): ${failures.format}; training-step throws: ${failures.train}`,
    `slowest input: seed ${slowest.seed}, ${slowest.cpuMs.toFixed(0)} ms CPU (${slowest.ms.toFixed(0)} ms wall); total ${((performance.now() - started) / 1000).toFixed(0)} s`,
  ].join('\n');

let done = 0;
for (let seed = firstSeed; seed < firstSeed + count && Date.now() < stopAt; seed++) {
  const input = typedInput(seed);
  const options = { timeLimitMs, ...(train ? { train: trainOneStep } : {}) };
  const outcome = await checkTyped(input.text, options);
  if (outcome.clean) clean++;
  trained += outcome.trained;
  skipped += outcome.skipped;
  if (outcome.cpuMs > slowest.cpuMs) slowest = { cpuMs: outcome.cpuMs, ms: outcome.ms, seed };
  if (outcome.failure) {
    const { kind, message } = outcome.failure;
    failures[kind]++;
    report(`seed ${seed} (${input.origin}): ${kind}: ${message.split('\n')[0]}`);
    // Over-time inputs are kept whole: minimising would re-run them hundreds of times.
    const small = kind === 'over-time' ? input.text : await minimize(input.text, async (candidate) => (await checkTyped(candidate, options)).failure?.kind === kind);
    mkdirSync(findings, { recursive: true });
    const file = join(findings, `${kind}-${seed}.ae`);
    writeFileSync(file, `// typed fuzz seed ${seed} (${input.origin}): ${kind}: ${message.split('\n')[0]!.slice(0, 200)}\n${small}`);
    report(`  minimised to ${small.length} characters: ${file}`);
  }
  done = seed - firstSeed + 1;
  if (done % 1_000 === 0) {
    console.log(`${done} inputs, ${clean} clean, ${trained} IRs trained, failures ${JSON.stringify(failures)}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    if (summaryFile) writeFileSync(summaryFile, `${summary(done)}\n(running)\n${lines.join('\n')}\n`);
  }
}

const text = `${summary(done)}${done < count ? `\nstopped at ${new Date().toISOString()} (--stop-at), ${count - done} of the ${count} inputs not run` : ''}`;
console.log(text);
if (summaryFile) writeFileSync(summaryFile, `${text}\n${lines.join('\n')}\n`);
process.exitCode = Object.values(failures).some((n) => n > 0) ? 1 : 0;
