// What `ae --help` and usage errors say about each command: plain data, so listing the commands
// loads none of them (TensorFlow.js and Prettier took most of `ae check`'s start-up). Each command
// module spreads its entry into its `Command`, so the words live here only.
export interface CommandInfo {
  name: string;
  /** One line for `ae --help`. */
  summary: string;
  /** The usage line(s) for `ae <name> --help` and usage errors. */
  usage: string;
}

const backend = '[--backend auto|tensorflow|webgpu|wasm|cpu]';

export const commandInfo = {
  check: {
    name: 'check',
    summary: 'parse and check .ae files, reporting every problem',
    usage: 'ae check FILE|DIR... [--format text|json]',
  },
  fmt: {
    name: 'fmt',
    summary: 'format .ae files in the one canonical style',
    usage: 'ae fmt [--write | --check] FILE|DIR...',
  },
  compile: {
    name: 'compile',
    summary: 'compile a model to its JSON graph IR',
    usage: 'ae compile FILE [--model NAME] [-o OUT]   (--model is required when FILE has several models)',
  },
  summary: {
    name: 'summary',
    summary: "show a model's layers, shapes and parameter counts",
    usage: 'ae summary FILE [--model NAME] [--format text|json]',
  },
  train: {
    name: 'train',
    summary: 'train a model into a run directory (weights, metrics, checkpoints)',
    usage: `ae train FILE [--model NAME] [--data SRC] [--epochs N] [--batch N] [--limit N] ${backend} [--seed N] [--out DIR] [--resume DIR]`,
  },
  eval: {
    name: 'eval',
    summary: "evaluate a trained run: the objective's loss and the reconstruction mse",
    usage: `ae eval RUN [--data SRC] [--limit N] [--corrupt | --corruption gaussian:STD|mask:RATE|salt_pepper:RATE] [--seed S] [--format text|json] ${backend}`,
  },
  encode: {
    name: 'encode',
    summary: 'write the latent codes of a data set (.npy or .csv)',
    usage: `ae encode RUN --data SRC -o FILE.npy|FILE.csv [--limit N] ${backend}`,
  },
  reconstruct: {
    name: 'reconstruct',
    summary: 'draw samples above their reconstructions as a PNG grid, or write the reconstructions as .npy',
    usage: `ae reconstruct RUN --data SRC [-n 16] [--corrupt | --corruption gaussian:STD|mask:RATE|salt_pepper:RATE] [--seed S] -o grid.png|recon.npy ${backend}`,
  },
  sample: {
    name: 'sample',
    summary: "decode draws from a run's latent prior (gaussian, vq, binary, one-hot)",
    usage: `ae sample RUN [-n 16] [--seed S] [--temperature T] -o FILE.png|FILE.npy ${backend}`,
  },
  interpolate: {
    name: 'interpolate',
    summary: "decode the path between two inputs' codes (spherical for gaussian codes)",
    usage: `ae interpolate RUN --data SRC --from i --to j [--steps 8] -o FILE.png|FILE.npy ${backend}`,
  },
  score: {
    name: 'score',
    summary: 'anomaly scores per sample, a threshold fitted on the training data, ROC AUC with labels',
    usage:
      `ae score RUN --data SRC [--by reconstruction|nelbo] [--contamination 0.1 | --threshold T] [--fit SRC] ` +
      `[--labels FILE | --normal CLASSES] [--limit N] -o FILE.csv|FILE.npy ${backend}`,
  },
  search: {
    name: 'search',
    summary: 'exact k nearest neighbours by code distance, precision@k with labels',
    usage: `ae search RUN --index SRC --query SRC [-k 10] [--metric euclidean|cosine|hamming] [--limit N] -o FILE.csv ${backend}`,
  },
  plot: {
    name: 'plot',
    summary: "draw a run's training curves, or a 2-D map of its codes (--latent), as SVG",
    usage: `ae plot RUN [-o curves.svg]\n       ae plot RUN --latent [--data SRC] [--limit 5000] [-o latent.svg] ${backend}`,
  },
} as const satisfies Record<string, CommandInfo>;
