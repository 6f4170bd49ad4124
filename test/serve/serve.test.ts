// `ae serve` and serveModel: real HTTP requests on 127.0.0.1 (an ephemeral port) against a tiny VAE:
// each endpoint gives the library's numbers for the same samples, run as one batch; malformed JSON,
// wrong shapes, values outside the input's range, too many samples and an oversized body are 4xx
// with the reason; the command fits /score's threshold as `ae score` does and stops on SIGTERM.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { generateSynthetic } from '../../runtime/data/index.js';
import { serveModel, type ModelServer } from '../../runtime/serve/server.js';
import { anomalyScores, encode, fitThreshold, loadRun, reconstruct, sample, type LoadedRun } from '../../runtime/tasks/index.js';

const MODEL = `model tiny_vae {
  input x: [2, 3] in [0, 1]
  encoder { flatten, dense(5, act = tanh) }
  latent z = gaussian(2)
  decoder { dense(5, act = tanh), dense(6), reshape([2, 3]) }
  output x_hat = sigmoid
  loss = mse(x_hat, x) + 0.01 * kl(z)
  train { data = synthetic(samples = 32, seed = 1), epochs = 1, batch = 8 }
}
`;

let cwd = '';
let run: LoadedRun;
let served: ModelServer;
const THRESHOLD = 0.05;
const SAMPLES = [
  [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]],
  [[0, 1, 0.5], [0.25, 0.75, 1]],
  [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], // flat: as many numbers as the shape holds
];
const dataset = { name: 'same', count: 3, sampleShape: [2, 3], x: Float32Array.from(SAMPLES.flat(2) as number[]) };

async function post(path: string, body: string | object): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(new URL(path, served.url), { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A raw request, for bodies fetch would not send as they are (no content-length, oversized). */
function rawPost(path: string, chunks: string[], headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, served.url), { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).every((v, i) => Math.abs(v - b[i]!) < 1e-6) && a.length === b.length;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'ae-serve-'));
  writeFileSync(join(cwd, 'tiny.ae'), MODEL);
  const out = { stderr: '' };
  const code = await main(['train', 'tiny.ae', '--backend', 'cpu', '-o', 'run', '--quiet'], { stdout: () => {}, stderr: (t) => void (out.stderr += t), isTTY: false, cwd });
  expect(code, out.stderr).toBe(0);
  run = await loadRun(join(cwd, 'run'));
  served = await serveModel(run.program, { threshold: THRESHOLD, maxBody: 4096, maxBatch: 8 });
}, 60_000);
afterAll(async () => {
  await served?.close();
  run?.program.dispose();
  rmSync(cwd, { recursive: true, force: true });
});

describe('serveModel', () => {
  it('listens on loopback and answers /health and /info with the IR’s shapes', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await (await fetch(new URL('/health', served.url))).json()).toEqual({ status: 'ok', model: 'tiny_vae' });
    const info = await (await fetch(new URL('/info', served.url))).json();
    expect(info).toMatchObject({
      model: 'tiny_vae',
      input: { name: 'x', shape: [2, 3], range: [0, 1] },
      latent: { name: 'z', kind: 'gaussian', shape: [2] },
      reconstruction: { shape: [2, 3] },
      score: { by: 'reconstruction', threshold: THRESHOLD },
      limits: { maxBody: 4096, maxBatch: 8 },
    });
  });

  it('encodes, reconstructs and scores a batch as the library does', async () => {
    const codes = await post('/encode', { inputs: SAMPLES });
    expect(codes.status).toBe(200);
    expect(codes.json.shape).toEqual([3, 2]);
    expect(close((codes.json.codes as number[][]).flat(), encode(run.program, dataset).values)).toBe(true);

    const recon = await post('/reconstruct', { inputs: SAMPLES });
    expect(recon.json.shape).toEqual([3, 2, 3]);
    expect((recon.json.reconstructions as number[][][])[0]).toHaveLength(2);
    expect(close((recon.json.reconstructions as number[][][]).flat(2), reconstruct(run.program, dataset).values)).toBe(true);

    const scored = await post('/score', { inputs: SAMPLES });
    const expected = anomalyScores(run.program, dataset);
    expect(close(scored.json.scores as number[], expected)).toBe(true);
    expect(scored.json.is_anomaly).toEqual(Array.from(expected, (s) => s > THRESHOLD));
    expect(scored.json.threshold).toBe(THRESHOLD);
  });

  it('samples from the prior with a seed, as ae sample does', async () => {
    const drawn = await post('/sample', { n: 4, seed: 3 });
    expect(drawn.status).toBe(200);
    expect(drawn.json.shape).toEqual([4, 2, 3]);
    expect(close((drawn.json.samples as number[][][]).flat(2), sample(run.program, { count: 4, seed: 3, temperature: 1 }).samples.values)).toBe(true);
    expect(await post('/sample', { n: 0 })).toEqual({ status: 400, json: { error: '"n" must be a whole number ≥ 1, got 0' } });
    expect(await post('/sample', { n: 9 })).toEqual({ status: 413, json: { error: '"n" asks for 9 samples; this server draws at most 8 per request' } });
  });

  it.each([
    ['malformed JSON', '{"inputs": [[0.1,', 400, /^the body is not JSON: /],
    ['an empty body', '', 400, /^the body is empty; send JSON$/],
    ['no inputs', { samples: [] }, 400, /^the body must be a JSON object with "inputs": a list of samples$/],
    ['no samples', { inputs: [] }, 400, /^"inputs" holds no samples$/],
    ['a short row', { inputs: [SAMPLES[0], [[0.1, 0.2, 0.3], [0.4, 0.5]]] }, 400, /^inputs\[1\]\[1\]: expected 3 entries \(shape \[3\]\), got 2$/],
    ['a wrong flat length', { inputs: [[0.1, 0.2, 0.3, 0.4, 0.5]] }, 400, /^inputs\[0\]: expected 2 entries \(shape \[2, 3\] \(or 6 numbers, flat\)\), got 5$/],
    ['a string value', { inputs: [[[0.1, 'a', 0.3], [0.4, 0.5, 0.6]]] }, 400, /^inputs\[0\]\[0\]\[1\]: "a" is not a finite number$/],
    ['a value out of range', { inputs: [SAMPLES[0], [[0.1, 0.2, 1.5], [0.4, 0.5, 0.6]]] }, 422, /^inputs\[1\]\[0\]\[2\]: 1\.5 lies outside input 'x''s range \[0, 1\]$/],
    ['too many samples', { inputs: Array(9).fill(SAMPLES[0]) }, 413, /^"inputs" holds 9 samples; this server takes at most 8 per request$/],
  ])('refuses %s with the reason', async (_name, body, status, message) => {
    const answer = await post('/encode', body as string | object);
    expect(answer.status).toBe(status);
    expect(answer.json.error).toMatch(message);
  });

  it('refuses an oversized body with 413, declared or streamed, and still serves afterwards', async () => {
    const big = JSON.stringify({ inputs: Array(400).fill(SAMPLES[0]) });
    expect(big.length).toBeGreaterThan(4096);
    const declared = await rawPost('/encode', [big], { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) });
    expect(declared).toEqual({ status: 413, body: `{"error":"the body is ${big.length} bytes; this server takes at most 4096"}` });
    const streamed = await rawPost('/encode', [big.slice(0, 3000), big.slice(3000)], { 'transfer-encoding': 'chunked' });
    expect(streamed).toEqual({ status: 413, body: '{"error":"the body passes 4096 bytes, the most this server takes"}' });
    expect((await post('/encode', { inputs: [SAMPLES[0]] })).status).toBe(200);
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    expect((await fetch(new URL('/encode', served.url))).status).toBe(405);
    expect((await post('/health', {})).status).toBe(405);
    const missing = await post('/decode', {});
    expect(missing).toEqual({ status: 404, json: { error: 'no endpoint /decode; there are POST /encode, /reconstruct, /score, /sample and GET /health, /info' } });
  });
});

describe('ae serve', () => {
  it.each([
    [['serve', 'run', '--port', '70000'], "option '--port' needs a port 0..65535, got 70000"],
    [['serve', 'run', '--threshold', '0.1', '--fit', 'synthetic'], '--threshold is used as given; --fit and --contamination fit one instead'],
    [['serve', 'tiny.ae'], "'tiny.ae' is a file; RUN is a run directory"],
    [['serve', 'run', '--max-body', '0'], "option '--max-body' needs an integer ≥ 1, got '0'"],
  ])('ae %j is misuse', async (argv, message) => {
    const out = { stderr: '' };
    const code = await main(argv, { stdout: () => {}, stderr: (t) => void (out.stderr += t), isTTY: false, cwd });
    expect(code).toBe(2);
    expect(out.stderr).toContain(message);
  });

  it('fits the threshold on the training data as ae score does, serves on loopback and stops on SIGTERM', async () => {
    const entry = join(import.meta.dirname, 'cli-entry.ts');
    // From the repository, where `--import tsx` resolves; the run by its absolute path.
    const child = spawn(process.execPath, ['--import', 'tsx', entry, 'serve', join(cwd, 'run'), '--port', '0', '--backend', 'cpu', '--quiet'], { cwd: join(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000); // bounded whatever happens
    try {
      let stderr = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk) => {
          stderr += chunk;
          const found = /serving tiny_vae on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
          if (found) resolve(found[1]!);
        });
        child.once('exit', (code) => reject(new Error(`ae serve exited with ${code}: ${stderr}`)));
      });
      const training = generateSynthetic({ samples: 32, seed: 1 }, run.ir.inputs[0]!);
      const expected = fitThreshold(anomalyScores(run.program, training), 0.1);
      const info = (await (await fetch(new URL('/info', url))).json()) as { score: { threshold: number; fitted: string } };
      expect(info.score.threshold).toBeCloseTo(expected, 6);
      expect(info.score.fitted).toBe('fitted on synthetic(seed=1, rank=6) at contamination 0.1');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('stopped\n');
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  }, 90_000);
});
