/**
 * A probe loads one backend's package and registers it with tfjs-core, without selecting it.
 * It never throws for the expected "not here" cases (package absent, no GPU adapter): it says why.
 * Probes are plain functions so tests can inject "absent", "no adapter" or "loads".
 */
export type ProbeOutcome =
  | { ok: true; /** shown in the log line, e.g. "SIMD, 1 thread" */ detail: string; info?: Record<string, unknown> }
  | { ok: false; why: string };

export type BackendProbe = () => Promise<ProbeOutcome>;
