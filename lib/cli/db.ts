import path from 'node:path';
import { connect, setDb, type Db } from '@/db/client';
import { resolveDatabase } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { EnvError, parseEnv } from '@/lib/env';

/**
 * Runs `fn` with the project's database for a command-line tool: DATABASE_URL, else the running
 * `npm start`'s embedded database through its socket, else the embedded directory opened here.
 */
export async function withCliDb<T>(fn: (db: Db) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  let env;
  try {
    env = parseEnv();
  } catch (e) {
    if (e instanceof EnvError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  let target;
  try {
    target = await resolveDatabase(path.resolve(process.cwd(), env.DATA_DIR));
  } catch (e) {
    console.error(`✖ ${(e as Error).message}`);
    process.exit(1);
  }
  const h = connect(target.url, { max: target.embedded ? 1 : 4 });
  setDb(h);
  try {
    if (opts.migrate !== false) await runMigrations(h.db);
    return await fn(h.db);
  } finally {
    setDb(null);
    await h.sql.end({ timeout: 5 });
    await target.close();
  }
}
