// A CSV file as a Dataset, in one streaming pass: each row's values go through the scaling rule's
// scan (as doubles, exactly as parsed) and into a Float32Spool, which keeps them in memory up to the
// streaming threshold and in an unlinked spill file beyond it. Rounding to float32 before scaling
// changes nothing: the values rule keeps float32(value), and the pixel rule applies only to
// integers 0..255, which float32 holds exactly. So both ways give the same numbers.
import type { IRInput } from '../../ir/types.js';
import { Float32Spool, Float64List } from './buffers.js';
import { readCsvRows, type CsvOptions } from './csv.js';
import { convertValues, resolveSampleShape, toLabels, ValueScan, type Dataset } from './dataset.js';
import { FileSamples, NATIVE_FLOAT32 } from './file-samples.js';

export async function loadCsvDataset(
  path: string,
  file: string,
  csv: CsvOptions,
  input: IRInput,
  options: { labelsInput?: IRInput | undefined; streamAbove: number },
): Promise<Dataset> {
  const spool = new Float32Spool(options.streamAbove);
  const labels = new Float64List();
  let scan: ValueScan | undefined;
  let sampleShape: number[] = [];
  try {
    const summary = await readCsvRows(path, file, csv, (features, label, line) => {
      if (scan === undefined) {
        sampleShape = resolveSampleShape(input, { file, sampleShape: [features.length] }, `line ${line}`);
        scan = new ValueScan(file, features.length, input.range);
      }
      scan.add(features, features.length);
      spool.append(features);
      if (!Number.isNaN(label)) labels.push(label);
    });
    const scaling = scan!.scaling(input.name);
    const { count } = summary;
    const spooled = spool.finish();
    let dataset: Dataset;
    if (spooled.kind === 'memory') {
      convertValues(spooled.values, spooled.values.length, spooled.values, 0, scaling);
      dataset = { name: file, count, sampleShape, x: spooled.values };
    } else {
      const layout = { dataStart: 0, sampleSize: summary.columns, element: NATIVE_FLOAT32 };
      dataset = { name: file, count, sampleShape, stream: new FileSamples(spooled.fd, file, layout, count, scaling) };
    }
    if (summary.hasLabels) {
      const raw = { file: `${file} column '${csv.label}'`, total: count, values: labels.toArray() };
      try {
        dataset.labels = toLabels(raw, count, file, count, options.labelsInput);
      } catch (error) {
        dataset.stream?.close();
        throw error;
      }
    }
    return dataset;
  } catch (error) {
    spool.discard();
    throw error;
  }
}
