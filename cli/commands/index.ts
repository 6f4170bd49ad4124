// Every `ae` command, in the order `ae --help` lists them (the pipeline's order).
import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { compileCommand } from './compile.js';
import { summaryCommand } from './summary.js';
import { fmtCommand } from './fmt.js';
import { trainCommand } from './train.js';
import { evalCommand } from './eval.js';
import { encodeCommand } from './encode.js';
import { reconstructCommand } from './reconstruct.js';

export const commands: readonly Command[] = [checkCommand, fmtCommand, compileCommand, summaryCommand, trainCommand, evalCommand, encodeCommand, reconstructCommand];
