// `npm run accept [KIND...]`: rewrites the goldens of every kind (or of the kinds named) from what
// the code produces now. Review the diff before committing it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { goldenKinds } from './goldens/kinds.js';
import { repositoryRoot } from './goldens/files.js';

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !goldenKinds.some((k) => k.name === name));
if (unknown.length > 0) {
  console.error(`unknown golden kind(s): ${unknown.join(', ')}; known: ${goldenKinds.map((k) => k.name).join(', ')}`);
  process.exit(2);
}
let changed = 0;
let total = 0;
for (const kind of goldenKinds) {
  if (wanted.length > 0 && !wanted.includes(kind.name)) continue;
  for (const golden of kind.cases()) {
    total++;
    const text = await golden.produce();
    let previous: string | undefined;
    try {
      previous = readFileSync(golden.goldenPath, 'utf8');
    } catch {
      previous = undefined;
    }
    if (previous === text) continue;
    mkdirSync(dirname(golden.goldenPath), { recursive: true });
    writeFileSync(golden.goldenPath, text);
    changed++;
    console.log(`${previous === undefined ? 'created' : 'updated'} ${relative(repositoryRoot, golden.goldenPath)}`);
  }
}
console.log(`${changed} of ${total} golden file(s) written`);
