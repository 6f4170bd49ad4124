// The vq codebooks' upkeep on the onnx engine, the tfjs lowering's (runtime/program/ops/
// vq-codebook.ts) step for step: the same state (keyed by the program's codebook variable, so it
// lives on across stages and engines and goes into checkpoints), the same seeds (drawn in node
// order by noise.ts where the tfjs lowering draws them) and the same array functions. The step
// graph gives each vq node's codes and the vectors it quantised; the engine's codebook array (the
// one its parameter feed reads) is changed in place.
import type { IRCodebookUpkeep } from '../../../ir/types.js';
import type { Program } from '../../program/program.js';
import { codebookState, countUses, moveDeadCodes, seedCodebook, type CodebookState, type Upkeep } from '../../program/ops/vq-codebook.js';
import type { StageGraph } from '../../../onnx/stage-graph.js';

interface Codebook {
  node: string;
  parameter: string;
  dim: number;
  /** The engine's array of the codebook (what the step graph is fed). */
  values: Float32Array;
  state: CodebookState;
  /** The stage plan's upkeep of it. */
  upkeep: Upkeep;
}

export class CodebookUpkeep {
  private readonly books: Codebook[];

  constructor(graph: StageGraph, upkeep: readonly IRCodebookUpkeep[], program: Program, arrays: (parameter: string) => Float32Array) {
    this.books = graph.codebooks.map(({ node, parameter, dim }) => ({
      upkeep: upkeep.find((u) => u.node === node) ?? missing(node),
      node,
      parameter,
      dim,
      values: arrays(parameter),
      state: codebookState(program.variables.get(parameter)!, program.variables.get(parameter)!.shape[0]!),
    }));
  }

  /** The codebooks' parameter ids (the engine writes them back to the program: they move). */
  get parameters(): string[] {
    return [...new Set(this.books.map((b) => b.parameter))];
  }

  /**
   * On a codebook's first batch: seeds it from the encoder's outputs of `out` (a run of the step
   * graph) where it is still at its initial values, and runs the step again with it (`rerun`), as
   * the tfjs lowering seeds it before quantising; in node order, as a later quantiser may read an
   * earlier one's codes. Returns the run whose values the step uses.
   */
  async seed(out: Map<string, Float32Array>, seeds: Map<string, [number, number]>, rerun: () => Promise<Map<string, Float32Array>>): Promise<Map<string, Float32Array>> {
    for (const book of this.books) {
      if (book.state.initialised) continue;
      if (seedCodebook(book.state, book.values, out.get(`encoded:${book.node}`)!, book.dim, seeds.get(book.node)![0], book.upkeep)) out = await rerun();
    }
    return out;
  }

  /** After the step's run: counts the codes chosen, and every `restartEvery` steps moves the dead ones. */
  restart(out: Map<string, Float32Array>, seeds: Map<string, [number, number]>): void {
    for (const book of this.books) {
      const seed = seeds.get(book.node)![1];
      const dead = countUses(book.state, out.get(`codes:${book.node}`)!, seed, book.upkeep);
      if (dead && dead.length > 0) moveDeadCodes(book.values, out.get(`encoded:${book.node}`)!, dead, book.dim, seed);
    }
  }
}

function missing(node: string): never {
  throw new Error(`the stage's plan keeps no codebook upkeep for the quantising node '${node}'`);
}
