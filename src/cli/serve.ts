/** `vib serve [--db PATH] [--port N]`: the review app on 127.0.0.1 (never on other interfaces). */
import { openEngine } from '../db/open-engine.ts';
import { buildApp } from '../web/server.ts';
import { parse } from './args.ts';

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { db: { type: 'string' }, port: { type: 'string' } });
  const engine = await openEngine(values.db);
  const app = await buildApp({ engine });
  const address = await app.listen({ host: '127.0.0.1', port: Number(values.port ?? 8080) });
  process.stdout.write(`Vastgoed in Beeld review: ${address}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  await engine.close();
  return 0;
}
