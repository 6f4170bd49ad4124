// What the generative fuzzer asks of every input (issue 22): no exception escapes the checker, the
// compiler (IR emission and its schema), the renderer or the formatter; every diagnostic lies inside
// the file; the formatter is idempotent (format(format(t)) = format(t)) and keeps the meaning (the
// formatted text gets the same diagnostic codes, and a clean file the same IR, source locations
// aside); no input takes more than the time limit of CPU; every clean IR, written as JSON, passes
// the schema; and, where asked, every clean IR takes one training step on tiny random data.
import { analyzeSource, type Analysis } from '../../../compiler/analyze.js';
import { renderSummaryText } from '../../../compiler/check/summary.js';
import { formatAe } from '../../../compiler/format/format.js';
import { AeSyntaxError } from '../../../compiler/format/parse.js';
import { renderHuman } from '../../../diagnostics/render.js';
import { validateIR } from '../../../ir/schema-validation.js';
import type { IRModel } from '../../../ir/types.js';

export type TypedFailureKind = 'exception' | 'over-time' | 'schema' | 'range' | 'format' | 'train';

export interface TypedOutcome {
  failure?: { kind: TypedFailureKind; message: string };
  clean: boolean;
  /** IRs stepped, and IRs too large to step. */
  trained: number;
  skipped: number;
  /** CPU time of the checks (not the training step), which the limit applies to: on a shared
   *  machine wall time measures the neighbours as much as the compiler. */
  cpuMs: number;
  ms: number;
}

/** Steps every phase of an IR once; false when too large to try. Throws what the runtime throws. */
export type TrainOneStep = (ir: IRModel) => boolean;

const analyze = (text: string): Analysis => analyzeSource(text, 'fuzz.ae', { cwd: '/fuzz', readFile: () => undefined });
const codesOf = (analysis: Analysis): string => analysis.diagnostics.map((d) => d.code).join(' ');
const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** The IR without its source locations (they move when the formatter changes the layout). */
export function withoutLocations(ir: IRModel): string {
  return JSON.stringify(ir, (key, value: unknown) => (key === 'source' && typeof value === 'object' && value !== null && 'line' in value ? undefined : value));
}

export async function checkTyped(text: string, options: { timeLimitMs: number; train?: TrainOneStep }): Promise<TypedOutcome> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const outcome: TypedOutcome = { clean: false, trained: 0, skipped: 0, cpuMs: 0, ms: 0 };
  const stop = (): void => {
    const used = process.cpuUsage(cpu);
    outcome.ms = performance.now() - started;
    outcome.cpuMs = (used.user + used.system) / 1000;
  };
  const fail = (kind: TypedFailureKind, message: string): TypedOutcome => {
    outcome.failure ??= { kind, message };
    if (outcome.cpuMs === 0) stop();
    return outcome;
  };
  let analysis: Analysis;
  try {
    analysis = analyze(text);
    for (const d of analysis.diagnostics) {
      const { start, end } = d.range;
      if (d.file === 'fuzz.ae' && (start.offset < 0 || start.offset > end.offset || end.offset > text.length)) return fail('range', `${d.code} at ${start.offset}-${end.offset}, outside the file of ${text.length}`);
    }
    renderHuman(analysis.diagnostics, analysis.sources, { color: false });
    for (const model of analysis.models) renderSummaryText(model);
    outcome.clean = analysis.irs.length > 0 && !analysis.diagnostics.some((d) => d.severity === 'error');
    for (const ir of analysis.irs) {
      const valid = validateIR(JSON.parse(JSON.stringify(ir)));
      if (!valid.ok) return fail('schema', `${ir.model}: ${valid.error}`);
    }
  } catch (error) {
    const message = describe(error);
    return fail(/does not match the schema/.test(message) ? 'schema' : 'exception', message);
  }

  // The formatter, on every file that parses: idempotent, and the meaning kept.
  if (!analysis.diagnostics.some((d) => d.code.startsWith('AE1'))) {
    let once: string;
    try {
      once = await formatAe(text);
      const twice = await formatAe(once);
      if (twice !== once) return fail('format', `not idempotent: the second pass changes the text at offset ${firstDifference(once, twice)}`);
    } catch (error) {
      if (error instanceof AeSyntaxError) return fail('format', `the formatter rejects a file the parser accepts: ${error.message}`);
      return fail('exception', `format: ${describe(error)}`);
    }
    try {
      const formatted = analyze(once);
      if (codesOf(formatted) !== codesOf(analysis)) return fail('format', `the formatted text gets other diagnostics: [${codesOf(analysis)}] became [${codesOf(formatted)}]`);
      const before = analysis.irs.map(withoutLocations);
      const after = formatted.irs.map(withoutLocations);
      const changed = before.findIndex((ir, i) => ir !== after[i]);
      if (before.length !== after.length || changed >= 0) return fail('format', `the formatted text compiles to another IR (model ${analysis.irs[Math.max(0, changed)]?.model})`);
    } catch (error) {
      return fail('exception', `check of the formatted text: ${describe(error)}`);
    }
  }
  stop();
  if (outcome.cpuMs > options.timeLimitMs) return fail('over-time', `took ${outcome.cpuMs.toFixed(0)} ms of CPU, ${outcome.ms.toFixed(0)} ms wall (limit ${options.timeLimitMs} ms)`);

  if (options.train && outcome.clean) {
    for (const ir of analysis.irs) {
      try {
        if (options.train(ir)) outcome.trained++;
        else outcome.skipped++;
      } catch (error) {
        return fail('train', `${ir.model}: ${describe(error)}`);
      }
    }
  }
  return outcome;
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}
