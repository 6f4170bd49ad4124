// TensorBoard event files: TFRecords (tfrecord.ts) of Event protos (tensorflow/core/util/event.proto):
// first the file version, then per step and per epoch Summary values (simple_value scalars), the
// hyperparameters as a text summary (the text plugin's tensor of one string), and the
// reconstruction grid as an image summary (PNG bytes). Events are buffered and appended at each
// epoch's end and at close, so a step costs no write.
import { appendFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { MetricsLine } from '../train/callbacks/metrics-log.js';
import type { StepInfo, TrainBeginInfo } from '../train/callbacks/user-callbacks.js';
import type { ExperimentLog } from './experiment-log.js';
import { encodeMessage, type Field } from './protobuf.js';
import { tfrecord } from './tfrecord.js';
import { epochScalars } from './scalars.js';

const DT_STRING = 7;

export class TensorBoardLog implements ExperimentLog {
  readonly kind = 'tensorboard';
  readonly where: string;
  private readonly file: string;
  private pending: Uint8Array[] = [];

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.where = dir;
    const seconds = Math.floor(Date.now() / 1000);
    this.file = join(dir, `events.out.tfevents.${seconds}.${hostname()}.${process.pid}.aelang`);
    this.event([{ n: 3, bytes: 'brain.Event:2' }], 0);
    this.flush();
  }

  onTrainBegin(info: TrainBeginInfo): void {
    const table = ['| hyperparameter | value |', '| --- | --- |', ...Object.entries(info.hyperparameters).map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
    const text: Field[] = [
      { n: 1, bytes: 'hyperparameters' },
      { n: 9, bytes: [{ n: 1, bytes: [{ n: 1, bytes: 'text' }] }] }, // metadata.plugin_data.plugin_name
      { n: 8, bytes: [{ n: 1, varint: DT_STRING }, { n: 2, bytes: [] }, { n: 8, bytes: table }] }, // tensor: dtype, shape [], string_val
    ];
    this.summary([text], info.step);
    this.flush();
  }

  onStepEnd(step: StepInfo): void {
    this.scalars({ 'step/loss': step.loss, ...Object.fromEntries(Object.entries(step.terms).map(([k, v]) => [`step/${k}`, v])) }, step.step);
  }

  onEpochEnd(line: MetricsLine): void {
    this.scalars(Object.fromEntries(Object.entries(epochScalars(line)).map(([k, v]) => [`epoch/${k}`, v])), line.step);
    this.flush();
  }

  async image(tag: string, png: Uint8Array, step: number): Promise<void> {
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    const [width, height, colorType] = [view.getUint32(16), view.getUint32(20), png[25]!];
    const image: Field[] = [
      { n: 1, varint: height },
      { n: 2, varint: width },
      { n: 3, varint: ({ 0: 1, 4: 2, 2: 3, 6: 4 } as Record<number, number>)[colorType] ?? 3 }, // PNG colour type → channels
      { n: 4, bytes: png },
    ];
    this.summary([[{ n: 1, bytes: tag }, { n: 4, bytes: image }]], step);
    this.flush();
  }

  async close(): Promise<void> {
    this.flush();
  }

  private scalars(values: Record<string, number>, step: number): void {
    this.summary(Object.entries(values).map(([tag, value]) => [{ n: 1, bytes: tag }, { n: 2, float: value }]), step);
  }

  private summary(values: Field[][], step: number): void {
    this.event([{ n: 5, bytes: values.map((value) => ({ n: 1, bytes: value })) }], step);
  }

  private event(what: Field[], step: number): void {
    this.pending.push(tfrecord(encodeMessage([{ n: 1, double: Date.now() / 1000 }, { n: 2, varint: step }, ...what])));
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    appendFileSync(this.file, Buffer.concat(this.pending));
    this.pending = [];
  }
}
