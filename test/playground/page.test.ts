// The playground in a real browser: Debian's chromium, headless, driven by playwright-core, opening
// the built page (npm run build:playground) from `ae playground`'s server on 127.0.0.1. A broken
// model from a link shows `ae check`'s diagnostic at its line with its code; the quick fix clears
// it; hover and the summary show the checker's shapes and counts; a tiny model trains, its loss
// falls, reconstructions appear, and the downloaded run loads in Node with the same numbers and in
// `ae eval`. Screenshots and the measured sizes and timings go to .tmp/playground-test/.
// Skips (saying why) only where no chromium is installed: CI installs it (`apt-get install chromium`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePlayground } from '../../cli/commands/playground.js';
import { main } from '../../cli/main.js';
import { analyzeSource } from '../../compiler/analyze.js';
import { renderSummaryText } from '../../compiler/check/summary.js';
import { buildPlayground } from '../../scripts/build-playground.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { loadRun } from '../../runtime/tasks/load-run.js';
import { repoRoot } from '../../scripts/browser-bundle.js';

const CHROMIUM = process.env.AE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`test/playground/page.test.ts: SKIPPED: no chromium at ${CHROMIUM} (apt-get install chromium, or set AE_CHROMIUM)`);

const OUT = join(repoRoot, '.tmp', 'playground-test');

const TINY = `model tiny {
  input x: [784] in [0, 1]
  encoder { dense(16, act = relu) }
  latent z = dense(2)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = bce(x_hat, x)
  train {
    optimizer = adam(lr = 1e-2)
    batch = 100
  }
}
`;
const VAE = `model tinyvae {
  input x: [784] in [0, 1]
  encoder { dense(32, act = relu) }
  latent z = gaussian(2)
  decoder { dense(32, act = relu), dense(784) }
  output x_hat = sigmoid
  loss = bce(x_hat, x, reduce = sum) + kl(z)
  train { batch = 100 }
}
`;
const CSV_MODEL = `model points {
  input x: [6] in [0, 1]
  encoder { dense(4, act = tanh) }
  latent z = dense(2)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = mse(x_hat, x)
  train {
    optimizer = adam(lr = 1e-2)
    batch = 20
  }
}
`;
const BROKEN = TINY.replace('dense(16', 'denes(16'); // AE2003 at line 3, with a did-you-mean fix

/** The fragment the page writes, computed here with zlib: the page's codec is deflate-raw + base64url. */
const linkFor = (text: string) => `#code=${deflateRawSync(Buffer.from(text)).toString('base64url')}`;

const measured: Record<string, unknown> = {};

describe.skipIf(!hasChromium)('the playground in chromium', () => {
  let browser: Browser;
  let page: Page;
  let server: Server;
  let url = '';

  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const built = await buildPlayground();
    measured.scriptBytes = built.scriptBytes;
    measured.scriptGzipBytes = built.scriptGzipBytes;
    ({ server, url } = await servePlayground(built.outDir, 0));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
    writeFileSync(join(OUT, 'measurements.json'), `${JSON.stringify(measured, null, 2)}\n`);
    console.log(`playground measurements (.tmp/playground-test/measurements.json): ${JSON.stringify(measured)}`);
  });

  const problems = () => page.$$eval('#problems li[data-code]', (items) => items.map((li) => ({ code: li.getAttribute('data-code'), line: Number(li.getAttribute('data-line')), column: Number(li.getAttribute('data-column')), text: li.textContent ?? '' })));
  const editorText = () => page.evaluate(() => (window as unknown as { aePlayground: { view: { state: { doc: { toString(): string } } } } }).aePlayground.view.state.doc.toString());

  it('a broken model from a link shows ae check’s diagnostic at its line with its code; the quick fix clears it', async () => {
    const expected = analyzeSource(BROKEN, 'model.ae', { cwd: tmpdir(), validateSchema: false }).diagnostics;
    expect(expected.map((d) => d.code)).toEqual(['AE2003']);
    await page.goto(`${url}${linkFor(BROKEN)}`);
    await page.waitForFunction(() => (window as unknown as { aePlayground?: unknown }).aePlayground !== undefined);
    measured.firstDiagnosticsMs = Math.round(await page.evaluate(() => (window as unknown as { aePlayground: { stats: { firstDiagnosticsMs: number } } }).aePlayground.stats.firstDiagnosticsMs));
    expect(await editorText()).toBe(BROKEN);
    const shown = await problems();
    expect(shown.map(({ code, line, column }) => ({ code, line, column }))).toEqual(expected.map((d) => ({ code: d.code, line: d.range.start.line, column: d.range.start.column })));
    expect(shown[0]!.text).toContain(expected[0]!.message);
    // The editor underlines the same range (line 3) and marks the line in the gutter.
    const underlined = await page.$$eval('.cm-lintRange-error', (spans) => spans.map((s) => s.textContent));
    expect(underlined).toEqual(['denes']);
    await page.screenshot({ path: join(OUT, '1-broken-link.png') });

    await page.click('#problems li button.fix');
    await page.waitForFunction(() => document.querySelector('#problems li.clean') !== null);
    expect(await editorText()).toBe(TINY);
    expect(await page.$$('.cm-lintRange-error')).toHaveLength(0);
    await page.screenshot({ path: join(OUT, '2-fixed.png') });
  });

  it('shows ae summary’s table, and hover gives a layer’s shape and parameter count', async () => {
    const model = analyzeSource(TINY, 'model.ae', { cwd: tmpdir() }).models[0]!;
    expect(await page.$eval('#summary', (pre) => pre.textContent)).toBe(renderSummaryText(model));
    const at = TINY.indexOf('dense(16') + 2;
    const box = await page.evaluate((pos) => {
      const view = (window as unknown as { aePlayground: { view: { coordsAtPos(p: number): { left: number; top: number; bottom: number } } } }).aePlayground.view;
      return view.coordsAtPos(pos);
    }, at);
    await page.mouse.move(box.left + 1, (box.top + box.bottom) / 2);
    const tooltip = await page.waitForSelector('.cm-tooltip-hover', { timeout: 5000 });
    // dense(16) on 784 inputs (784·16 weights + 16 biases), and the decoder's dense its mirror made.
    expect(await tooltip.innerText()).toBe('dense (encoder) → [16], 12,560 parameters\ndense (decoder) → [784], 13,328 parameters');
    await page.screenshot({ path: join(OUT, '3-hover.png') });
    await page.mouse.move(5, 5);
  });

  it('shares the model by link and as an ae command', async () => {
    await page.click('#share');
    // The link is written once the spec is compressed (CompressionStream is asynchronous).
    await page.waitForFunction(() => (document.getElementById('notice') as HTMLElement).dataset.copied?.startsWith('http'));
    const hash = await page.evaluate(() => location.hash);
    expect(await page.$eval('#notice', (n) => (n as HTMLElement).dataset.copied)).toBe(`${url}${hash}`);
    expect(inflateRawSync(Buffer.from(hash.replace('#code=', ''), 'base64url')).toString()).toBe(TINY);
    await page.click('#copy-command');
    await page.waitForFunction(() => (document.getElementById('notice') as HTMLElement).dataset.copied?.startsWith('cat > '));
    const command = await page.$eval('#notice', (n) => (n as HTMLElement).dataset.copied ?? '');
    expect(command).toBe(`cat > model.ae <<'AE_SPEC'\n${TINY}AE_SPEC\nae check model.ae && ae train model.ae\n`);
  });

  it('lists every example of examples/, and measures typing on the convolutional one', async () => {
    const files = readdirSync(join(repoRoot, 'examples')).flatMap((dir) => (existsSync(join(repoRoot, 'examples', dir)) && !dir.includes('.') ? readdirSync(join(repoRoot, 'examples', dir)).filter((f) => f.endsWith('.ae')).map((f) => `${dir}/${f}`) : []));
    const options = await page.$$eval('#examples option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''));
    expect(options.sort()).toEqual(files.sort());
    const conv = 'convolutional/cae.ae';
    await page.selectOption('#examples', conv);
    await page.waitForFunction(() => document.querySelector('#problems li') !== null);
    expect(await editorText()).toBe(readFileSync(join(repoRoot, 'examples', conv), 'utf8'));
    // Type a comment at the end, one key every 60 ms, and time each edit to its diagnostics on screen.
    await page.evaluate(() => {
      const playground = (window as unknown as { aePlayground: { view: { state: { doc: { length: number } }; dispatch(t: unknown): void; focus(): void }; stats: { editToDiagnosticsMs: number[] } } }).aePlayground;
      playground.view.dispatch({ selection: { anchor: playground.view.state.doc.length } });
      playground.view.focus();
      playground.stats.editToDiagnosticsMs.length = 0;
    });
    await page.keyboard.type('// typed', { delay: 60 });
    await page.waitForTimeout(300);
    const latencies = await page.evaluate(() => (window as unknown as { aePlayground: { stats: { editToDiagnosticsMs: number[] } } }).aePlayground.stats.editToDiagnosticsMs);
    expect(latencies.length).toBeGreaterThan(0);
    const sorted = [...latencies].sort((a, b) => a - b);
    measured.typingLatencyConvMs = { edits: latencies.length, median: Math.round(sorted[Math.floor(sorted.length / 2)]!), max: Math.round(sorted.at(-1)!) };
    expect((await problems()).map((p) => p.code)).toEqual(analyzeSource(`${readFileSync(join(repoRoot, 'examples', conv), 'utf8')}// typed`, 'model.ae', { cwd: tmpdir(), validateSchema: false }).diagnostics.map((d) => d.code));
  });

  it('trains a tiny model: the loss falls, reconstructions appear, and the downloaded run loads with the same numbers', async () => {
    // A new link in the same tab changes only the fragment: the page loads the model it holds.
    await page.goto(`${url}${linkFor(TINY)}`);
    await page.waitForFunction((text) => (window as unknown as { aePlayground?: { view: { state: { doc: { toString(): string } } } } }).aePlayground?.view.state.doc.toString() === text, TINY);
    await page.waitForFunction(() => (window as unknown as { aeTraining?: unknown }).aeTraining !== undefined);
    await page.fill('#epochs', '2');
    const started = Date.now();
    await page.click('#train');
    await page.waitForFunction(() => (window as unknown as { aeTraining: { done: boolean } }).aeTraining.done, null, { timeout: 90_000 });
    const state = await page.evaluate(() => {
      const t = (window as unknown as { aeTraining: { losses: number[]; epochs: unknown[]; backend: string; error?: string; shown?: number[] } }).aeTraining;
      return { losses: t.losses, epochs: t.epochs.length, backend: t.backend, error: t.error, shown: t.shown };
    });
    measured.training = { backend: state.backend, steps: state.losses.length, seconds: (Date.now() - started) / 1000, firstLoss: state.losses[0], lastLoss: state.losses.at(-1) };
    expect(state.error).toBeUndefined();
    expect(state.epochs).toBe(2);
    expect(state.losses).toHaveLength(40); // 2000 images, batch 100, 2 epochs
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(state.losses.slice(-5))).toBeLessThan(0.8 * mean(state.losses.slice(0, 5)));
    expect(await page.$$('#reconstructions canvas')).toHaveLength(16); // 8 test images over their reconstructions
    expect(await page.$eval('#reconstructions', (r) => (r as HTMLElement).dataset.epochsShown)).toBe('2');
    expect(await page.$eval('#latent-map', (c) => (c as HTMLCanvasElement).hidden)).toBe(false);
    await page.screenshot({ path: join(OUT, '4-trained.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const dir = mkdtempSync(join(tmpdir(), 'ae-playground-run-'));
    try {
      const archive = join(dir, download.suggestedFilename());
      await download.saveAs(archive);
      execFileSync('tar', ['xf', archive, '-C', dir]);
      const runDir = join(dir, 'tiny-playground');
      // The run's reconstruction of the page's 8 test images, in Node, from the downloaded weights.
      await selectBackend('cpu');
      const run = await loadRun(runDir);
      const images = await page.evaluate(() => (window as unknown as { aeTraining: { shownInputs: number[] } }).aeTraining.shownInputs);
      const x = tf.tensor(images, [8, 784]);
      const outputs = run.program.forward({ x }, { training: false });
      const ours = Array.from(await outputs.get(run.ir.outputs.reconstruction)!.data());
      for (const t of outputs.values()) t.dispose();
      x.dispose();
      run.program.dispose();
      expect(state.shown).toHaveLength(8 * 784);
      const worst = Math.max(...ours.map((v, i) => Math.abs(v - state.shown![i]!)));
      measured.downloadedRunMaxDifference = worst;
      expect(worst).toBeLessThan(1e-4);
      // And `ae eval` reads the run.
      let stdout = '';
      const code = await main(['eval', runDir, '--data', 'mnist:test', '--limit', '200', '--backend', 'cpu', '--quiet'], {
        stdout: (t) => void (stdout += t),
        stderr: () => undefined,
        isTTY: false,
        cwd: dir,
      });
      expect(code).toBe(0);
      expect(stdout).toMatch(/loss/);
      // The page's ONNX is the file `ae export` writes for the downloaded run, byte for byte.
      const [onnx] = await Promise.all([page.waitForEvent('download'), page.click('#download-onnx')]);
      expect(onnx.suggestedFilename()).toBe('tiny.onnx');
      await onnx.saveAs(join(dir, 'page.onnx'));
      const exported = await main(['export', runDir, '--format', 'onnx', '-o', join(dir, 'cli.onnx')], { stdout: () => undefined, stderr: () => undefined, isTTY: false, cwd: dir });
      expect(exported).toBe(0);
      const pageOnnx = readFileSync(join(dir, 'page.onnx'));
      expect(pageOnnx.length).toBeGreaterThan(25_000 * 4); // the weights are in it
      expect(pageOnnx.equals(readFileSync(join(dir, 'cli.onnx')))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('draws samples of a VAE after each epoch, and the stop button ends training mid-epoch', async () => {
    await page.goto(`${url}${linkFor(VAE)}`);
    await page.waitForFunction((text) => (window as unknown as { aePlayground?: { view: { state: { doc: { toString(): string } } } } }).aePlayground?.view.state.doc.toString() === text, VAE);
    expect(await page.$eval('#samples', (s) => (s as HTMLElement).hidden)).toBe(true); // the tiny AE's code had no prior
    await page.fill('#epochs', '50');
    await page.click('#train');
    // One epoch is 20 steps: wait into the second, then stop.
    await page.waitForFunction(() => (window as unknown as { aeTraining: { losses: number[] } }).aeTraining.losses.length >= 25, null, { timeout: 60_000 });
    await page.click('#stop');
    await page.waitForFunction(() => (window as unknown as { aeTraining: { done: boolean } }).aeTraining.done, null, { timeout: 30_000 });
    const steps = await page.evaluate(() => (window as unknown as { aeTraining: { losses: number[] } }).aeTraining.losses.length);
    expect(steps).toBeGreaterThanOrEqual(25);
    expect(steps).toBeLessThan(40); // stopped inside the second epoch, not at the end of 50
    expect(await page.locator('#train-status').innerText()).toBe(`Stopped after ${steps} steps: loss ${(await page.evaluate(() => (window as unknown as { aeTraining: { losses: number[] } }).aeTraining.losses.at(-1)!)).toFixed(4)}`);
    expect(await page.$eval('#samples', (s) => (s as HTMLElement).hidden)).toBe(false);
    expect(await page.$$('#samples canvas')).toHaveLength(8);
    expect(await page.$eval('#samples', (s) => (s as HTMLElement).dataset.epochsShown)).toBe('1');
    await page.screenshot({ path: join(OUT, '5-vae-stopped.png') });
  }, 120_000);

  it('trains on a CSV dropped on the page, and says which row of a bad one is wrong', async () => {
    await page.goto(`${url}${linkFor(CSV_MODEL)}`);
    await page.waitForFunction((text) => (window as unknown as { aePlayground?: { view: { state: { doc: { toString(): string } } } } }).aePlayground?.view.state.doc.toString() === text, CSV_MODEL);
    const drop = (name: string, text: string) =>
      page.evaluate(([n, t]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([t!], n!, { type: 'text/csv' }));
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }, [name, text]);
    await drop('bad.csv', 'a,b,c\n0.1,0.2,0.3\n0.4,0.5\n');
    await page.waitForFunction(() => document.querySelector('#train-status')?.textContent !== '');
    expect(await page.locator('#train-status').innerText()).toBe('bad.csv: line 3 is not 3 numbers (2 cells: 0.4,0.5)');
    // 200 points on a curve in [0, 1]^6, with a header row; the last 20 are held out.
    const rows = Array.from({ length: 200 }, (_, i) => Array.from({ length: 6 }, (_, j) => (0.5 + 0.4 * Math.sin((i / 200) * 6.283 * (j + 1))).toFixed(4)).join(','));
    await drop('points.csv', `${['a', 'b', 'c', 'd', 'e', 'f'].join(',')}\n${rows.join('\n')}\n`);
    await page.waitForFunction(() => document.querySelector('#data-source')?.textContent?.includes('points.csv'));
    expect(await page.locator('#data-source').innerText()).toBe('Data: points.csv, 200 rows of 6 values (the last tenth held out for the pictures).');
    await page.fill('#epochs', '3');
    await page.click('#train');
    await page.waitForFunction(() => (window as unknown as { aeTraining: { done: boolean } }).aeTraining.done, null, { timeout: 60_000 });
    const state = await page.evaluate(() => {
      const t = (window as unknown as { aeTraining: { losses: number[]; error?: string; shownInputs?: number[] } }).aeTraining;
      return { losses: t.losses, error: t.error, shownInputs: t.shownInputs };
    });
    expect(state.error).toBeUndefined();
    expect(state.losses).toHaveLength(27); // 180 rows, batch 20, 3 epochs
    // The pictures show the held-out rows: the first of them is row 181 of the file.
    expect(state.shownInputs!.slice(0, 6).map((v) => v.toFixed(4))).toEqual(rows[180]!.split(','));
    expect(await page.$$('#reconstructions canvas')).toHaveLength(16);
  }, 90_000);
});
