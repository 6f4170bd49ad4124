// `aelang/compiler`: text → diagnostics and IR, and the formatter, without the runtime. Importing
// this loads no TensorFlow.js, so editors, linters and build tools can check and compile `.ae` files
// cheaply. The main entry (`aelang`) re-exports all of it next to the runtime.
export { parseSource } from './grammar/index.js';
export { analyzeSource, analyzeFile, type Analysis, type AnalyzeOptions } from './compiler/analyze.js';
export type { Diagnostic, Severity, SuggestedFix, RelatedLocation } from './diagnostics/diagnostic.js';
export { renderHuman, renderJson } from './diagnostics/render.js';
export { diagnosticCatalogue, type DiagnosticCode } from './diagnostics/codes/index.js';
export { serializeIR } from './compiler/emit-ir.js';
export { validateIR } from './ir/schema-validation.js';
export type * from './ir/types.js';
export { IR_VERSION } from './ir/types.js';
export { formatAe, FormatterUnavailableError, type FormatOptions } from './compiler/format/format.js';
