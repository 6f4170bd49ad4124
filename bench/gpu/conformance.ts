// On the GPU machine (bench/gpu/run.sh): the model conformance suite of npm test
// (test/backends/models.ts) run on one backend without vitest, which the kit does not carry.
// Every model of specs/ and examples/, training and inference, against cpu; one line per model.
//
//   node bench/gpu/conformance.js --backend webgpu [--json out.json]
import { writeFileSync } from 'node:fs';
import { selectBackend, type BackendName } from '../../runtime/backends/index.js';
import { modelDisagreements, modelsUnderTest } from '../../test/backends/models.js';

const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const backend = (option('--backend') ?? 'webgpu') as BackendName;

await selectBackend(backend, { log: (line) => console.log(line) });
await selectBackend('cpu');
const results: { model: string; disagreements: string[]; seconds: number }[] = [];
for (const model of modelsUnderTest()) {
  const started = performance.now();
  let disagreements: string[];
  try {
    disagreements = await modelDisagreements(model, backend);
  } catch (error) {
    disagreements = [`threw: ${(error as Error).message.split('\n')[0]}`];
  }
  const seconds = (performance.now() - started) / 1000;
  results.push({ model: model.name, disagreements, seconds });
  console.log(`${disagreements.length === 0 ? 'ok  ' : 'FAIL'} ${model.name} (${seconds.toFixed(1)} s)`);
  for (const line of disagreements) console.log(`     ${line}`);
}
const failed = results.filter((r) => r.disagreements.length > 0).length;
console.log(`${results.length - failed} passed, ${failed} failed (${backend} against cpu)`);
const out = option('--json');
if (out) writeFileSync(out, `${JSON.stringify({ backend, results }, null, 2)}\n`);
process.exitCode = failed > 0 ? 1 : 0;
