import { describe, expect, it } from 'vitest';
import { BACKENDS_BEST_FIRST, selectBackend, type BackendName } from '../../runtime/backends/index.js';
import { modelDisagreements, modelsUnderTest, shardOf } from './models.js';

/** The backends besides cpu that load on this machine (wasm here; webgpu or tensorflow where installed). */
async function loadedBackends(): Promise<BackendName[]> {
  const loaded: BackendName[] = [];
  for (const name of BACKENDS_BEST_FIRST.filter((b) => b !== 'cpu')) {
    if (await selectBackend(name).then(() => true, () => false)) loaded.push(name);
  }
  await selectBackend('cpu');
  return loaded;
}

export const MODEL_SHARDS = 2;

/**
 * Shard `shard` of every model of specs/ and examples/ (models.ts), training and inference, on
 * every backend that loads here against cpu. The models are split over MODEL_SHARDS test files
 * so that vitest runs them on parallel workers.
 */
export async function modelConformanceSuite(shard: number): Promise<void> {
  const all = modelsUnderTest();
  const models = shardOf(all, shard, MODEL_SHARDS);
  const backends = await loadedBackends();

  describe(`every model computes the same on every backend as on cpu (shard ${shard + 1} of ${MODEL_SHARDS})`, () => {
    it('has its share of the models, and at least wasm to compare', () => {
      expect(all.length).toBeGreaterThan(75);
      expect(models.length).toBeGreaterThan(all.length / (2 * MODEL_SHARDS));
      expect(backends).toContain('wasm');
    });

    for (const backend of backends) {
      for (const model of models) {
        it(`${backend}: ${model.name}`, async () => {
          expect(await modelDisagreements(model, backend)).toEqual([]);
        });
      }
    }
  });
}
