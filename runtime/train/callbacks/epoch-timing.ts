// Training throughput for run.json and the final line: samples and seconds of the epochs trained
// in this process (their training time, as the epoch lines report it; validation not included).
import type { Callback, EpochLogs } from './callback.js';

export class EpochTiming implements Callback {
  seconds = 0;
  private samples = 0;

  onEpochEnd(_context: unknown, logs: EpochLogs): void {
    this.seconds += logs.seconds;
    this.samples += logs.samples;
  }

  get samplesPerSecond(): number {
    return this.seconds > 0 ? this.samples / this.seconds : 0;
  }
}
