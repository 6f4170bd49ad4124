// Loaded into the server process by the memory test (node --expose-gc --import): on SIGUSR2 it runs a
// full garbage collection and writes the live heap size to stderr, so the test measures what the
// server keeps, not what the collector has yet to free.
process.on('SIGUSR2', () => {
  globalThis.gc();
  process.stderr.write(`heap-used ${process.memoryUsage().heapUsed}\n`);
});
