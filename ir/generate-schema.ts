// `npm run gen:schema`: rewrites ir/ir.schema.json from ir/ops.ts (see ir/schema.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaText } from './schema.js';

const path = join(import.meta.dirname, 'ir.schema.json');
writeFileSync(path, schemaText());
console.log(`wrote ${path}`);
