/** `vib verify [--db PATH]`: walks the hash chain of all runs and reports any break. */
import { openEngine } from '../db/open-engine.ts';
import { verifyChain } from '../audit/verify-chain.ts';
import { parse } from './args.ts';

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { db: { type: 'string' } });
  const engine = await openEngine(values.db);
  try {
    const { runs, breaks } = await verifyChain(engine.db);
    for (const b of breaks) process.stdout.write(`BREAK ${b.pipeline} ${b.run_id}: ${b.problem}\n`);
    process.stdout.write(breaks.length ? `${breaks.length} break(s) in ${runs} runs\n` : `chain intact: ${runs} runs\n`);
    return breaks.length ? 1 : 0;
  } finally {
    await engine.close();
  }
}
