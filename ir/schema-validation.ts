// Validates an IR against ir/ir.schema.json, then as a graph (ir/graph.ts: references, unique ids,
// shapes). The compiler checks every IR it writes and the runtime every IR it is handed; a bad IR is
// rejected with the JSON path of its first error. An IR of an older version is upgraded first. (The training loop's validation set is another
// thing: runtime/train/validate.ts.)
// The schema check is a generated module (ir/schema-validator.ts writes it), not Ajv compiling the
// schema at start: that compile was ~1.8 s of every `ae train`.
import type { ValidateFunction } from 'ajv';
import { graphProblem } from './graph.js';
import validateSchema from './schema-validator.generated.js';
import type { IRModel } from './types.js';
import { upgradeIR } from './upgrade.js';

const validate = validateSchema as unknown as ValidateFunction;

export type IRValidation = { ok: true; ir: IRModel } | { ok: false; error: string };

/** `json` validated as the current IR; an older version is upgraded first (ir/upgrade.ts). */
export function validateIR(input: unknown): IRValidation {
  const json = upgradeIR(input);
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
