// The emitter's self-check: every IR the compiler hands out matches the schema (ir/ir.schema.json) and
// is a sound graph. A mismatch is the compiler's bug, never the user's, so it throws.
import type { IRModel } from '../ir/types.js';
import { validateIR } from '../ir/schema-validation.js';

export function assertIRsMatchSchema(irs: readonly IRModel[]): void {
  for (const ir of irs) {
    // The object as built; if it fails, the JSON it serialises to (which drops undefined keys) decides.
    const direct = validateIR(ir);
    const valid = direct.ok ? direct : validateIR(JSON.parse(JSON.stringify(ir)));
    if (!valid.ok) throw new Error(`internal error: the IR of model \`${ir.model}\` does not match the schema: ${valid.error}`);
  }
}
