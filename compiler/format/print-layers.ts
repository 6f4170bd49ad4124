// Layers: one per line inside `{ }`, each a call with an optional `as name`; `repeat n { ... }` nests.
import type { Layer } from '../../grammar/ast.js';
import { printBracedBody, printItems } from './layout.js';
import type { PrinterTable } from './print-types.js';

export const layerPrinters: PrinterTable<Layer['kind']> = {
  LayerCall: (path, _options, print) => (path.node.alias ? [print('call'), ' as ', print('alias')] : print('call')),
  RepeatLayers: (path, options, print) => [
    'repeat ',
    print('count'),
    ' ',
    printBracedBody(path, options, printItems(path, print, 'layers', options)),
  ],
};
