export { encodePng, crc32, type PngImage } from './png.js';
export { renderImageGrid, writeImageGrid, type GridOptions } from './grid.js';
