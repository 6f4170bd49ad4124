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

/** Commands that run a model: on ONNX Runtime (runtime/engines/onnx/), the CPU default where it
 *  loads, or on TensorFlow.js. */
const backendOptions = {
  backend: {
    type: 'string',
    value: 'NAME',
    choices: ['auto', 'tensorflow', 'webgpu', 'onnx', 'onnx-webgpu', 'wasm', 'cpu'],
    default: 'auto: the first that loads of tensorflow, webgpu, onnx (for a model it runs), wasm, cpu',
    description: "the engine: ONNX Runtime on the CPU (onnx) or on its experimental WebGPU provider (onnx-webgpu, only when asked), or a TensorFlow.js backend; onnx holds the weights in tfjs's wasm",
  },
  threads: {
    type: 'string',
    value: 'N',
    default: 'the AE_THREADS environment variable, else one for a model under a million multiply-adds per sample and every core above',
    description: 'threads of ONNX Runtime and of the wasm backend (wasm: at most 8)',
  },
  quiet: { type: 'boolean', short: 'q', description: 'do not print the backend line or training progress' },
} as const satisfies OptionSpecs;

const trainBackendOptions = {
  ...backendOptions,
  backend: { ...backendOptions.backend, default: 'auto: the first that loads of tensorflow, webgpu, onnx (for a model it trains), wasm, cpu' },
} as const satisfies OptionSpecs;

const dataOption = {
  data: {
    type: 'string',
    value: 'SRC',
    default: "the model's validation data, else its training data, else the --data it was trained with",
    description: 'the data set: mnist:test, idx:FILE, csv:FILE, npy:FILE, synthetic:samples=N (docs/data.md)',
  },
} as const satisfies OptionSpecs;

/** Outputs are not written through a symbolic link, nor out of the working directory through one. */
const forceOption = {
  force: { type: 'boolean', description: 'write even where -o is a symbolic link (replacing the link) or leads out of the working directory through one' },
} as const;

/** The memory a model may need to train (AE3014) before the compiler refuses it. */
const memoryOption = {
  'max-memory': {
    type: 'string',
    value: 'SIZE',
    default: '16G (train: the smaller of 16G and this machine\'s memory)',
    description: "refuse models that need more to train: 16G, 512M, 2e10 (bytes) or 'none'",
  },
} as const satisfies OptionSpecs;

const limitOption = {
  limit: { type: 'string', value: 'N', default: 'every sample', description: 'use only the first N samples' },
} as const satisfies OptionSpecs;

/** Denoising: the inputs corrupted before the model sees them. */
const corruptionOptions = {
  corrupt: { type: 'boolean', description: "corrupt the inputs with the model's own corruption (`corrupt x with ...`)" },
  corruption: {
    type: 'string',
    value: 'SPEC',
    description: 'corrupt the inputs with SPEC instead: gaussian:STD, mask:RATE or salt_pepper:RATE (rates in [0, 1])',
  },
  seed: { type: 'string', value: 'N', default: '0', description: 'the seed of the corruption' },
} as const satisfies OptionSpecs;

/** `-o` of the commands that decode: a picture, or the values. */
function imageOrArrayOut(what: string) {
  return { type: 'string', short: 'o', value: 'FILE', description: `FILE.png: ${what} as images; FILE.npy: as an array; required` } as const;
}

export const commandInfo = {
  check: {
    name: 'check',
    summary: 'parse and check .ae files, reporting every problem',
    usage: 'ae check FILE|DIR... [options]',
    arguments: [['FILE|DIR', "a .ae file ('-' reads standard input), or a directory: every .ae file below it"]],
    options: { ...formatOption, ...memoryOption },
  },
  fmt: {
    name: 'fmt',
    summary: 'format .ae files in the one canonical style',
    usage: 'ae fmt FILE|DIR... [options]',
    arguments: [['FILE|DIR', "a .ae file ('-' reads standard input), or with --write or --check a directory: every .ae file below it"]],
    options: {
      write: { type: 'boolean', short: 'w', default: 'print the formatted text', description: 'rewrite the files in place' },
      check: { type: 'boolean', description: 'list the files that are not formatted; exit 1 if any' },
      ...formatOption,
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
      'step-graph': { type: 'string', value: 'DIR', description: "also write each training stage's step graph (forward, loss, gradients) as an ONNX model into DIR" },
      ...forceOption,
      ...memoryOption,
    },
  },
  summary: {
    name: 'summary',
    summary: "show a model's layers, shapes and parameter counts",
    usage: 'ae summary FILE [options]',
    arguments: [SPEC_FILE],
    options: { ...modelOption, ...formatOption, ...memoryOption },
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
      stream: { type: 'string', value: 'WHEN', choices: ['auto', 'always', 'never'], default: 'auto: files above 1 GiB of float32 samples', description: 'read data files from disk batch by batch instead of into memory (docs/data.md)' },
      seed: { type: 'string', value: 'N', default: "the model's seed", description: "the seed of the weights and every phase's shuffling and noise" },
      out: { type: 'string', short: 'o', value: 'DIR', default: 'runs/<model>-<date>-<time>', description: 'the run directory to create' },
      resume: { type: 'string', value: 'DIR', description: 'continue the run in DIR from its last checkpoint (FILE may be left out)' },
      log: { type: 'string', value: 'KINDS', description: 'also log to tensorboard, csv and/or mlflow (a comma list): per-step and per-epoch scalars, hyperparameters, the reconstruction grid' },
      'log-dir': { type: 'string', value: 'DIR', default: 'the run directory\'s logs/', description: 'where --log writes: DIR/tensorboard/<run>/, DIR/csv/<run>/, DIR/mlruns/' },
      ...formatOption,
      ...memoryOption,
      ...trainBackendOptions,
    },
  },
  eval: {
    name: 'eval',
    summary: "evaluate a trained run: the objective's loss and the reconstruction mse",
    usage: 'ae eval RUN [options]',
    arguments: [RUN_DIR],
    options: { ...dataOption, ...limitOption, ...corruptionOptions, ...formatOption, ...backendOptions },
  },
  encode: {
    name: 'encode',
    summary: 'write the latent codes of a data set (.npy or .csv)',
    usage: 'ae encode RUN -o FILE.npy|FILE.csv [options]',
    arguments: [RUN_DIR],
    options: {
      out: { type: 'string', short: 'o', value: 'FILE', description: 'where to write the codes: FILE.npy (shape [samples, ...code]) or FILE.csv (one row per sample); required' },
      codes: { type: 'boolean', description: "write code indices instead of vectors: a vq latent's codebook index at each position, a onehot latent's cluster" },
      ...dataOption,
      ...limitOption,
      ...formatOption,
      ...backendOptions,
    },
  },
  reconstruct: {
    name: 'reconstruct',
    summary: 'draw samples above their reconstructions as a PNG grid, or write the reconstructions as .npy',
    usage: 'ae reconstruct RUN -o FILE.png|FILE.npy [options]',
    arguments: [RUN_DIR],
    options: {
      out: { type: 'string', short: 'o', value: 'FILE', description: 'FILE.png: a grid of originals above reconstructions; FILE.npy: the reconstructions as an array; required' },
      n: { type: 'string', short: 'n', value: 'N', default: '16 for a .png, every sample for a .npy', description: 'how many samples to reconstruct' },
      ...dataOption,
      ...corruptionOptions,
      ...formatOption,
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
      ...forceOption,
    },
  },
  import: {
    name: 'import',
    summary: 'make a run of weights trained outside aelang (train.py of a PyTorch export)',
    usage: 'ae import RESULT -o RUN [options]',
    arguments: [['RESULT', "train.py's result (trained.safetensors, in aelang's parameter ids), or the export directory holding it"]],
    options: {
      out: { type: 'string', short: 'o', value: 'RUN', description: 'the run directory to create (it must not exist, or be empty); required' },
      ir: { type: 'string', value: 'FILE', default: 'model.ir.json beside RESULT (ae export writes it)', description: "the model's IR" },
    },
  },
  serve: {
    name: 'serve',
    summary: 'serve a run over HTTP: JSON endpoints for encode, reconstruct, score and sample',
    usage: 'ae serve RUN [options]',
    arguments: [RUN_DIR],
    options: {
      port: { type: 'string', value: 'N', default: '8080 (0: any free port)', description: 'the TCP port to listen on' },
      host: { type: 'string', value: 'HOST', default: '127.0.0.1 (this machine only)', description: 'the address to listen on' },
      'max-body': { type: 'string', value: 'BYTES', default: '10485760 (10 MiB)', description: 'the largest request body accepted (larger: 413)' },
      'max-batch': { type: 'string', value: 'N', default: '1024', description: 'the most samples one request may send' },
      fit: { type: 'string', value: 'SRC', default: 'the data the run was trained on', description: "the data /score's anomaly threshold is fitted on, as ae score fits it" },
      contamination: { type: 'string', value: 'P', default: '0.1', description: 'the fraction of the fitting data the threshold flags' },
      threshold: { type: 'string', value: 'T', description: 'flag scores above T, instead of fitting a threshold' },
      ...backendOptions,
    },
  },
  sample: {
    name: 'sample',
    summary: "decode draws from a run's latent prior (gaussian, vq, binary, one-hot)",
    usage: 'ae sample RUN -o FILE.png|FILE.npy [options]',
    arguments: [RUN_DIR],
    options: {
      out: imageOrArrayOut('the samples'),
      n: { type: 'string', short: 'n', value: 'N', default: '16', description: 'how many samples to draw' },
      seed: { type: 'string', value: 'N', default: '0', description: 'the seed of the draws' },
      temperature: {
        type: 'string',
        value: 'T',
        default: '1',
        description: 'scale a gaussian prior to N(0, T²I); lower values give more typical samples',
      },
      ...formatOption,
      condition: { type: 'string', value: 'N', description: "a conditional model's class to generate (the label its decoder reads); required for one" },
      ...backendOptions,
    },
  },
  interpolate: {
    name: 'interpolate',
    summary: "decode the path between two inputs' codes (spherical for gaussian codes)",
    usage: 'ae interpolate RUN --from I --to J -o FILE.png|FILE.npy [options]',
    arguments: [RUN_DIR],
    options: {
      out: imageOrArrayOut('the decoded path (a PNG row between the two inputs)'),
      from: { type: 'string', value: 'I', description: 'the 0-based row of the data where the path starts; required' },
      to: { type: 'string', value: 'J', description: 'the 0-based row of the data where the path ends; required' },
      steps: { type: 'string', value: 'N', default: '8', description: 'how many points on the path, both ends included (at least 2)' },
      condition: { type: 'string', value: 'N', description: "a conditional model's class to decode the path as (the label its decoder reads); required for one" },
      ...dataOption,
      ...formatOption,
      ...backendOptions,
    },
  },
  score: {
    name: 'score',
    summary: 'anomaly scores per sample, a threshold fitted on the training data, ROC AUC with labels',
    usage: 'ae score RUN -o FILE.csv|FILE.npy [options]',
    arguments: [RUN_DIR],
    options: {
      out: {
        type: 'string',
        short: 'o',
        value: 'FILE',
        description: 'FILE.csv: index, score and is_anomaly per sample; FILE.npy: the scores; required',
      },
      ...dataOption,
      by: {
        type: 'string',
        value: 'SCORE',
        choices: ['reconstruction', 'nelbo'],
        default: 'reconstruction',
        description: 'the score: the reconstruction error, or the negative ELBO (gaussian latents)',
      },
      contamination: {
        type: 'string',
        value: 'P',
        default: '0.1',
        description: 'the fraction of the fitting data the fitted threshold flags as anomalies',
      },
      threshold: { type: 'string', value: 'T', description: 'flag scores above T, instead of fitting a threshold' },
      fit: { type: 'string', value: 'SRC', default: 'the data the run was trained on', description: 'fit the threshold on this data set' },
      labels: { type: 'string', value: 'FILE', description: 'ground truth, 0 (normal) or 1 (anomaly) per sample (.npy, or one per line), for ROC AUC and average precision' },
      normal: { type: 'string', value: 'CLASSES', description: 'ground truth from a labelled data set: these classes (like 0,1) are normal, the rest anomalies' },
      ...limitOption,
      ...formatOption,
      ...backendOptions,
    },
  },
  search: {
    name: 'search',
    summary: 'exact k nearest neighbours by code distance, precision@k with labels',
    usage: 'ae search RUN --index SRC --query SRC -o FILE.csv [options]',
    arguments: [RUN_DIR],
    options: {
      out: { type: 'string', short: 'o', value: 'FILE.csv', description: 'the neighbours: query, rank, index, distance (0-based); required' },
      index: { type: 'string', value: 'SRC', description: 'the data set searched (docs/data.md); required' },
      query: { type: 'string', value: 'SRC', description: 'the data set whose neighbours are found; required' },
      k: { type: 'string', short: 'k', value: 'K', default: '10', description: 'neighbours per query' },
      metric: {
        type: 'string',
        value: 'METRIC',
        choices: ['euclidean', 'cosine', 'hamming'],
        default: 'hamming for binary codes, else euclidean',
        description: 'the code distance',
      },
      limit: { type: 'string', value: 'N', default: 'every query', description: 'use only the first N queries' },
      ...formatOption,
      ...backendOptions,
    },
  },
  plot: {
    name: 'plot',
    summary: "draw a run's training curves, or a 2-D map of its codes (--latent), as SVG",
    usage: 'ae plot RUN [options]\n       ae plot RUN --latent [options]',
    arguments: [RUN_DIR],
    options: {
      out: { type: 'string', short: 'o', value: 'FILE.svg', default: 'curves.svg, or latent.svg with --latent, in RUN', description: 'where to write the plot' },
      latent: {
        type: 'boolean',
        description: 'map the codes instead: the code itself when 2-wide, else its first two principal components, coloured by label',
      },
      data: { ...dataOption.data, description: `with --latent: ${dataOption.data.description}` },
      limit: { type: 'string', value: 'N', default: '5000', description: 'with --latent: map only the first N samples' },
      ...formatOption,
      ...backendOptions,
    },
  },
  lsp: {
    name: 'lsp',
    summary: 'the language server for editors (diagnostics, hover, completion, ...)',
    usage: 'ae lsp --stdio',
    arguments: [],
    // The command reads its flags itself: clients add their own (`--clientProcessId=N`).
    options: {
      stdio: { type: 'boolean', description: 'speak LSP over standard input and output (the only transport; required)' },
    },
  },
  playground: {
    name: 'playground',
    summary: 'serve the playground (editor, diagnostics, training in the browser) on 127.0.0.1',
    usage: 'ae playground [--port N] [--dir DIR]',
    arguments: [],
    options: {
      port: { type: 'string', value: 'N', default: '8000', description: 'the port to listen on (0: any free port)' },
      dir: { type: 'string', value: 'DIR', default: "the package's dist/playground", description: 'the built playground to serve (npm run build:playground)' },
    },
  },
} as const satisfies Record<string, CommandInfo>;
