// The onnx engine: trains each stage on ONNX Runtime (stage-engine.ts) where every op and term of
// the model has a lowering (onnx/lowering/); `unsupported` says what is missing otherwise, and
// the caller trains on tfjs.
import type { IRModel } from '../../../ir/types.js';
import { stagesOf } from '../../../ir/plan.js';
import { termNames } from '../../objective/objective.js';
import type { InferenceDelegate, Program } from '../../program/program.js';
import type { StageEngineFactory } from '../../train/engine.js';
import { unsupportedOps } from '../../../onnx/lowering/lower.js';
import { unsupportedTerms } from '../../../onnx/lowering/terms.js';
import { stageSpec, type StageGraphBuilder } from '../../../onnx/stage-graph.js';
import { OnnxInference } from './inference.js';
import { OnnxStageEngine } from './stage-engine.js';
import type { OnnxRuntime } from './runtime.js';

export { loadOnnxRuntime, type OnnxProvider, type OnnxRuntime } from './runtime.js';

/** Why the onnx engine cannot train `ir` (the ops and terms it has no lowering for), or null. */
export function unsupported(ir: IRModel): string | null {
  const plan = stagesOf(ir);
  const objectives = plan.ok ? plan.stages.map((s) => s.objective) : [ir.objective];
  const ops = unsupportedOps(ir.nodes);
  const terms = [...new Set(objectives.flatMap((o) => unsupportedTerms(o)))];
  const missing = [...ops.map((op) => `the op '${op}'`), ...terms.map((t) => `the loss term '${t}'`)];
  return missing.length === 0 ? null : `it does not train ${missing.join(', ')} yet`;
}

/** Why the onnx engine cannot run `ir`'s inference passes (the tasks, validation), or null. */
export function unsupportedInference(ir: IRModel): string | null {
  const ops = unsupportedOps(ir.nodes);
  return ops.length === 0 ? null : `it does not run ${ops.map((op) => `the op '${op}'`).join(', ')} yet`;
}

/** Hands `program`'s inference passes to ONNX Runtime on `threads` threads; validation's objective
 *  graphs come from `build`, the compiler's (compiler/step/). */
export function onnxInference(runtime: OnnxRuntime, threads: number, build: StageGraphBuilder): (program: Program) => InferenceDelegate {
  return (program) => new OnnxInference(runtime, program, threads, build);
}

/** A stage engine per stage, on `threads` threads, running the training-step graph `build` (the
 *  compiler's, compiler/step/) derives from the stage's written plan. */
export function onnxEngine(runtime: OnnxRuntime, threads: number, build: StageGraphBuilder): StageEngineFactory {
  return async (stage, program) => {
    const spec = {
      program,
      objective: stage.objective,
      trainable: stage.trainable,
      optimizer: stage.update.optimizer,
      decayed: stage.update.decayed,
      noise: stage.noise,
      codebooks: stage.codebooks,
      ...(stage.greedy ? { nodes: stage.greedy.nodes, prefix: stage.greedy.prefix, rename: stage.greedy.rename } : {}),
    };
    const engine = await OnnxStageEngine.create(runtime, spec, build(stageSpec(program.ir, stage)), threads);
    const names = termNames(stage.objective, program.ir);
    return {
      optimizer: engine.optimizer(),
      async step(dataset, order, start, size, rng, objective) {
        const result = await engine.step(dataset, order, start, size, rng, objective.map((t) => t.weight));
        const terms = Object.fromEntries(names.map((name, i) => [name, result.terms[i]!]));
        if (result.nonFinite === undefined) return { loss: result.loss, terms };
        const term = result.nonFinite >= 0 ? names[result.nonFinite]! : 'total';
        return { loss: result.loss, terms, nonFinite: { term, value: result.nonFinite >= 0 ? result.terms[result.nonFinite]! : result.loss } };
      },
      sync: () => engine.sync(),
      dispose: () => engine.dispose(),
    };
  };
}
