// Every `ae` command, in the order `ae --help` lists them (the pipeline's order).
import type { Command } from '../command.js';

export const commands: readonly Command[] = [];
