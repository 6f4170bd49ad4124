// Every runtime test runs on the pure-JS cpu backend, set up as `ae train --backend cpu` does it:
// gradients registered and the runtime's kernel fixes in place (selectBackend).
import '@tensorflow/tfjs-backend-cpu';
import { selectBackend } from '../../runtime/backends/index.js';

export async function useCpu(): Promise<void> {
  await selectBackend('cpu');
}
