// A trained run over HTTP (node:http, JSON in and out): POST /encode, /reconstruct, /score and
// /sample, GET /health and /info. Each POST runs its samples as one batch, in inference mode, on the
// program the server was given; its body is read up to `maxBody` bytes (413 beyond, before it is
// parsed) and checked against the model's input (request-samples.ts). Refusals are JSON
// {"error": reason} with a 4xx status; an unexpected failure is a 500 with no stack trace.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IRInput } from '../../ir/types.js';
import type { Program } from '../program/program.js';
import { anomalyScores, encode, latentKind, latentName, latentShape, reconstruct, sample, TaskError } from '../tasks/index.js';
import { nestedSamples, requestSamples } from './request-samples.js';
import { ServeError } from './serve-error.js';

export interface ServeOptions {
  /** The anomaly threshold /score flags scores above (fitted as `ae score` fits it). */
  threshold: number;
  /** How the threshold was found, for /info. */
  thresholdFrom?: string;
  /** The largest body accepted, in bytes (default 10 MiB). */
  maxBody?: number;
  /** The most samples one request may send or ask for (default 1024). */
  maxBatch?: number;
  /** VQ codes: how often the training data used each codebook entry (what /sample draws by). */
  codeUsage?: ArrayLike<number>;
  /** Called with each unexpected error (a 500), for the operator's log. */
  onError?: (error: unknown) => void;
}

export interface ModelServer {
  server: Server;
  /** http://host:port/ once listening. */
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY = 10 * 1024 * 1024;
export const DEFAULT_MAX_BATCH = 1024;

/** Starts serving `program` on host:port (port 0: a free one) and resolves once it listens. */
export async function serveModel(program: Program, options: ServeOptions & { host?: string; port?: number }): Promise<ModelServer> {
  const server = createServer((request, response) => void handle(program, options, request, response));
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const POST_ROUTES = ['/encode', '/reconstruct', '/score', '/sample'] as const;
type PostRoute = (typeof POST_ROUTES)[number];

async function handle(program: Program, options: ServeOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  try {
    if (path === '/health' || path === '/info') {
      if (request.method !== 'GET') throw new ServeError(405, `${path} takes GET, not ${request.method}`);
      request.resume();
      send(response, 200, path === '/health' ? { status: 'ok', model: program.ir.model } : info(program, options));
      return;
    }
    if (!(POST_ROUTES as readonly string[]).includes(path)) throw new ServeError(404, `no endpoint ${path}; there are POST ${POST_ROUTES.join(', ')} and GET /health, /info`);
    if (request.method !== 'POST') throw new ServeError(405, `${path} takes POST, not ${request.method}`);
    const body = await readJson(request, options.maxBody ?? DEFAULT_MAX_BODY);
    send(response, 200, run(program, options, path as PostRoute, body));
  } catch (error) {
    if (error instanceof ServeError) {
      // A body refused for its size is not read further: the connection closes after the answer.
      send(response, error.status, { error: error.message }, error.status === 413 && !request.complete);
    } else if (error instanceof TaskError) {
      send(response, 422, { error: error.message });
    } else {
      options.onError?.(error);
      send(response, 500, { error: 'the model failed on this request (the server log has the details)' });
    }
  }
}

function run(program: Program, options: ServeOptions, route: PostRoute, body: unknown): unknown {
  const input = dataInput(program);
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  if (route === '/sample') return drawSamples(program, options, body, maxBatch);
  const samples = requestSamples(body, input, { maxBatch });
  switch (route) {
    case '/encode': {
      const codes = encode(program, samples);
      return { codes: nestedSamples(codes.values, codes.shape), shape: codes.shape };
    }
    case '/reconstruct': {
      const out = reconstruct(program, samples);
      return { reconstructions: nestedSamples(out.values, out.shape), shape: out.shape };
    }
    case '/score': {
      const scores = anomalyScores(program, samples);
      return { scores: Array.from(scores), is_anomaly: Array.from(scores, (s) => s > options.threshold), threshold: options.threshold };
    }
  }
}

function drawSamples(program: Program, options: ServeOptions, body: unknown, maxBatch: number): unknown {
  const settings = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : undefined) as Record<string, unknown> | undefined;
  if (settings === undefined) throw new ServeError(400, 'the body must be a JSON object: {"n": N, "seed": S, "temperature": T} (all optional)');
  const number = (key: string, fallback: number, check: (v: number) => boolean, rule: string): number => {
    const value = settings[key] ?? fallback;
    if (typeof value !== 'number' || !check(value)) throw new ServeError(400, `"${key}" must be ${rule}, got ${JSON.stringify(value)}`);
    return value;
  };
  const count = number('n', 1, (v) => Number.isInteger(v) && v >= 1, 'a whole number ≥ 1');
  if (count > maxBatch) throw new ServeError(413, `"n" asks for ${count} samples; this server draws at most ${maxBatch} per request`);
  const seed = number('seed', 0, Number.isInteger, 'a whole number');
  const temperature = number('temperature', 1, (v) => Number.isFinite(v) && v > 0, 'a positive number');
  const drawn = sample(program, { count, seed, temperature, ...(options.codeUsage ? { codeUsage: options.codeUsage } : {}) });
  return { samples: nestedSamples(drawn.samples.values, drawn.samples.shape), codes: nestedSamples(drawn.codes.values, drawn.codes.shape), shape: drawn.samples.shape };
}

function dataInput(program: Program): IRInput {
  return program.ir.inputs.find((i) => i.kind === 'tensor')!;
}

function info(program: Program, options: ServeOptions): unknown {
  const { ir } = program;
  const input = dataInput(program);
  const reconstruction = ir.nodes.find((n) => n.id === ir.outputs.reconstruction);
  let code: number[] | string;
  try {
    code = latentShape(ir);
  } catch (error) {
    code = (error as Error).message;
  }
  return {
    model: ir.model,
    input: { name: input.name, shape: input.shape.slice(1), range: input.range ?? null },
    latent: { name: latentName(ir), kind: latentKind(ir), shape: code },
    reconstruction: { shape: reconstruction?.shape.slice(1) ?? null },
    score: { by: 'reconstruction', threshold: options.threshold, ...(options.thresholdFrom ? { fitted: options.thresholdFrom } : {}) },
    limits: { maxBody: options.maxBody ?? DEFAULT_MAX_BODY, maxBatch: options.maxBatch ?? DEFAULT_MAX_BATCH },
    endpoints: ['POST /encode', 'POST /reconstruct', 'POST /score', 'POST /sample', 'GET /health', 'GET /info'],
  };
}

/** The body as JSON, refused (413) as soon as it passes `limit` bytes. */
async function readJson(request: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new ServeError(413, `the body is ${declared} bytes; this server takes at most ${limit}`);
  // Events, not for-await: leaving an async iterator destroys the socket before the 413 is sent.
  const chunks = await new Promise<Buffer[]>((resolve, reject) => {
    const received: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        received.push(chunk);
        return;
      }
      request.off('data', onData);
      request.resume(); // the rest is discarded; the answer closes the connection
      reject(new ServeError(413, `the body passes ${limit} bytes, the most this server takes`));
    };
    request.on('data', onData);
    request.once('end', () => resolve(received));
    request.once('error', reject);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ServeError(400, 'the body is empty; send JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ServeError(400, `the body is not JSON: ${(error as Error).message}`);
  }
}

function send(response: ServerResponse, status: number, value: unknown, close = false): void {
  if (response.headersSent) return;
  const body = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...(close ? { connection: 'close' } : {}) });
  response.end(body);
}
