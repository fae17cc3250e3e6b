// Lowers the calling thread's scheduling priority, for a worker thread whose work is off the
// screening's critical path (the party references read beside party linking, whose name thread the
// main thread waits for; the checkpointer; the hashing of the inputs): on two cores it then takes the
// time the critical threads leave idle instead of time slices from them. Linux only: there nice
// values are per thread, and os.setPriority(0, …) sets the calling thread's (elsewhere it would lower
// the whole process). Plain JavaScript, for the threads that start without a TypeScript loader.
import { setPriority } from 'node:os';

/**
 * The nice value of a background thread: the scheduler then weighs it at about a tenth of a thread
 * at 0 while both want the core, and gives it the whole core when nothing else does.
 */
export const BACKGROUND_NICE = 10;

export function lowerThreadPriority() {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, BACKGROUND_NICE);
  } catch {
    // Not allowed (a sandbox without setpriority): the thread runs at normal priority, only slower.
  }
}
