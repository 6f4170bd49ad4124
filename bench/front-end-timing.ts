// Shared by bench/parse.ts and bench/check.ts: times the front end on a generated file and on ten
// times that file, and `ae check` as a separate process. The machine may be shared, so every figure
// is a median over repeated, interleaved runs, with the process CPU time next to the wall time
// (when other work competes for the cores, wall time grows and CPU time much less).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeSource } from '../compiler/analyze.js';
import { parseSource } from '../grammar/index.js';

export interface Phase {
  label: string;
  run: (text: string) => void;
}

export interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Parse only: lexing, parsing, the tree and the syntax diagnostics. */
export const parsePhase: Phase = {
  label: 'parse only (parseSource)',
  run(text) {
    const syntax = parseSource(text).diagnostics.find((d) => d.severity === 'error');
    if (syntax) throw new Error(`bench input has a syntax error: ${syntax.message}`);
  },
};

/** What `ae check` does: parse, resolve, check every model, objective, lints, IR. */
export const checkPhase: Phase = {
  label: 'parse+check+IR (analyzeSource)',
  run(text) {
    const analysis = analyzeSource(text, 'bench.ae', { readFile: () => undefined, validateSchema: false });
    const error = analysis.diagnostics.find((d) => d.severity === 'error');
    if (error) throw new Error(`bench input has an error: ${error.code} ${error.message}`);
  },
};

/** As `ae compile` does: also validates every model's IR against the JSON Schema. */
export const checkWithSchemaPhase: Phase = {
  label: 'parse+check+IR+schema validation',
  run(text) {
    const analysis = analyzeSource(text, 'bench.ae', { readFile: () => undefined });
    const error = analysis.diagnostics.find((d) => d.severity === 'error');
    if (error) throw new Error(`bench input has an error: ${error.code} ${error.message}`);
  },
};

function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export function timeOnce(f: () => void): Timing {
  const cpu = cpuNow();
  const start = performance.now();
  f();
  return { wallMs: performance.now() - start, cpuMs: cpuNow() - cpu };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function medianTiming(timings: Timing[]): Timing {
  return { wallMs: median(timings.map((t) => t.wallMs)), cpuMs: median(timings.map((t) => t.cpuMs)) };
}

const lineCount = (text: string) => text.split('\n').length;
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(0)} ms`;

function describe(lines: number, t: Timing): string {
  return `${thousands(lines)} lines ${ms(t.wallMs)} (cpu ${ms(t.cpuMs)}) = ${thousands(lines / (t.wallMs / 1000))} lines/s`;
}

/**
 * Prints, for each phase: the first call in this process (cold: nothing compiled by the JIT yet),
 * then the warm medians at 1x and 10x and their ratio, which is 10 when cost grows linearly.
 */
export function benchPhases(generate: (units: number) => string, units: number, phases: Phase[], runs = { small: 7, large: 3 }): void {
  const small = generate(units);
  const large = generate(units * 10);
  const smallLines = lineCount(small);
  const largeLines = lineCount(large);
  console.log(`input: ${thousands(smallLines)} lines (${thousands(small.length)} chars); 10x input: ${thousands(largeLines)} lines`);
  const cold = timeOnce(() => phases[0]!.run(small));
  console.log(`cold, first call after import: ${phases[0]!.label} ${describe(smallLines, cold)}`);
  for (const phase of phases) {
    for (let i = 0; i < 3; i++) phase.run(small); // warm-up: JIT, lookahead caches, schema compilation
    const smallTimes: Timing[] = [];
    const largeTimes: Timing[] = [];
    // Interleaved, so a burst of load from elsewhere hits both sizes alike.
    for (let i = 0; i < Math.max(runs.small, runs.large); i++) {
      if (i < runs.small) smallTimes.push(timeOnce(() => phase.run(small)));
      if (i < runs.large) largeTimes.push(timeOnce(() => phase.run(large)));
    }
    const s = medianTiming(smallTimes);
    const l = medianTiming(largeTimes);
    console.log(`${phase.label}:`);
    console.log(`  1x:  ${describe(smallLines, s)}`);
    console.log(`  10x: ${describe(largeLines, l)}`);
    console.log(`  10x/1x time ratio: wall ${(l.wallMs / s.wallMs).toFixed(2)}, cpu ${(l.cpuMs / s.cpuMs).toFixed(2)} (linear: 10)`);
  }
}

/**
 * `ae check` as a user runs it (bin/ae.js, so the compiled dist/: `npm run build` first): on an empty
 * file, which is process start, and on the 1x file; the difference is the checking itself.
 */
export function benchProcess(small: string, runs = 3): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const bin = join(root, 'bin', 'ae.js');
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
    console.log('ae check as a process: skipped, dist/ is not built (npm run build)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ae-bench-'));
  try {
    writeFileSync(join(dir, 'empty.ae'), '');
    writeFileSync(join(dir, 'bench.ae'), small);
    const timeProcess = (file: string): number => {
      const start = performance.now();
      const result = spawnSync(process.execPath, [bin, 'check', file], { cwd: dir, encoding: 'utf8' });
      const elapsed = performance.now() - start;
      if (result.status !== 0) throw new Error(`ae check ${file} failed: ${result.stdout}${result.stderr}`);
      return elapsed;
    };
    const empty: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < runs; i++) {
      empty.push(timeProcess('empty.ae'));
      full.push(timeProcess('bench.ae'));
    }
    const start = median(empty);
    const whole = median(full);
    console.log(
      `ae check as a process (dist/): empty file ${ms(start)} (process start); ` +
        `${thousands(lineCount(small))}-line file ${ms(whole)}, ${ms(whole - start)} beyond process start`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
