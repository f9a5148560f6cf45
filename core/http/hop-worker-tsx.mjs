// The outbound thread's script when running from the TypeScript sources (tests, `node --import tsx`): a worker
// does not get tsx's loader from --import in time for its own entry module, so it registers it, then loads the
// worker (hop-worker.ts). Bundles build hop-worker.ts into a script beside them instead (bin/node-bundle.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./hop-worker.ts');
