// Model members, one per line: `input x: [28, 28, 1] in [0, 1]`, `corrupt x with a then b`,
// layer bodies, `decoder = mirror(encoder, tied = true)`, and train phases with one setting per line.
import type { AstPath, Doc, ParserOptions } from 'prettier';
import { builders } from './prettier-standalone.js';
import type { ModelMember, TrainMember } from '../../grammar/ast.js';
import { inSourceOrder, printBody, printBracedBody, printDelimitedList, printItems, type PrintedItem } from './layout.js';
import { printDanglingComments } from './print-comments.js';
import type { PrintChild, PrinterTable } from './print-types.js';

const { group, indent, line } = builders;

type MemberKind = ModelMember['kind'] | 'TensorType' | 'LabelType' | 'TableType' | 'TableColumn' | 'MirrorSpec' | 'TrainSetting';

export const memberPrinters: PrinterTable<MemberKind> = {
  InputMember: (path, _options, print) => ['input ', print('name'), ': ', print('type')],
  TensorType: (path, options, print) => {
    const dimensions = printDelimitedList('[', path.map(print, 'dimensions'), ']', printDanglingComments(path, options));
    if (!path.node.valueRange) return dimensions;
    const bounds = [print(['valueRange', 'low']), print(['valueRange', 'high'])];
    return group([dimensions, ' in ', printDelimitedList('[', bounds, ']')]);
  },
  LabelType: (path, _options, print) => ['label(', print('classes'), ')'],
  TableType: (path, _options, print) => printDelimitedList('table(', path.map(print, 'columns'), ')'),
  TableColumn: (path, _options, print) => (path.node.category ? [print('name'), ': ', print('category')] : print('name')),
  CorruptMember: (path, _options, print) => {
    const [first, ...rest] = path.map(print, 'chain');
    return group(['corrupt ', print('target'), ' with ', first ?? '', indent(rest.map((call) => [line, 'then ', call]))]);
  },
  EncoderMember: (path, options, print) => ['encoder ', printReads(path, print), printBody(path, options, print, 'layers')],
  DecoderMember: (path, options, print) =>
    path.node.mirror
      ? ['decoder ', printReads(path, print), '= ', print('mirror')]
      : ['decoder ', printReads(path, print), printBody(path, options, print, 'layers')],
  MirrorSpec: (path, _options, print) => ['mirror', printDelimitedList('(', [print('source'), ...path.map(print, 'args')], ')')],
  LatentMember: (path, _options, print) => ['latent ', print('name'), ' = ', print('value')],
  OutputMember: (path, _options, print) => ['output ', print('name'), ' = ', print('activation')],
  HeadMember: (path, options, print) => [
    'head ',
    print('name'),
    ' on ',
    print('on'),
    ' ',
    printBody(path, options, print, 'layers'),
  ],
  LossMember: (path, _options, print) => ['loss = ', print('value')],
  TrainSetting: (path, _options, print) => (path.node.shorthand ? print('value') : [print('name'), ' = ', print('value')]),
  TrainMember: (path, options, print) => [
    'train ',
    path.node.name ? [print('name'), ' '] : '',
    printBracedBody(path, options, trainItems(path, print, options)),
  ],
};

/** `on x, y ` of a conditional encoder or decoder (nothing without the clause). */
function printReads(path: AstPath<ModelMember>, print: PrintChild): Doc {
  const node = path.node as { reads?: unknown[] };
  if (!node.reads || node.reads.length === 0) return '';
  return ['on ', builders.join(', ', path.map(print, 'reads' as never)), ' '];
}

/** Settings and the phase-local loss live in two fields but print in the order the user wrote them. */
function trainItems(path: AstPath<TrainMember>, print: PrintChild, options: ParserOptions): PrintedItem[] {
  const items = printItems(path, print, 'settings', options);
  if (path.node.loss) items.push({ node: path.node.loss, doc: print('loss') as Doc });
  return inSourceOrder(items);
}
