// Data sources for training and evaluation: every reader ends in a checked, scaled Dataset.
export { loadDataset, type LoadOptions } from './load.js';
export { parseDataArgument, DATA_ARGUMENT_FORMS } from './arguments.js';
export type { Dataset, InMemoryDataset, StreamedDataset } from './dataset.js';
export { readSamples, sampleRange, closeDataset, type SampleStream } from './samples.js';
export { STREAM_ABOVE_BYTES } from './streamed.js';
export { DataError } from './errors.js';
export { readIdx, parseIdx, encodeIdx, type IdxArray, type IdxDtype } from './idx.js';
export { readNpy, parseNpy, type NpyArray, type NpyDtype } from './npy.js';
export { readCsv, parseCsv, type CsvTable, type CsvOptions } from './csv.js';
export { mnistFiles, MNIST_COUNTS, type MnistSplit } from './mnist.js';
export { generateSynthetic, type SyntheticOptions } from './synthetic.js';
export { SERIES_FILE, recordedSeries, type ChannelStatistics, type RecordedSeries, type SeriesWindows } from './windows.js';
export { TABLE_ENCODING_FILE, type TableEncoding } from './table.js';
