// The browser's Chevrotain: the bundler (scripts/browser-bundle.mjs) puts this module in place of
// chevrotain.ts, whose loading (createRequire, the file system) exists only in Node. The same
// names, from the package's own entry point, which a bundler resolves and packs into one file.
export { CstParser, EOF, Lexer, createToken, generateCstDts, tokenMatcher } from 'chevrotain';
