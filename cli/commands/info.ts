// What `ae --help`, `ae help CMD` and usage errors say about each command, and the options each one
// parses: plain data, so listing the commands loads none of them (TensorFlow.js and Prettier took
// most of `ae check`'s start-up). Each command module spreads its entry into its `Command` and
// parses with `parseArgs(argv, commandInfo.<name>.options)`, so the words live here only.
import type { OptionSpecs } from '../args.js';

export interface CommandInfo {
  name: string;
  /** One line for `ae --help`. */
  summary: string;
  /** The usage line for `ae <name> --help` and usage errors: `ae train FILE [options]`. */
  usage: string;
  /** The positional arguments, each with its meaning. */
  arguments: readonly (readonly [name: string, meaning: string])[];
  options: OptionSpecs;
}

const SPEC_FILE = ['FILE', "a .ae file ('-' reads it from standard input)"] as const;
const RUN_DIR = ['RUN', 'a run directory written by `ae train`'] as const;

const formatOption = {
  format: { type: 'string', value: 'FORMAT', choices: ['text', 'json'], default: 'text', description: 'text for people, json for programs' },
} as const satisfies OptionSpecs;

const modelOption = {
  model: { type: 'string', value: 'NAME', default: 'the only model in FILE', description: 'the model to use when FILE defines several' },
} as const satisfies OptionSpecs;

/** Commands that run TensorFlow.js. */
const backendOptions = {
  backend: {
    type: 'string',
    value: 'NAME',
    choices: ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'],
    default: 'auto: the first that loads of tensorflow, webgpu, wasm, cpu',
    description: 'the TensorFlow.js backend',
  },
  quiet: { type: 'boolean', short: 'q', description: 'do not print the backend line or training progress' },
} as const satisfies OptionSpecs;

const dataOption = {
  data: {
    type: 'string',
    value: 'SRC',
    default: "the model's validation data, else its training data, else the --data it was trained with",
    description: 'the data set: mnist:test, idx:FILE, csv:FILE, npy:FILE, synthetic:samples=N (docs/data.md)',
  },
} as const satisfies OptionSpecs;

const limitOption = {
  limit: { type: 'string', value: 'N', default: 'every sample', description: 'use only the first N samples' },
} as const satisfies OptionSpecs;

export const commandInfo = {
  check: {
    name: 'check',
    summary: 'parse and check .ae files, reporting every problem',
    usage: 'ae check FILE|DIR... [options]',
    arguments: [['FILE|DIR', "a .ae file ('-' reads standard input), or a directory: every .ae file below it"]],
    options: { ...formatOption },
  },
  fmt: {
    name: 'fmt',
    summary: 'format .ae files in the one canonical style',
    usage: 'ae fmt FILE|DIR... [options]',
    arguments: [['FILE|DIR', "a .ae file ('-' reads standard input), or with --write or --check a directory: every .ae file below it"]],
    options: {
      write: { type: 'boolean', short: 'w', default: 'print the formatted text', description: 'rewrite the files in place' },
      check: { type: 'boolean', description: 'list the files that are not formatted; exit 1 if any' },
    },
  },
  compile: {
    name: 'compile',
    summary: 'compile a model to its JSON graph IR',
    usage: 'ae compile FILE [options]',
    arguments: [SPEC_FILE],
    options: {
      ...modelOption,
      out: { type: 'string', short: 'o', value: 'FILE.json', default: 'standard output', description: 'write the IR to this file' },
    },
  },
  summary: {
    name: 'summary',
    summary: "show a model's layers, shapes and parameter counts",
    usage: 'ae summary FILE [options]',
    arguments: [SPEC_FILE],
    options: { ...modelOption, ...formatOption },
  },
  train: {
    name: 'train',
    summary: 'train a model into a run directory (weights, metrics, checkpoints)',
    usage: 'ae train FILE [options]',
    arguments: [["FILE", "a .ae file ('-' reads standard input) or a .ir.json written by `ae compile`"]],
    options: {
      ...modelOption,
      data: { type: 'string', value: 'SRC', default: "each phase's own data", description: 'train every phase on this data set (docs/data.md)' },
      epochs: { type: 'string', value: 'N', default: "each phase's epochs", description: 'epochs per phase' },
      batch: { type: 'string', value: 'N', default: "each phase's batch", description: 'samples per step' },
      ...limitOption,
      seed: { type: 'string', value: 'N', default: "the model's seed", description: "the seed of the weights and every phase's shuffling and noise" },
      out: { type: 'string', short: 'o', value: 'DIR', default: 'runs/<model>-<date>-<time>', description: 'the run directory to create' },
      resume: { type: 'string', value: 'DIR', description: 'continue the run in DIR from its last checkpoint (FILE may be left out)' },
      ...backendOptions,
    },
  },
  eval: {
    name: 'eval',
    summary: "evaluate a trained run: the objective's loss and the reconstruction mse",
    usage: 'ae eval RUN [options]',
    arguments: [RUN_DIR],
    options: { ...dataOption, ...limitOption, ...formatOption, ...backendOptions },
  },
  encode: {
    name: 'encode',
    summary: 'write the latent codes of a data set (.npy or .csv)',
    usage: 'ae encode RUN -o FILE.npy|FILE.csv [options]',
    arguments: [RUN_DIR],
    options: {
      out: { type: 'string', short: 'o', value: 'FILE', description: 'where to write the codes: FILE.npy (shape [samples, ...code]) or FILE.csv (one row per sample); required' },
      ...dataOption,
      ...limitOption,
      ...backendOptions,
    },
  },
  reconstruct: {
    name: 'reconstruct',
    summary: 'draw samples above their reconstructions as a PNG grid',
    usage: 'ae reconstruct RUN -o FILE.png [options]',
    arguments: [RUN_DIR],
    options: {
      out: { type: 'string', short: 'o', value: 'FILE.png', description: 'where to write the grid; required' },
      n: { type: 'string', short: 'n', value: 'N', default: '16', description: 'how many samples to draw' },
      ...dataOption,
      ...backendOptions,
    },
  },
  export: {
    name: 'export',
    summary: 'export a trained run to ONNX, or to PyTorch code and weights',
    usage: 'ae export RUN --format onnx|pytorch -o OUT [options]',
    arguments: [RUN_DIR],
    options: {
      format: { type: 'string', value: 'FORMAT', choices: ['onnx', 'pytorch'], description: 'onnx: one FILE.onnx (opset 17); pytorch: DIR/model.py, DIR/train.py and DIR/weights.safetensors; required' },
      out: { type: 'string', short: 'o', value: 'OUT', description: 'FILE.onnx for onnx, a directory for pytorch (created if missing, files in it replaced); required' },
      part: {
        type: 'string',
        value: 'PART',
        choices: ['model', 'encoder', 'decoder'],
        default: 'model: input → reconstruction and code',
        description: 'export one half: encoder (input → code) or decoder (code → reconstruction); onnx only',
      },
    },
  },
} as const satisfies Record<string, CommandInfo>;
