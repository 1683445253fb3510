import { seed } from '@/db/seed/all';
import { withCliDb } from './db';

withCliDb(async (db) => {
  const ran = await seed(db, { force: process.argv.includes('--force'), log: console.log });
  console.log(ran.length ? `Seeded: ${ran.join(', ')}` : 'Nothing to seed: the database is up to date.');
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
