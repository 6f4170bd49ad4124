// The driver the CLI, the language server and the playground call: text in; AST, every diagnostic,
// the checked models and their IR out. Phases gate each other: parse → resolve (imports, constants,
// blocks) → check each model (a model's errors never stop the next one) → objective, phases and
// lints → IR, emitted only for models without errors. Checking each IR against the schema (the
// emitter's self-check, self-check.ts) is analyze.ts's: `ae check`, `ae summary`, an editor and the
// playground never load the schema's validator (1 MB of generated code, ~50 ms of a process start).
// Files are reached only through a `SourceHost`, so this module imports nothing from Node: the
// disk host is in disk-host.ts, an in-memory file set (the browser's) in resolve/memory-host.ts.
import type { ModelDeclaration, SourceFile, SourceRange, TrainMember } from '../grammar/ast.js';
import { checkModel } from './check/checkModel.js';
import { LayerBudget } from './check/expand.js';
import { checkMemory, DEFAULT_MEMORY_LIMIT } from './check/memory.js';
import type { CheckedModel } from './check/model.js';
import { DEFAULT_MAX_ERRORS, Reporter } from '../diagnostics/reporter.js';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { emitIR } from './emit-ir.js';
import type { IRModel, IRSourceLocation } from '../ir/types.js';
import { planTraining, planVerdict, writtenPlan } from '../ir/plan.js';
import { runLints } from './lints/index.js';
import { lowerTraining } from './objective/index.js';
import { ConstantEvaluator } from './resolve/evaluate.js';
import { ProgramBuilder } from './resolve/program.js';
import type { ScopedLet } from './resolve/scope.js';
import type { ImportRead } from './resolve/import-read.js';
import { parseSource } from '../grammar/index.js';

/** Where the files of a program come from. Paths are as the compiler builds them: the analysed
 *  file's name, and imports joined to their importer's directory (`/`-separated, normalised). */
export interface SourceHost {
  /** The text of a file, undefined when absent, or why it may not be read. */
  readFile(file: string): ImportRead;
  /** Whether a file may be imported (it lies inside the project root). */
  insideRoot(file: string): boolean;
  /** The project root, as shown in messages. */
  root: string;
  /** A file's name as written into the IR's source locations (the same on every machine). */
  irPath(file: string): string;
}

export interface CheckOptions {
  maxErrors?: number;
  /** Only check this model (others are still parsed and resolved). */
  model?: string;
  /** Bytes a model may need to train (compiler/check/memory.ts) before it is refused with AE3014;
   *  default 16 GB. Infinity turns the check off. */
  memoryLimit?: number;
  /** What the caller reads besides the diagnostics: `models` and `irs` (the default), only
   *  `models` (`ae summary`), or neither (`ae check`). Each model is still checked, emitted and
   *  planned for its diagnostics; what is not kept is garbage as soon as the next model starts, which
   *  the garbage collector frees for almost nothing, where keeping 6,557 models of a 1 MB file had
   *  it copy them all between its generations. */
  keep?: 'irs' | 'models' | 'diagnostics';
  /** Called with each model as soon as it is checked, whatever `keep` says: `ae summary` renders
   *  each one's table then and keeps only the text (with `keep: 'diagnostics'`), where keeping every
   *  model of a megabyte to render them at the end had the collector copy them all. */
  eachModel?: (model: CheckedModel) => void;
}

export interface Analysis {
  ast: SourceFile;
  diagnostics: Diagnostic[];
  models: CheckedModel[];
  /** One IR per model that checked without errors, in source order. */
  irs: IRModel[];
  /** The text of every file read, keyed like `Diagnostic.file`: the file itself and each import
   *  that could be read, so a renderer can show the line of a diagnostic inside an import. */
  sources: Map<string, string>;
}

export function analyzeWithHost(text: string, file: string, source: SourceHost, options: CheckOptions = {}): Analysis {
  const sources = new Map<string, string>([[file, text]]);
  const readFile = (f: string): ImportRead => {
    const imported = source.readFile(f);
    if (typeof imported === 'string') sources.set(f, imported);
    return imported;
  };
  const host = { readFile, insideRoot: (f: string) => source.insideRoot(f), root: source.root, parse: parseSource };
  const parsed = parseSource(text);
  const reporter = new Reporter(options.maxErrors ?? DEFAULT_MAX_ERRORS);
  const evaluator = new ConstantEvaluator(reporter);
  const builder = new ProgramBuilder(host, reporter);
  const scope = builder.build(file, parsed.ast);
  // Every constant once, in its own file, so a broken `let` is reported even when unused.
  // (Loops, not flatMap: an array per declaration cost a fresh process 50 ms on 60,000 lets.)
  const lets: ScopedLet[] = [];
  for (const fileScope of builder.allScopes) {
    for (const decl of fileScope.ast.declarations) {
      if (decl.kind !== 'LetDeclaration' || decl.recovered) continue;
      const scoped = fileScope.lets.get(decl.name.name);
      if (scoped?.decl === decl) lets.push(scoped);
    }
  }
  evaluator.evaluateAll(lets);
  const resolveFailed = reporter.errors > 0;
  const syntaxErrors = parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => d.range);
  const irSource = source.irPath(file);
  // Each file's IR path once: the disk host's is a path.relative, and every node asks.
  const irPaths = new Map<string, string>([[file, irSource]]);
  const irPath = (where: string): string => {
    let path = irPaths.get(where);
    if (path === undefined) irPaths.set(where, (path = source.irPath(where)));
    return path;
  };
  const locate = (range: SourceRange, where: string): IRSourceLocation => ({
    file: irPath(where),
    line: range.start.line,
    column: range.start.column,
    endLine: range.end.line,
    endColumn: range.end.column,
  });

  const keepModels = options.keep !== 'diagnostics';
  const keepIRs = options.keep === undefined || options.keep === 'irs';
  const layerBudget = new LayerBudget();
  const models: CheckedModel[] = [];
  const irs: IRModel[] = [];
  const later: Diagnostic[] = [];
  for (const decl of scope.models) {
    if (options.model !== undefined && decl.name.name !== options.model) continue;
    // A model with a syntax error inside is not checked: its tree is a guess.
    if (decl.recovered || syntaxErrors.some((r) => contains(decl, r))) continue;
    if (reporter.full) break;
    const { model, errors, incomplete } = checkModel(decl, { scope }, { reporter, evaluator, locate, layerBudget });
    if (keepModels) models.push(model);
    options.eachModel?.(model);
    if (errors > 0 || incomplete) {
      // The loss and train settings still have their own mistakes reported (issue 22), those that
      // do not depend on the parts that failed: a cascade of "unknown tensor" would not help.
      later.push(...lowerTraining(model).diagnostics.filter((d) => independentOfModel.has(d.code)));
      continue;
    }
    const training = lowerTraining(model);
    later.push(...training.diagnostics);
    later.push(...runLints(model, { objective: training.objective, phases: training.phases }));
    const memory = checkMemory(model, training.phases, options.memoryLimit ?? DEFAULT_MEMORY_LIMIT, training.objective);
    later.push(...memory);
    if (hasErrors(training.diagnostics) || memory.length > 0 || resolveFailed || syntaxErrors.length > 0) continue;
    const emitted = emitIR(model, training, { source: irSource });
    if (!keepIRs) {
      const verdict = planVerdict(emitted);
      if (!verdict.ok) later.push(unplannable(model, verdict.phaseIndex, verdict.message));
      continue;
    }
    const plan = planTraining(emitted);
    if (!plan.ok) {
      later.push(unplannable(model, plan.phaseIndex, plan.message));
      continue;
    }
    // The plan goes into the IR: the runtime trains it as written.
    irs.push({ ...emitted, plan: writtenPlan(plan.stages) });
  }
  const diagnostics = [...parsed.diagnostics, ...reporter.diagnostics, ...later].map((d) => (d.file === undefined ? { ...d, file } : d));
  return { ast: parsed.ast, diagnostics: sortDiagnostics(diagnostics), models, irs, sources };
}

/** Codes of the loss and the train settings that a model's own errors cannot cause: unknown loss
 *  functions and options, unknown or repeated train settings, optimisers, data sources and options. */
// (Numbers, not code strings: this is a filter, not a place that reports them.)
const independentOfModel: ReadonlySet<string> = new Set([4001, 4003, 4016, 4101, 4102, 4103, 4104, 4105, 4106].map((n) => `AE${n}`));

/** AE4109 at the phase that cannot train (its `train` member, or the model's name for the default phase). */
function unplannable(model: CheckedModel, phaseIndex: number, message: string): Diagnostic {
  const trains = model.decl.members.filter((m): m is TrainMember => m.kind === 'TrainMember');
  const at = trains[phaseIndex];
  return diagnostic('AE4109', message, at ? (at.name ?? at).range : model.decl.name.range, {
    notes: ['unfreeze a stage this phase should train, or give greedy pretraining an encoder mirrored by the decoder'],
  });
}

function contains(decl: ModelDeclaration, range: SourceRange): boolean {
  return range.start.offset >= decl.range.start.offset && range.start.offset < decl.range.end.offset;
}
