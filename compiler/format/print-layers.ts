// Layers: one per line inside `{ }`, each a call with an optional `as name`; `repeat n { ... }` nests.
import type { Layer } from '../../grammar/ast.js';
import { printBody } from './layout.js';
import type { PrinterTable } from './print-types.js';

export const layerPrinters: PrinterTable<Layer['kind']> = {
  LayerCall: (path, _options, print) => (path.node.alias ? [print('call'), ' as ', print('alias')] : print('call')),
  RepeatLayers: (path, options, print) => [
    'repeat ',
    print('count'),
    ' ',
    printBody(path, options, print, 'layers'),
  ],
};
