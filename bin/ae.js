#!/usr/bin/env node
// The `ae` command. The TypeScript sources are compiled to dist/ and the command bundled into dist/ae/
// (scripts/bundle-cli.mjs) by `npm install` (the `prepare` script).
import { main } from '../dist/ae/main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: writerTo(process.stdout),
  stderr: writerTo(process.stderr),
  isTTY: Boolean(process.stderr.isTTY),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  readStdin: async () => {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  },
  cwd: process.cwd(),
});

/** Writes to `stream` until its reader goes away (`ae check big.ae | head`): the rest is dropped,
 *  not an uncaught EPIPE with a stack trace, and the exit code is still the command's. */
function writerTo(stream) {
  let closed = false;
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}
