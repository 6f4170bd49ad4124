// The compiler in the page: the editor's text analysed as `ae check` analyses a file (same codes,
// ranges and fixes), with an in-memory file set in place of the disk, and what the editor shows
// from it: diagnostics with their quick fixes, hover facts (shapes, parameter counts), and the
// `ae summary` table.
import { analyzeWithHost, type Analysis } from '../../compiler/analyze-source.js';
import { memoryHost } from '../../compiler/resolve/memory-host.js';
import { parameterCountsByNode } from '../../compiler/check/count.js';
import type { CheckedModel } from '../../compiler/check/model.js';
import { renderSummaryText } from '../../compiler/check/summary.js';
import { formatShape } from '../../compiler/shapes/dims.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { IRNode, IRSourceLocation } from '../../ir/types.js';
import { displayOp } from '../../ir/op-rules.js';
import { LineMap } from '../../grammar/index.js';

/** The name the editor's text has: diagnostics and the IR's source locations use it. */
export const PLAYGROUND_FILE = 'model.ae';

export function analyze(text: string): Analysis {
  // Without the emitter's schema self-check (compiler/analyze.ts), as in `ae check` and the language server.
  return analyzeWithHost(text, PLAYGROUND_FILE, memoryHost(new Map()));
}

/** The diagnostics of the editor's own text (an import's would name another file). */
export function ownDiagnostics(analysis: Analysis): Diagnostic[] {
  return analysis.diagnostics.filter((d) => d.file === undefined || d.file === PLAYGROUND_FILE);
}

export function summaryText(model: CheckedModel): string {
  return renderSummaryText(model);
}

const thousands = (n: number) => n.toLocaleString('en-US');

/** What the checker inferred at `offset`: each node built from the layer written there (op, stage,
 *  output shape, parameters), or the input, latent or output declared there; [] elsewhere. */
export function hoverFacts(analysis: Analysis, text: string, offset: number): string[] {
  const at = new LineMap(text).position(offset);
  const facts: string[] = [];
  for (const model of analysis.models) {
    if (offset < model.decl.range.start.offset || offset > model.decl.range.end.offset) continue;
    const hits = model.nodes.filter((n) => n.source && (n.source.file === undefined || n.source.file === PLAYGROUND_FILE) && within(n.source, at));
    if (hits.length > 0) {
      const narrowest = Math.min(...hits.map((n) => span(n.source!)));
      facts.push(...hits.filter((n) => span(n.source!) === narrowest).map((n) => nodeLine(model, n)));
    }
    for (const input of model.inputs) if (inside(input.decl.range, offset)) facts.push(`input ${input.ir.name} → ${formatShape(input.ir.shape)}`);
    if (model.latent && inside(model.latent.decl.range, offset)) facts.push(`latent ${model.latent.name} (${model.latent.kind}) → ${formatShape(model.latent.shape)}`);
    if (model.output && inside(model.output.decl.range, offset)) facts.push(`output ${model.output.name} → ${formatShape(model.output.shape)}`);
    if (inside(model.decl.name.range, offset)) facts.push(`model ${model.name}: ${thousands(model.parameterCount.total)} parameters (${thousands(model.parameterCount.trainable)} trainable)`);
  }
  return facts;
}

function nodeLine(model: CheckedModel, node: IRNode): string {
  const params = parameterCountsByNode(model.parameters).get(node.id) ?? 0;
  const op = displayOp(node);
  return `${op} (${node.stage}${node.name ? `, ${node.name}` : ''}) → ${formatShape(node.shape)}, ${thousands(params)} parameters`;
}

function inside(range: { start: { offset: number }; end: { offset: number } }, offset: number): boolean {
  return offset >= range.start.offset && offset <= range.end.offset;
}

function within(source: IRSourceLocation, at: { line: number; column: number }): boolean {
  const after = at.line > source.line || (at.line === source.line && at.column >= source.column);
  const before = at.line < source.endLine || (at.line === source.endLine && at.column <= source.endColumn);
  return after && before;
}

function span(source: IRSourceLocation): number {
  return (source.endLine - source.line) * 100_000 + (source.endColumn - source.column);
}
