// `ae playground`: serves the built playground (static files, `npm run build:playground`) on
// 127.0.0.1 with node:http until interrupted. Only files inside the folder are served, GET and HEAD
// only; the page needs nothing else from the server (the model travels in the URL's fragment).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { integerFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_INPUT_ERROR, UsageError } from '../io.js';
import { commandInfo } from './info.js';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.gz': 'application/octet-stream', // gunzipped by the page itself, so no Content-Encoding
};

/** The package's dist/playground: found from this file, in the sources (cli/commands) or in dist/. */
export function defaultPlaygroundDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'playground');
}

/** Starts serving `dir` on 127.0.0.1:`port` (0: a free port); resolves once listening. */
export function servePlayground(dir: string, port: number): Promise<{ server: Server; url: string }> {
  const root = resolve(dir);
  const server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      response.writeHead(400).end('bad path');
      return;
    }
    const file = resolve(root, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
    const inside = relative(root, file);
    if (inside.startsWith('..') || inside.startsWith(sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const body = readFileSync(file);
    response.writeHead(200, {
      'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolveListening, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolveListening({ server, url: `http://127.0.0.1:${actual}/` });
    });
  });
}

export const playgroundCommand: Command = {
  ...commandInfo.playground,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.playground.options);
    if (args.positionals.length > 0) throw new UsageError(`no arguments expected, got '${args.positionals.join("', '")}'`);
    const port = integerFlag(args, 'port', { min: 0 }) ?? 8000;
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const dirFlag = stringFlag(args, 'dir');
    const dir = dirFlag === undefined ? defaultPlaygroundDir() : resolve(io.cwd, dirFlag);
    if (!existsSync(join(dir, 'index.html'))) {
      io.stderr(`error: no playground in ${dir} (no index.html): build it with \`npm run build:playground\`${dirFlag === undefined ? '' : ', or give --dir the folder it wrote'}\n`);
      return EXIT_INPUT_ERROR;
    }
    let served;
    try {
      served = await servePlayground(dir, port);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      io.stderr(`error: cannot listen on 127.0.0.1:${port}${code === 'EADDRINUSE' ? ' (the port is in use; try --port 0)' : code ? ` (${code})` : ''}\n`);
      return EXIT_INPUT_ERROR;
    }
    io.stdout(`serving the playground at ${served.url} (Ctrl-C stops)\n`);
    // Serves until the process is interrupted.
    return new Promise<number>((done) => served.server.on('close', () => done(0)));
  },
};
