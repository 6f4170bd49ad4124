// Writers for task outputs (encodings, reconstructions); the matching readers live in runtime/data/.
export { writeNpy, encodeNpy } from './npy.js';
export { writeCsv, formatCsv } from './csv.js';
