// The conventions a command-line user expects: help that lists every option with its meaning and
// default, --version, colour only for a terminal (never with NO_COLOR or --color never), `-` for
// standard input, --quiet, one-line errors with exit 2 for arguments that name the wrong thing, and
// run.json recording the command-line options.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_OPTIONS } from '../../cli/args.js';
import { commandInfo } from '../../cli/commands/info.js';
import type { CliIO } from '../../cli/io.js';
import { main } from '../../cli/main.js';

const ESC = '\u001b[';
const TINY = 'model tiny {\n  input x: [6] in [0, 1]\n  encoder { dense(4, act = tanh) }\n  latent z = dense(2)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)\n}\n';
const BROKEN = 'model m {\n  input x: [4]\n  encoder { dense(2, act = reluu) }\n}\n';

let cwd = '';

async function ae(argv: string[], io: Partial<CliIO> = {}) {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    isTTY: false,
    cwd,
    ...io,
  });
  return { code, ...out };
}

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'ae-conventions-'));
  writeFileSync(join(cwd, 'tiny.ae'), TINY);
  writeFileSync(join(cwd, 'broken.ae'), BROKEN);
  writeFileSync(join(cwd, 'notes.txt'), TINY);
  mkdirSync(join(cwd, 'fake-run'));
  writeFileSync(join(cwd, 'fake-run', 'model.ir.json'), '{}');
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('help', () => {
  it('ae --help lists every command and says how to get a command’s options', async () => {
    const { code, stdout } = await ae(['--help']);
    expect(code).toBe(0);
    for (const info of Object.values(commandInfo)) expect(stdout).toContain(`  ${info.name.padEnd(11)}  ${info.summary}\n`);
    expect(stdout).toContain("ae help <command>");
    expect(stdout).toContain('--version');
  });

  it.each(Object.keys(commandInfo).map((name) => [name, name]))('ae help %s and ae %s --help list every option with its meaning and default', async (name) => {
    const info = commandInfo[name as keyof typeof commandInfo];
    const help = await ae(['help', name]);
    expect(help.code).toBe(0);
    expect((await ae([name, '--help'])).stdout).toBe(help.stdout);
    expect((await ae([name, '-h', '--bogus'])).stdout).toBe(help.stdout);
    expect(help.stdout.startsWith(`usage: ${info.usage}\n`)).toBe(true);
    const lines = help.stdout.split('\n');
    for (const [option, spec] of Object.entries({ ...info.options, ...COMMON_OPTIONS })) {
      const flag = option.length === 1 ? `-${option}` : `--${option}`;
      const at = lines.findIndex((line) => new RegExp(`^ +(-\\w, )?${flag}\\b`).test(line));
      expect(at, `${name}: ${flag}`).toBeGreaterThan(-1);
      const text = `${lines[at]} ${lines[at + 1]}`; // a long signature puts its meaning on the next line
      expect(text).toContain(spec.description);
      if ('default' in spec) expect(text).toContain(`default: ${spec.default}`);
      if ('choices' in spec) expect(text).toContain(`(${spec.choices.join(', ')})`);
    }
  });

  it('ae help of an unknown command is misuse', async () => {
    const result = await ae(['help', 'trian']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("ae: unknown command 'trian'");
  });
});

it('--version and -V print the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'));
  expect(await ae(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  expect((await ae(['-V'])).stdout).toBe(`${version}\n`);
});

describe('colour', () => {
  const check = (io: Partial<CliIO>, ...flags: string[]) => ae(['check', 'broken.ae', ...flags], io);

  it('colours `ae check` only when its output (stdout) is a terminal', async () => {
    expect((await check({ stdoutIsTTY: true })).stdout).toContain(ESC);
    const toPipe = await check({ stdoutIsTTY: false, isTTY: true });
    expect(toPipe.code).toBe(1);
    expect(toPipe.stdout).toContain('broken.ae:1:7: error');
    expect(toPipe.stdout).not.toContain(ESC);
  });

  it('never colours with NO_COLOR or --color never; --color always colours a pipe', async () => {
    expect((await check({ stdoutIsTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await check({ stdoutIsTTY: true }, '--color', 'never')).stdout).not.toContain(ESC);
    expect((await check({ stdoutIsTTY: true, env: { NO_COLOR: '' } })).stdout).toContain(ESC); // empty: unset
    expect((await check({}, '--color=always')).stdout).toContain(ESC);
  });

  it('honours FORCE_COLOR as Node does: colour off a terminal and over NO_COLOR; 0 or false: none', async () => {
    for (const value of ['1', '2', '3', 'true', '']) expect((await check({ stdoutIsTTY: false, env: { FORCE_COLOR: value } })).stdout, value).toContain(ESC);
    expect((await check({ stdoutIsTTY: false, env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).toContain(ESC);
    for (const value of ['0', 'false']) expect((await check({ stdoutIsTTY: true, env: { FORCE_COLOR: value } })).stdout, value).not.toContain(ESC);
    expect((await check({ stdoutIsTTY: false, env: { FORCE_COLOR: '1' } }, '--color', 'never')).stdout).not.toContain(ESC);
  });

  it('colours diagnostics on stderr by stderr’s terminal', async () => {
    const toTerminal = await ae(['compile', 'broken.ae'], { isTTY: true, stdoutIsTTY: false });
    expect(toTerminal.code).toBe(1);
    expect(toTerminal.stderr).toContain(ESC);
    expect((await ae(['compile', 'broken.ae'], { isTTY: false, stdoutIsTTY: true })).stderr).not.toContain(ESC);
  });

  it('rejects an unknown --color value', async () => {
    const result = await check({}, '--color', 'sometimes');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--color' must be one of auto, always, never, got 'sometimes'");
  });
});

describe("'-' reads the spec from standard input", () => {
  const stdin = (text: string) => ({ readStdin: async () => text });

  it('checks, compiles and formats standard input', async () => {
    const checked = await ae(['check', '-'], stdin(BROKEN));
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/^<stdin>:1:7: error/m);
    const compiled = await ae(['compile', '-'], stdin(TINY));
    expect(compiled.code).toBe(0);
    expect(JSON.parse(compiled.stdout).model).toBe('tiny');
    const formatted = await ae(['fmt', '-'], stdin('model tiny {   input x: [6] }\n'));
    expect(formatted).toEqual({ code: 0, stdout: 'model tiny {\n  input x: [6]\n}\n', stderr: '' });
  });

  it('is misuse with --write, or when there is no standard input', async () => {
    expect((await ae(['fmt', '--write', '-'], stdin(TINY))).stderr).toContain("standard input ('-') is not one");
    const none = await ae(['compile', '-']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("'-' reads standard input, and there is none here");
  });
});

describe('arguments that name the wrong thing: one line, exit 2, no stack trace', () => {
  it.each([
    [['compile', 'tiny.ae', '-o', 'missing/dir/x.json'], "-o 'missing/dir/x.json': the directory 'missing/dir' does not exist"],
    [['compile', 'tiny.ae', '-o', 'tiny.txt'], "-o needs a .json file, got 'tiny.txt'"],
    [['compile', 'tiny.ae', '-o', 'fake-run'], "-o 'fake-run' is a directory; name a file in it"],
    [['compile', 'notes.txt'], "'notes.txt' is not a .ae file (its extension is '.txt')"],
    [['summary', 'fake-run'], "'fake-run' is a run directory, not a .ae file"],
    [['compile', '.'], "'.' is a directory, not a .ae file"],
    [['train', 'missing.ae'], "cannot read 'missing.ae': no such file"],
    [['eval', 'tiny.ae'], "'tiny.ae' is a file; RUN is a run directory written by `ae train`; train it first: ae train tiny.ae"],
    [['encode', '.', '-o', 'codes.npy'], "'.' is not a run directory (it has no model.ir.json; `ae train` writes one)"],
    [['reconstruct', 'no-such-run', '-o', 'grid.png'], "no run directory 'no-such-run'"],
    [['encode', 'fake-run', '-o', 'codes.txt'], "-o needs a .npy or .csv file, got 'codes.txt'"],
    [['reconstruct', 'fake-run', '-o', 'nowhere/grid.png'], "the directory 'nowhere' does not exist"],
    [['reconstruct', 'fake-run', '-o', 'grid.jpg'], "-o needs a .png or .npy file, got 'grid.jpg'"],
    [['sample', 'tiny.ae', '-o', 'samples.png'], "'tiny.ae' is a file; RUN is a run directory written by `ae train`; train it first: ae train tiny.ae"],
    [['sample', 'fake-run', '-o', 'samples.svg'], "-o needs a .png or .npy file, got 'samples.svg'"],
    [['interpolate', 'fake-run', '--from', '0', '--to', '1', '-o', 'nowhere/path.npy'], "the directory 'nowhere' does not exist"],
    [['score', 'no-such-run', '-o', 'scores.csv'], "no run directory 'no-such-run'"],
    [['score', 'fake-run', '-o', 'scores.txt'], "-o needs a .csv or .npy file, got 'scores.txt'"],
    [['score', 'fake-run', '--by', 'likelihood', '-o', 'scores.csv'], "option '--by' must be one of reconstruction, nelbo, got 'likelihood'"],
    [['search', 'fake-run', '--index', 'mnist', '--query', 'mnist', '-o', 'fake-run'], "-o 'fake-run' is a directory; name a file in it"],
    [['search', 'fake-run', '--metric', 'manhattan', '-o', 'n.csv'], "option '--metric' must be one of euclidean, cosine, hamming, got 'manhattan'"],
    [['plot', '.', '-o', 'curves.svg'], "'.' is not a run directory"],
    [['plot', 'fake-run', '-o', 'curves.png'], "-o needs a .svg file, got 'curves.png'"],
    [['eval', 'fake-run', '--corruption'], "option '--corruption' needs a value"],
    [['train', 'tiny.ae', '--resume', 'tiny.ae'], "'tiny.ae' is a file; RUN is a run directory"],
    [['train', 'tiny.ae', '--epochs'], "option '--epochs' needs a value"],
    [['train', 'tiny.ae', '--epochs', '-3'], "option '--epochs' needs a value (a value starting with '-' is written --epochs=VALUE)"],
    [['train', 'tiny.ae', '--epochs=2.5'], "option '--epochs' needs an integer ≥ 1, got '2.5'"],
    [['check', '--format=yaml', 'tiny.ae'], "option '--format' must be one of text, json, got 'yaml'"],
    [['fmt', '--write=yes', 'tiny.ae'], "option '--write' takes no value"],
  ])('ae %j', async (argv, message) => {
    const result = await ae(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(`Run 'ae help ${argv[0]}' for its options.`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
  });
});

describe('training from the command line', () => {
  it('--quiet drops the backend line and progress; run.json records the setup options as overrides', async () => {
    const loud = await ae(['train', 'tiny.ae', '--data', 'synthetic:samples=16', '--epochs', '1', '--backend', 'cpu', '-o', 'loud']);
    expect(loud.code).toBe(0);
    expect(loud.stderr).toMatch(/^backend: cpu /m);
    const quiet = await ae(['train', 'tiny.ae', '--data', 'synthetic:samples=16', '--epochs', '1', '--batch', '8', '--seed', '4', '--limit', '12', '--backend', 'cpu', '-o', 'quiet', '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/backend:|train 1\/1/);
    expect(quiet.stderr).toMatch(/^trained tiny: 2 steps/m);
    const summary = JSON.parse(readFileSync(join(cwd, 'quiet', 'run.json'), 'utf8'));
    // The setup flags are the run's overrides (--resume trains with them again); the backend is
    // recorded beside them, and --out is the run directory itself.
    expect(summary.overrides).toEqual({ data: 'synthetic:samples=16', epochs: 1, batch: 8, seed: 4, limit: 12 });
    expect(summary.backend).toBe('cpu');
    expect(summary.seed).toBe(4);
  });
});
