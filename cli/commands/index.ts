// Every `ae` command, in the order `ae --help` lists them (the pipeline's order). Only the words
// (info.ts) load at start; a command's module, with what it imports (TensorFlow.js for training,
// Prettier for `fmt`), loads when that command runs.
import type { Command } from '../command.js';
import { commandInfo, type CommandInfo } from './info.js';

export interface CommandEntry extends CommandInfo {
  /** The command itself; imports its module on first use. */
  load(): Promise<Command>;
}

function lazy(info: CommandInfo, load: () => Promise<Command>): CommandEntry {
  return { ...info, load };
}

export const commands: readonly CommandEntry[] = [
  lazy(commandInfo.check, async () => (await import('./check.js')).checkCommand),
  lazy(commandInfo.fmt, async () => (await import('./fmt.js')).fmtCommand),
  lazy(commandInfo.compile, async () => (await import('./compile.js')).compileCommand),
  lazy(commandInfo.summary, async () => (await import('./summary.js')).summaryCommand),
  lazy(commandInfo.train, async () => (await import('./train.js')).trainCommand),
  lazy(commandInfo.eval, async () => (await import('./eval.js')).evalCommand),
  lazy(commandInfo.encode, async () => (await import('./encode.js')).encodeCommand),
  lazy(commandInfo.reconstruct, async () => (await import('./reconstruct.js')).reconstructCommand),
  lazy(commandInfo.sample, async () => (await import('./sample.js')).sampleCommand),
  lazy(commandInfo.interpolate, async () => (await import('./interpolate.js')).interpolateCommand),
  lazy(commandInfo.score, async () => (await import('./score.js')).scoreCommand),
  lazy(commandInfo.search, async () => (await import('./search.js')).searchCommand),
  lazy(commandInfo.plot, async () => (await import('./plot.js')).plotCommand),
  lazy(commandInfo.export, async () => (await import('./export.js')).exportCommand),
  lazy(commandInfo.import, async () => (await import('./import.js')).importCommand),
  lazy(commandInfo.serve, async () => (await import('./serve.js')).serveCommand),
  lazy(commandInfo.lsp, async () => (await import('./lsp.js')).lspCommand),
  lazy(commandInfo.playground, async () => (await import('./playground.js')).playgroundCommand),
];
