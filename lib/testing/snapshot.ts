import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { connect } from '@/db/client';
import { openMemory } from '@/db/embedded';
import { MIGRATIONS_DIR, runMigrations } from '@/db/migrate';

function migrationsHash(): string {
  const h = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else h.update(name).update(fs.readFileSync(p));
    }
  };
  walk(MIGRATIONS_DIR);
  return h.digest('hex').slice(0, 16);
}

/** A migrated PGlite data directory, cached by the migrations' hash. Returns the tarball's path. */
export async function ensurePgliteSnapshot(): Promise<string> {
  const dir = path.join(process.cwd(), 'node_modules', '.cache', 'bt-pglite');
  const file = path.join(dir, `${migrationsHash()}.tar`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const server = await openMemory();
  const h = connect(server.url, { max: 1 });
  try {
    await runMigrations(h.db);
  } finally {
    await h.sql.end();
  }
  const dump = await server.db.dumpDataDir('none');
  await server.close();
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, file);
  return file;
}
