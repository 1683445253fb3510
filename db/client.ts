import net from 'node:net';
import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import * as schema from './schema';

/**
 * The one database handle of a process. The app always talks PostgreSQL through the `postgres` driver:
 * either to a real server (DATABASE_URL) or to the embedded PGlite that the launcher serves on a local
 * socket (see db/embedded.ts and docs/ARCHITECTURE.md). Nothing connects at import time, so `next build`
 * never opens a database.
 */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** A database handle or an open transaction: domain functions take either. */
export type DbOrTx = Db | Tx;

type Handle = { db: Db; sql: postgres.Sql };
const g = globalThis as unknown as { __btDb?: Handle | null };

type SocketTarget = { host: string[]; port: number[]; path?: string | false };

/**
 * TCP sockets without Nagle's algorithm (as node-postgres does): postgres.js leaves it on, and then a small
 * message written right after a large one (the end of a COPY, the next query) waits for the server's delayed
 * ACK — about 40 ms on Linux, which was a quarter of a telemetry batch's time.
 */
function noDelaySocket(): (o: SocketTarget) => net.Socket {
  let next = 0;
  return (o) => {
    // Returned while connecting, like postgres.js's own socket: its 'error' and 'close' handlers then see a
    // refused or failed connection exactly as they would otherwise (and retry).
    const socket = new net.Socket();
    socket.setNoDelay(true);
    if (o.path) socket.connect(o.path);
    else {
      const i = next++ % o.host.length;
      socket.connect(o.port[i] ?? o.port[0], o.host[i]);
    }
    return socket;
  };
}

export function connect(url: string, opts: { max?: number } = {}): Handle {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    // not in postgres.js's typings, but supported: it is given the parsed options and returns the socket
    ...({ socket: noDelaySocket() } as object),
    connection: { TimeZone: 'UTC', application_name: 'bir-tereze' },
    // bigint (int8) as JS number where safe is not guaranteed: keep them strings unless mapped in schema
  });
  return { db: drizzle(sql, { schema, casing: 'snake_case' }), sql };
}

function fromEnv(): Handle {
  if (process.env.NEXT_PHASE === 'phase-production-build') {
    throw new Error('The database must not be opened during `next build`: make the page dynamic.');
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set. Start the portal with `npm start` (it serves the embedded PGlite) or set DATABASE_URL=postgres://…',
    );
  }
  const embedded = ['1', 'true'].includes(process.env.DB_EMBEDDED ?? '');
  const max = Number(process.env.DB_POOL_MAX) || (embedded ? 1 : 10);
  return connect(url, { max });
}

function handle(): Handle {
  if (!g.__btDb) g.__btDb = fromEnv();
  return g.__btDb;
}

/** The process's Drizzle database. */
export function getDb(): Db {
  return handle().db;
}

/** The process's raw `postgres` client (bulk COPY, LISTEN, advisory locks). */
export function getSql(): postgres.Sql {
  return handle().sql;
}

/** Replace the process's database (tests, CLIs). Pass null to forget it. */
export function setDb(h: Handle | null): void {
  g.__btDb = h;
}

export async function closeDb(): Promise<void> {
  const h = g.__btDb;
  g.__btDb = null;
  if (h) await h.sql.end({ timeout: 5 });
}

export { schema };
