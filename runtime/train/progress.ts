// Progress on stderr: on a terminal a bar redrawn in place (batches/s, loss, ETA); otherwise one
// plain line per epoch, so logs and CI output stay readable.

export interface ProgressSink {
  stderr(text: string): void;
  isTTY: boolean;
}

export class Progress {
  private started = 0;
  private lastDraw = 0;
  private label = '';
  private total = 0;

  constructor(private readonly sink: ProgressSink) {}

  startEpoch(stage: string, epoch: number, epochs: number, batches: number): void {
    this.label = `${stage} ${epoch}/${epochs}`;
    this.total = batches;
    this.started = performance.now();
    this.lastDraw = 0;
  }

  batch(done: number, loss: number): void {
    if (!this.sink.isTTY) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && done < this.total) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = done / Math.max(seconds, 1e-9);
    const eta = (this.total - done) / Math.max(rate, 1e-9);
    const width = 24;
    const filled = Math.round((done / this.total) * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    this.sink.stderr(
      `\r${this.label} ${bar} ${done}/${this.total} ${rate.toFixed(1)} batch/s loss ${formatLoss(loss)} ETA ${eta.toFixed(0)}s\x1b[K`,
    );
  }

  endEpoch(summary: { loss: number; valLoss?: number; seconds: number; samples: number; figures?: string[] }): void {
    const val = summary.valLoss === undefined ? '' : ` val_loss ${formatLoss(summary.valLoss)}`;
    const figures = summary.figures?.length ? `, ${summary.figures.join(', ')}` : '';
    const rate = summary.samples / Math.max(summary.seconds, 1e-9);
    const line = `${this.label} loss ${formatLoss(summary.loss)}${val} (${summary.seconds.toFixed(1)}s, ${rate.toFixed(0)} samples/s${figures})`;
    this.sink.stderr(this.sink.isTTY ? `\r${line}\x1b[K\n` : `${line}\n`);
  }
}

export function formatLoss(value: number): string {
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e4 ? value.toFixed(4) : value.toExponential(3);
}
