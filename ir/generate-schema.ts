// `npm run gen:schema`: rewrites ir/ir.schema.json from ir/ops.ts (see ir/schema.ts), and the
// validator compiled from it (see ir/schema-validator.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaText } from './schema.js';
import { VALIDATOR_FILE, validatorText } from './schema-validator.js';

const schema = schemaText();
for (const [file, text] of [['ir.schema.json', schema], [VALIDATOR_FILE, validatorText(schema)]] as const) {
  const path = join(import.meta.dirname, file);
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
