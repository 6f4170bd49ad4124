// The training panel's pictures, drawn on canvases: the loss per step, test images over their
// reconstructions, and the latent codes of the test images coloured by their label.

export function drawLoss(canvas: HTMLCanvasElement, losses: readonly number[]): void {
  const g = canvas.getContext('2d')!;
  const { width, height } = canvas;
  g.clearRect(0, 0, width, height);
  const finite = losses.filter(Number.isFinite);
  if (finite.length === 0) return;
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  const pad = 24;
  const x = (i: number) => pad + (i / Math.max(1, losses.length - 1)) * (width - pad - 6);
  const y = (v: number) => 6 + (1 - (v - low) / (high - low || 1)) * (height - pad - 6);
  g.strokeStyle = '#d0d7de';
  g.strokeRect(pad, 6, width - pad - 6, height - pad - 6);
  g.fillStyle = '#57606a';
  g.font = '10px sans-serif';
  g.fillText(high.toPrecision(3), 2, 14);
  g.fillText(low.toPrecision(3), 2, height - pad);
  g.fillText(`step ${losses.length}`, width - 60, height - 6);
  g.strokeStyle = '#0969da';
  g.beginPath();
  losses.forEach((v, i) => (i === 0 ? g.moveTo(x(i), y(v)) : g.lineTo(x(i), y(v))));
  g.stroke();
}

/** One column per test image: the image above, its reconstruction below. 2-D images (with one or
 *  three channels) are drawn as pictures; other samples as a strip of grey values. */
export function drawReconstructions(
  host: HTMLElement,
  inputs: Float32Array,
  outputs: Float32Array,
  sampleShape: number[],
  count: number,
  range: [number, number] | undefined,
): void {
  const width = sampleShape.reduce((a, b) => a * b, 1);
  const [low, high] = range ?? rangeOf(inputs);
  const image = imageShape(sampleShape, width);
  const canvases: HTMLCanvasElement[] = [];
  for (const values of [inputs, outputs]) {
    for (let k = 0; k < count; k++) canvases.push(picture(values.subarray(k * width, (k + 1) * width), image, low, high));
  }
  host.replaceChildren(...canvases);
  host.dataset.epochsShown = String(Number(host.dataset.epochsShown ?? 0) + 1);
}

/** One row of generated samples. */
export function drawSamples(host: HTMLElement, values: Float32Array, sampleShape: number[], count: number, range: [number, number] | undefined): void {
  const width = sampleShape.reduce((a, b) => a * b, 1);
  const [low, high] = range ?? rangeOf(values);
  const image = imageShape(sampleShape, width);
  host.replaceChildren(...Array.from({ length: count }, (_, k) => picture(values.subarray(k * width, (k + 1) * width), image, low, high)));
  host.dataset.epochsShown = String(Number(host.dataset.epochsShown ?? 0) + 1);
}

/** A flat sample with a square number of values (784) is drawn as the square image it was. */
function imageShape(sampleShape: number[], width: number): { h: number; w: number; c: number } {
  const side = Math.round(Math.sqrt(width));
  if (sampleShape.length >= 2) return { h: sampleShape[0]!, w: sampleShape[1]!, c: sampleShape[2] ?? 1 };
  return side * side === width ? { h: side, w: side, c: 1 } : { h: 1, w: width, c: 1 };
}

function picture(values: Float32Array, image: { h: number; w: number; c: number }, low: number, high: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = image.w;
  canvas.height = image.h;
  const data = new ImageData(image.w, image.h);
  for (let p = 0; p < image.w * image.h; p++) {
    for (let ch = 0; ch < 3; ch++) {
      const v = values[p * image.c + (image.c === 3 ? ch : 0)]!;
      data.data[p * 4 + ch] = Math.round(255 * Math.min(1, Math.max(0, (v - low) / (high - low || 1))));
    }
    data.data[p * 4 + 3] = 255;
  }
  canvas.getContext('2d')!.putImageData(data, 0, 0);
  return canvas;
}

function rangeOf(values: Float32Array): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return [low, high];
}

const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function drawLatentMap(canvas: HTMLCanvasElement, codes: Float32Array, labels: Int32Array | undefined): void {
  const g = canvas.getContext('2d')!;
  const { width, height } = canvas;
  g.clearRect(0, 0, width, height);
  const xs = codes.filter((_, i) => i % 2 === 0);
  const ys = codes.filter((_, i) => i % 2 === 1);
  const [x0, x1] = rangeOf(xs);
  const [y0, y1] = rangeOf(ys);
  for (let i = 0; i < xs.length; i++) {
    g.fillStyle = colours[(labels?.[i] ?? 0) % colours.length]!;
    g.fillRect(4 + ((xs[i]! - x0) / (x1 - x0 || 1)) * (width - 10), 4 + ((ys[i]! - y0) / (y1 - y0 || 1)) * (height - 10), 3, 3);
  }
}
