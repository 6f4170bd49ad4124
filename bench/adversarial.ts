// The cost of hostile input (issue 13): for each adversarial family of test/fuzz/families.ts, at the
// size the issue reported trouble at (1x) and ten times it (10x), the time `ae check`, `ae summary`
// and `ae fmt` take, run in this process through the CLI's own entry point on a file on disk. A
// family is linear when 10x costs about ten times 1x (less, where a limit stops the work early);
// every input under 1 MB must finish each command in under 2 s. Each figure is the median of
// `--reps` runs (default 3), wall time with the process CPU time beside it (the machine may be
// shared). Exits 1 when any input under 1 MB took over 2 s of CPU time.
//
// With `--megabyte`, each family that grows with its size is instead made about 1 MB long, and a
// command over 1 s of CPU time is flagged (issue 22: every 1 MB input checks and formats in 1 s).
// With `--fresh`, each run is a new `node bin/ae.js COMMAND FILE` process, as a user runs it (the
// built CLI: `npm run build` first): node's start-up, module loading and a cold JIT included, and
// a command over the limit in wall time is flagged too.
//
//   node --import tsx bench/adversarial.ts [--reps 3] [--family NAME] [--megabyte] [--fresh]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../cli/main.js';
import { families } from '../test/fuzz/families.js';

const ONE_MB = 1 << 20;
const commands = ['check', 'summary', 'fmt'] as const;

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const reps = Number(option('reps') ?? 3);
const megabyte = args.includes('--megabyte');
const LIMIT_MS = megabyte ? 1_000 : 2_000;
const only = option('family');
const fresh = args.includes('--fresh');
const cli = join(dirname(fileURLToPath(import.meta.url)), '../bin/ae.js');

const dir = mkdtempSync(join(tmpdir(), 'aelang-adversarial-'));
const silent = { stdout: () => {}, stderr: () => {}, isTTY: false, cwd: dir };

type Run = { wallMs: number; cpuMs: number; exit: number };

async function time(command: string, file: string): Promise<Run> {
  const runs: Run[] = [];
  for (let i = 0; i < reps; i++) {
    if (fresh) {
      runs.push(freshRun(command, file));
      continue;
    }
    const cpu = process.cpuUsage();
    const started = performance.now();
    const exit = await main([command, file], silent);
    const used = process.cpuUsage(cpu);
    runs.push({ wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000, exit });
  }
  runs.sort((a, b) => a.cpuMs - b.cpuMs);
  return runs[Math.floor(runs.length / 2)]!;
}

/** One `ae COMMAND FILE` in a new process. Its CPU time is written by the process itself as it
 *  exits (Node gives no child's resource usage), through a preloaded module that does only that. */
function freshRun(command: string, file: string): Run {
  const cpuFile = join(dir, 'cpu.txt');
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', reportCpuModule, cli, command, file], {
    cwd: dir,
    env: { ...process.env, AE_BENCH_CPU_FILE: cpuFile },
    stdio: 'ignore',
  });
  const wallMs = performance.now() - started;
  return { wallMs, cpuMs: Number(readFileSync(cpuFile, 'utf8')), exit: child.status ?? -1 };
}

const reportCpuModule = join(dir, 'report-cpu.mjs');
writeFileSync(
  reportCpuModule,
  `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const used = process.cpuUsage();
  writeFileSync(process.env.AE_BENCH_CPU_FILE, String((used.user + used.system) / 1000));
});
`,
);

let over = 0;
try {
  console.log(`median of ${reps}${fresh ? ', each a fresh `node bin/ae.js` process' : ''}; wall ms (cpu ms) [exit]\n`);
  console.log(['family', 'size', 'bytes', ...commands].map((h, i) => (i === 0 ? h.padEnd(34) : h.padStart(i < 3 ? 8 : 22))).join(''));
  for (const family of families) {
    if (only !== undefined && family.name !== only) continue;
    for (const scale of megabyte ? [ONE_MB / family.make(family.base).length] : [1, 10]) {
      // A family whose text does not grow with its size (a count in a `repeat`) has no 1 MB form.
      if (megabyte && family.make(family.base * 2).length < family.make(family.base).length * 1.5) continue;
      const n = Math.max(1, Math.floor(family.base * scale));
      const text = family.make(n);
      const file = `${family.name.replace(/\W+/g, '-')}-${megabyte ? '1MB' : `${scale}x`}.ae`;
      writeFileSync(join(dir, file), text);
      const cells: string[] = [];
      for (const command of commands) {
        const { wallMs, cpuMs, exit } = await time(command, file);
        const slow = cpuMs > LIMIT_MS || (fresh && wallMs > LIMIT_MS);
        if (text.length <= ONE_MB * 1.05 && slow) over++;
        cells.push(`${wallMs.toFixed(0)} (${cpuMs.toFixed(0)}) [${exit}]${slow ? '!' : ''}`.padStart(22));
      }
      console.log(`${family.name.padEnd(34)}${(megabyte ? `n=${n}` : `${scale}x`).padStart(8)}${String(text.length).padStart(8)}${cells.join('')}`);
    }
  }
  console.log(`\ninputs of at most 1 MB over ${LIMIT_MS} ms of CPU${fresh ? ' or wall time' : ''} in a command: ${over}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = over > 0 ? 1 : 0;
