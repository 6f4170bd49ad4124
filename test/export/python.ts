// Debian's Python with PyTorch (python3-torch), which the PyTorch export tests run; `.ci/run`
// installs it. The `python3` first on PATH may be another one, without torch.
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** Fails (never skips) without PyTorch, saying how to get it. */
export function requireTorch(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(`the PyTorch export tests need ${PYTHON} with torch and numpy: apt-get install python3-torch libopenblas0-pthread (.ci/run does)\n${probe.stderr ?? probe.error}`);
  }
}
