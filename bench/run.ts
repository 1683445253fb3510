/**
 * `npm run bench`: runs every bench/*.bench.ts in name order, one at a time (each in its own process, so
 * figures are not disturbed by the others), and prints their output. Each bench prints lines
 * `BENCH <name> <value> <unit>`; a summary of those lines ends the run. Exits non-zero if a bench fails.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = path.dirname(new URL(import.meta.url).pathname);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();

// Database benchmarks need a real PostgreSQL server: the local one unless told otherwise.
const env = { ...process.env };
if (!env.DATABASE_URL && !env.TEST_DATABASE_URL) {
  env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
  console.log(`(database benchmarks use ${env.TEST_DATABASE_URL}; set TEST_DATABASE_URL to change it)`);
}

const figures: string[] = [];
let failed = 0;
for (const file of files) {
  console.log(`== ${file}`);
  const r = spawnSync('npx', ['tsx', path.join(dir, file)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env });
  process.stdout.write(r.stdout ?? '');
  for (const line of (r.stdout ?? '').split('\n')) if (line.startsWith('BENCH ')) figures.push(line);
  if (r.status !== 0) {
    failed++;
    console.error(`${file} failed (exit ${r.status ?? r.signal})`);
  }
}
console.log('\n== summary');
for (const line of figures) console.log(line);
if (failed) process.exit(1);
