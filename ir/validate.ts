// Validates an IR against ir/ir.schema.json, then as a graph (ir/graph.ts: references, unique ids,
// shapes). The compiler checks every IR it writes and the runtime every IR it is handed; a bad IR is
// rejected with the JSON path of its first error.
// Ajv is required on first use, not imported: loading it was a third of `ae check`'s start-up,
// and `ae check` never validates (analyze.ts's `validateSchema: false`).
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';
import schema from './ir.schema.json' with { type: 'json' };
import { graphProblem } from './graph.js';
import type { IRModel } from './types.js';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // Compiled once, on first use: compiling the schema costs far more than validating.
  if (compiled) return compiled;
  const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
  compiled = new Ajv({ allErrors: false, strict: true, strictTuples: false, discriminator: true }).compile(schema);
  return compiled;
}

export type IRValidation = { ok: true; ir: IRModel } | { ok: false; error: string };

export function validateIR(json: unknown): IRValidation {
  const validate = validator();
  if (validate(json)) {
    const problem = graphProblem(json as IRModel);
    return problem === undefined ? { ok: true, ir: json as IRModel } : { ok: false, error: problem };
  }
  const first = validate.errors?.[0];
  if (!first) return { ok: false, error: 'invalid IR' };
  const at = first.instancePath === '' ? '/' : first.instancePath;
  const params = Object.keys(first.params ?? {}).length ? ` ${JSON.stringify(first.params)}` : '';
  return { ok: false, error: `IR ${at} ${first.message ?? 'is invalid'}${params} (schema ${first.schemaPath})` };
}
