/** Worker thread of party linking: the {@link nameFacts} of each page of names it is sent. */
import { parentPort } from 'node:worker_threads';
import { nameFacts } from './name-facts.ts';

export interface NameFactsJob { id: number; names: string[] }

parentPort!.on('message', (job: NameFactsJob) => {
  const facts = nameFacts(job.names);
  parentPort!.postMessage({ id: job.id, facts });
});
