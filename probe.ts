import { readFileSync } from 'node:fs';
import { mutateModel } from './test/architecture/model-mutants.js';
const [file, seed] = process.argv.slice(2);
const text = readFileSync(file!, 'utf8');
const m = mutateModel(text, Number(seed));
const a = text.split('\n'), b = m.split('\n');
for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) console.log(i + 1, JSON.stringify(a[i]), '=>', JSON.stringify(b[i]));
