import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/**
 * The embedded PostgreSQL (PGlite) behind a local PostgreSQL socket.
 *
 * PGlite is single-connection and its data directory must never be opened by two processes. One process
 * (the launcher of `npm start`, or a CLI when no launcher runs) owns the directory, holds a lock file
 * beside it naming its pid and port, and serves the database on 127.0.0.1 through
 * @electric-sql/pglite-socket. The Next.js server it starts connects to that socket with the ordinary
 * `postgres` driver. Command-line tools (`npm run db:seed`, `npm run audit:verify`) open the directory
 * themselves when the portal is stopped, and refuse with a clear message while it runs (the socket serves
 * one session: PGlite is single-session).
 */
export type EmbeddedServer = { url: string; port: number; close: () => Promise<void>; db: PGlite };

export const PGLITE_USER_URL = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;

type LockInfo = { pid: number; port: number; startedAt: string };

function lockPath(dataDir: string) {
  return path.join(dataDir, 'pglite.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running owner of `dataDir`, if any. */
export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
    if (info.pid === process.pid) return info;
    return alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

async function serve(db: PGlite, port: number) {
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  // One client connection at a time: PGlite is single-session, so clients use a pool of one.
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 1 } as ConstructorParameters<
    typeof PGLiteSocketServer
  >[0]);
  await server.start();
  const address = (server as unknown as { server?: { address(): { port: number } | string | null } }).server?.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { server, port: actual };
}

/**
 * Opens PGlite on `dataDir/pglite` (created on first use) and serves it. Refuses when another live process
 * owns the directory.
 */
export async function openEmbedded(dataDir: string, port = 0): Promise<EmbeddedServer> {
  fs.mkdirSync(dataDir, { recursive: true });
  const owner = readLock(dataDir);
  if (owner && owner.pid !== process.pid) {
    throw new Error(
      `The embedded database in ${dataDir} is already open by process ${owner.pid} (port ${owner.port}); connect to it instead of opening it twice.`,
    );
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(path.join(dataDir, 'pglite'));
  const { server, port: actual } = await serve(db, port);
  fs.writeFileSync(lockPath(dataDir), JSON.stringify({ pid: process.pid, port: actual, startedAt: new Date().toISOString() }));
  let closed = false;
  return {
    url: PGLITE_USER_URL(actual),
    port: actual,
    db,
    close: async () => {
      if (closed) return;
      closed = true;
      await server.stop();
      await db.close();
      try {
        if (readLock(dataDir)?.pid === process.pid) fs.unlinkSync(lockPath(dataDir));
      } catch {
        /* already gone */
      }
    },
  };
}

/** An in-memory PGlite (optionally loaded from a data-dir snapshot), served on a free port. Tests use it. */
export async function openMemory(snapshot?: Blob | File): Promise<EmbeddedServer> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(snapshot ? { loadDataDir: snapshot } : {});
  const { server, port } = await serve(db, 0);
  return {
    url: PGLITE_USER_URL(port),
    port,
    db,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * For CLIs: the URL of the database to use. DATABASE_URL if set; else open the embedded directory here (and
 * close it when done) — refused while the portal runs on it.
 */
export async function resolveDatabase(dataDir: string): Promise<{ url: string; embedded: boolean; close: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, close: async () => {} };
  const owner = readLock(dataDir);
  if (owner && owner.pid !== process.pid) {
    // The running portal holds the embedded database's only session; a second client would be refused
    // (PGlite is single-session) and a second opener would corrupt the directory.
    throw new Error(
      `The portal (process ${owner.pid}) is running on the embedded database in ${dataDir}. ` +
        'Stop it first (Ctrl-C in its terminal), or use the operator pages (e.g. /admin/audit verifies the audit chain), ' +
        'or run the portal on a PostgreSQL server (DATABASE_URL), where tools and the portal can run together.',
    );
  }
  const server = await openEmbedded(dataDir);
  return { url: server.url, embedded: true, close: server.close };
}
