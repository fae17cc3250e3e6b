// Worker threads do not inherit the main thread's TypeScript loader: register tsx here, then load
// the worker itself.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';
import { lowerThreadPriority } from './background-priority.mjs';

if (workerData?.background) lowerThreadPriority();
register();
await import('./hash-worker.ts');
