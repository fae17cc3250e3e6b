// Worker threads do not inherit the main thread's TypeScript loader: register tsx here, then load
// the worker itself. The rules it evaluates beside the screening's thread are off its critical path.
import { register } from 'tsx/esm/api';
import { lowerThreadPriority } from '../util/background-priority.mjs';

lowerThreadPriority();
register();
await import('./rule-worker.ts');
