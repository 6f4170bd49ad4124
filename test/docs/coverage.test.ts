// docs/language.md cannot fall behind the compiler: every layer, latent, corruption, loss
// built-in, optimizer, data source and train setting the compiler declares is documented, with
// its arguments, in a table row of the page.
import { describe, expect, it } from 'vitest';
import { lossTerms } from '../../compiler/objective/builtins.js';
import { optimizerNames } from '../../compiler/objective/phases/optimizers.js';
import { settingNames } from '../../compiler/objective/phases/settings.js';
import { dataSourceNames } from '../../compiler/objective/phases/sources.js';
import { activationNames } from '../../compiler/shapes/activations.js';
import { corruptionOps } from '../../compiler/shapes/corruptions.js';
import { latentSignatures } from '../../compiler/shapes/latents.js';
import { layerOps } from '../../compiler/shapes/layers.js';
import { keywordNames } from '../../grammar/tokens.js';
import { languageText } from './language-examples.js';

const tableRows = languageText.split('\n').filter((line) => line.startsWith('|'));

/** Rows that mention `name` as code: `` `name` `` or `` `name(...`` */
function rowsNaming(name: string): string[] {
  const quoted = new RegExp('`' + name + '[`(]');
  return tableRows.filter((row) => quoted.test(row));
}

function undocumented(entries: [string, readonly string[]][]): string[] {
  return entries.flatMap(([name, args]) => {
    const rows = rowsNaming(name);
    if (rows.length === 0) return [`${name}: no table row`];
    // One row must name the op and every argument.
    return rows.some((row) => args.every((arg) => new RegExp(`\\b${arg}\\b`).test(row))) ? [] : [`${name}(${args.join(', ')}): an argument is missing`];
  });
}

describe('docs/language.md covers the compiler', () => {
  it('documents every layer with its arguments', () => {
    const layers = Object.entries(layerOps).map(([name, op]) => [name, op.signature.args.map((a) => a.name)] as [string, string[]]);
    expect(undocumented(layers)).toEqual([]);
  });

  it('lists every activation', () => {
    expect(activationNames.filter((name) => rowsNaming(name).length === 0)).toEqual([]);
  });

  it('documents every latent with its arguments', () => {
    const latents = Object.entries(latentSignatures).map(([name, s]) => [name, s.args.map((a) => a.name)] as [string, string[]]);
    expect(undocumented(latents)).toEqual([]);
  });

  it('documents every corruption with its arguments', () => {
    const corruptions = Object.entries(corruptionOps).map(([name, op]) => [name, op.signature.args.map((a) => a.name)] as [string, string[]]);
    expect(undocumented(corruptions)).toEqual([]);
  });

  it('documents every loss built-in with its options', () => {
    const losses = Object.entries(lossTerms).map(([name, entry]) => [name, ['reduce', ...Object.keys(entry.options)]] as [string, string[]]);
    expect(undocumented(losses)).toEqual([]);
  });

  it('documents every train setting, optimizer and data source', () => {
    const missing = [...settingNames, 'loss', ...optimizerNames, ...dataSourceNames].filter(
      (name) => !new RegExp('`' + name + '[`( ]').test(languageText),
    );
    expect(missing).toEqual([]);
  });

  it('lists exactly the keywords of the lexer', () => {
    const listed = /\*\*Keywords\*\* \(\d+\): `([^`]+)`/.exec(languageText.replace(/\n\s*/g, ' '))?.[1]?.split(' ');
    expect(listed?.sort()).toEqual([...keywordNames].sort());
  });
});
