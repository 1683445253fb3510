import crypto from 'node:crypto';
import fs from 'node:fs';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { connect, setDb, type Db } from '@/db/client';
import { openMemory } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';

export type TestDatabase = { db: Db; sql: postgres.Sql; url: string; kind: 'pglite' | 'postgres'; close: () => Promise<void> };

/**
 * A fresh, migrated database: an in-memory PGlite by default, or a uniquely named database on the
 * server in TEST_DATABASE_URL (created here and dropped on close).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `bt_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const h = connect(url.toString(), { max: 10 });
    await runMigrations(h.db);
    return {
      ...h,
      url: url.toString(),
      kind: 'postgres',
      close: async () => {
        await h.sql.end({ timeout: 5 });
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const snapshotPath = inject('pgliteSnapshot');
  const snapshot = snapshotPath ? new Blob([fs.readFileSync(snapshotPath)]) : undefined;
  const server = await openMemory(snapshot);
  const h = connect(server.url, { max: 1 });
  if (!snapshot) await runMigrations(h.db);
  return {
    ...h,
    url: server.url,
    kind: 'pglite',
    close: async () => {
      await h.sql.end({ timeout: 5 });
      await server.close();
    },
  };
}

/**
 * Gives the test file its own fresh database and installs it as the process's database (`getDb()`).
 * Use at the top of an integration test file: `const t = useTestDb();` then `t.db` inside tests.
 */
export function useTestDb(): TestDatabase {
  let current: TestDatabase | null = null;
  beforeAll(async () => {
    current = await createTestDatabase();
    setDb({ db: current.db, sql: current.sql });
  });
  afterAll(async () => {
    setDb(null);
    await current?.close();
  });
  return new Proxy({} as TestDatabase, {
    get(_t, prop) {
      if (!current) throw new Error('useTestDb: the database is ready only inside tests and hooks');
      return current[prop as keyof TestDatabase];
    },
  });
}
