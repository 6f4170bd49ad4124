// The onnx engine's training step alone, per architecture: the compiler's step graph for the
// whole model (buildStageGraph), the session the engine opens (runtime.ts's createSession), the
// gradients written into preallocated outputs, and `run` timed over many steps on seeded random
// data (no optimiser update, no data loading): wall and CPU time a step (the CPU time moves less
// on a shared machine). With --profile, a second session runs the same steps under ONNX Runtime's
// profiler, its kernel times summed by op type and by node; --optimized writes the graph as ORT
// optimised it (what fused, what did not).
//
//   node --import tsx bench/step-profile.ts [--archs mnist-ae,hinton] [--threads 1] [--steps 300]
//        [--reps 3] [--batch 128] [--profile] [--optimized out.onnx] [--options '{"enableMemPattern":false}']
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { buildStageGraph } from '../compiler/step/step-graph.js';
import { loadOnnxRuntime, sessionOptions } from '../runtime/engines/onnx/runtime.js';
import { Random } from '../runtime/random.js';
import { aelangIR, INPUT_SHAPE, type Arch } from './train-models.js';

const { values } = parseArgs({
  options: {
    archs: { type: 'string', default: 'mnist-ae,hinton' },
    threads: { type: 'string', default: '1' },
    steps: { type: 'string', default: '300' },
    reps: { type: 'string', default: '3' },
    batch: { type: 'string', default: '128' },
    profile: { type: 'boolean', default: false },
    optimized: { type: 'string' },
    options: { type: 'string' },
  },
});
const threads = Number(values.threads);
const steps = Number(values.steps);
const batch = Number(values.batch);

function filled(length: number, random: Random, scale: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (random.next() - 0.5) * scale;
  return out;
}

async function measure(arch: Arch): Promise<void> {
  const ir = aelangIR(arch, batch);
  const trainable = ir.parameters.filter((q) => q.trainable).map((q) => q.id);
  const graph = buildStageGraph({ ir, objective: ir.objective, trainable });
  const options: ort.InferenceSession.SessionOptions = { ...sessionOptions('cpu', threads, graph.nodeCount) };
  if (values.profile) Object.assign(options, { enableProfiling: true, profileFilePrefix: `/tmp/step-profile-${arch}` });
  if (values.optimized) options.optimizedModelFilePath = values.optimized.replace(/\.onnx$/, `-${arch}.onnx`);
  // timed through the engine's own session (runtime.ts: the native synchronous run where there
  // is one); profiled and written out through onnxruntime-node's public one, which takes those options
  const loaded = await loadOnnxRuntime();
  if (!loaded.ok) throw new Error(loaded.why);
  const inspected = values.profile || values.optimized ? await ort.InferenceSession.create(graph.model, options) : undefined;
  // --options: timed on onnxruntime-node's public session with the engine's options and these
  const session = values.options ? publicSession(await ort.InferenceSession.create(graph.model, { ...sessionOptions('cpu', threads, graph.nodeCount), ...JSON.parse(values.options) })) : await loaded.runtime.createSession(graph.model, threads, graph.nodeCount);
  const random = new Random(7);
  const feeds: Record<string, ort.Tensor> = {};
  const into: Record<string, ort.Tensor> = {};
  for (const q of graph.parameters) {
    const size = q.shape.reduce((a, b) => a * b, 1);
    const fan = q.shape.length > 1 ? Math.sqrt(6 / (q.shape[0]! + q.shape[1]!)) * 2 : 0.02;
    feeds[`param:${q.id}`] = new ort.Tensor('float32', filled(size, random, fan), q.shape);
  }
  for (const id of graph.trainable) {
    const q = graph.parameters.find((p) => p.id === id)!;
    into[`grad:${id}`] = new ort.Tensor('float32', new Float32Array(q.shape.reduce((a, b) => a * b, 1)), q.shape);
  }
  const sample = INPUT_SHAPE[arch];
  const width = sample.reduce((a, b) => a * b, 1);
  const x = new Float32Array(batch * width);
  for (let i = 0; i < x.length; i++) x[i] = random.next();
  feeds[graph.data] = new ort.Tensor('float32', x, [batch, ...sample]);
  for (let i = 0; i < graph.termCount; i++) feeds[`weight:${i}`] = new ort.Tensor('float32', Float32Array.of(1), []);
  const run = () => session.run(feeds, into);
  for (let i = 0; i < 20; i++) await run();
  const times: number[] = [];
  const cpu: number[] = [];
  const system: number[] = [];
  for (let rep = 0; rep < Number(values.reps); rep++) {
    const started = performance.now();
    const used = process.cpuUsage();
    for (let i = 0; i < steps; i++) await run();
    times.push((performance.now() - started) / steps);
    const spent = process.cpuUsage(used);
    cpu.push((spent.user + spent.system) / 1000 / steps);
    system.push(spent.system / 1000 / steps);
  }
  if (inspected && values.profile) for (let i = 0; i < steps; i++) await inspected.run(feeds, { ...Object.fromEntries(inspected.outputNames.map((n) => [n, null])), ...into } as never);
  const nodes = countOps(graph.model);
  console.log(`${arch}: ${times.map((t) => t.toFixed(3)).join(' ')} ms/step (min ${Math.min(...times).toFixed(3)}; CPU time min ${Math.min(...cpu).toFixed(3)} ms/step, of which system ${Math.min(...system).toFixed(3)}), ${graph.nodeCount} nodes: ${nodes}`);
  if (inspected && values.profile) {
    inspected.endProfiling();
    // onnxruntime-node's endProfiling returns nothing: the file is the newest with the prefix
    const file = readdirSync('/tmp').filter((f) => f.startsWith(`step-profile-${arch}_`)).map((f) => `/tmp/${f}`).sort().at(-1)!;
    summarise(file);
    rmSync(file, { force: true });
  }
  await session.release();
  await inspected?.release();
}

function publicSession(session: ort.InferenceSession) {
  const fetchAll = Object.fromEntries(session.outputNames.map((n) => [n, null]));
  return { run: (feeds: Record<string, ort.Tensor>, into: Record<string, ort.Tensor>) => session.run(feeds, { ...fetchAll, ...into } as never), release: () => session.release() };
}

/** The step graph's ops by type, as the compiler emitted them (before ORT's optimisers). */
function countOps(model: Uint8Array): string {
  const text = Buffer.from(model).toString('latin1');
  const known = ['Gemm', 'Relu', 'Sign', 'Mul', 'Add', 'Sub', 'ReduceSum', 'Sigmoid', 'Reshape', 'Neg', 'Log', 'Abs', 'Div', 'Where', 'Greater', 'Expand'];
  return known.map((op) => [op, text.split(`\x22${String.fromCharCode(op.length)}${op}`).length - 1] as const).filter(([, n]) => n > 0).map(([op, n]) => `${op} ${n}`).join(', ');
}

interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string; input_type_shape?: Record<string, number[]>[] };
}

function summarise(file: string): void {
  const events = JSON.parse(readFileSync(file, 'utf8')) as ProfileEvent[];
  const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
  const modelRuns = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const runs = modelRuns.length;
  const sessionTime = modelRuns.reduce((a, e) => a + e.dur, 0);
  const byOp = new Map<string, number>();
  const byNode = new Map<string, number>();
  for (const e of kernels) {
    const op = e.args?.op_name ?? '?';
    byOp.set(op, (byOp.get(op) ?? 0) + e.dur);
    const shapes = (e.args?.input_type_shape ?? []).map((t) => `[${Object.values(t)[0]?.join('×')}]`).join(' ');
    const node = `${e.name.replace(/_kernel_time$/, '')} (${op} ${shapes})`;
    byNode.set(node, (byNode.get(node) ?? 0) + e.dur);
  }
  const total = [...byOp.values()].reduce((a, b) => a + b, 0);
  const perRun = (us: number) => `${(us / runs / 1000).toFixed(3)} ms`;
  console.log(`  kernel time ${perRun(total)} a run over ${runs} runs; ONNX Runtime's Run ${perRun(sessionTime)}`);
  for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1])) console.log(`    ${op.padEnd(20)} ${perRun(us)}  ${((100 * us) / total).toFixed(1)}%`);
  console.log('  top nodes:');
  for (const [node, us] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`    ${node.padEnd(64)} ${perRun(us)}`);
}

for (const arch of values.archs.split(',') as Arch[]) await measure(arch);
