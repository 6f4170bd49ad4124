// The Prettier plugin for `.ae` files: `prettier --plugin aelang/prettier model.ae`.
// One canonical style, so there are no style options; the defaults below (100 columns, 2 spaces)
// are the style `ae fmt` prints.
import type { Plugin, SupportLanguage } from 'prettier';
import type { AstNode } from '../../grammar/ast.js';
import { aelangParser, astFormat } from './parse.js';
import { aelangPrinter } from './printer.js';

export const languages: SupportLanguage[] = [
  {
    name: 'aelang',
    parsers: ['aelang'],
    extensions: ['.ae'],
    // The VS Code extension's language id (editor/vscode/package.json), so Prettier's VS Code
    // extension formats .ae files with this plugin.
    vscodeLanguageIds: ['ae'],
  },
];

export const parsers = { aelang: aelangParser };

export const printers = { [astFormat]: aelangPrinter };

export const options = {};

export const defaultOptions = { printWidth: 100, tabWidth: 2, useTabs: false };

const plugin: Plugin<AstNode> = { languages, parsers, printers, options, defaultOptions };

export default plugin;
