// On the GPU machine: which backend `auto` takes, and why it skipped the better ones (one JSON line).
import { describeBackend, selectBackend } from '../../runtime/backends/index.js';

const lines: string[] = [];
try {
  const selection = await selectBackend('auto', { log: (line) => lines.push(line) });
  console.log(JSON.stringify({ selection, log: lines, description: await describeBackend() }));
} catch (error) {
  console.log(JSON.stringify({ error: (error as Error).message, log: lines }));
  process.exitCode = 1;
}
