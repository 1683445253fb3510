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

/** Errors that mean the session is gone (killed backend, server restart, network, client ended). */
export function connectionLost(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code.startsWith('CONNECTION_') || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT' || code.startsWith('57P'))
  );
}

/** Raised (inside the callback only) by a statement issued through a transaction whose session is gone. */
export class TransactionSessionLost extends Error {
  code = 'TRANSACTION_SESSION_LOST';
  constructor() {
    super('The transaction\'s database session was lost: its statements are not run (the transaction is retried by the caller).');
  }
}

const NEVER = new Promise<never>(() => {});
type TxState = { lost: boolean };
type AnySql = postgres.Sql & postgres.TransactionSql;
type QueryLike = Promise<unknown> & { handler: ((q: QueryLike) => unknown) & { debug?: unknown }; reject: (e: unknown) => void };

/**
 * Watches a statement of a transaction: its failure by a lost session marks the transaction lost (this handler is
 * registered before the caller's await, so it runs first), and it is never sent once the transaction is lost (the
 * check is made when postgres.js sends it, not when it is built).
 */
function watch<T>(q: T, state: TxState): T {
  const x = q as unknown as QueryLike;
  if (!(x instanceof Promise) || typeof x.handler !== 'function') return q; // sql(value) helpers, fragments
  const send = x.handler;
  const guarded = ((y: QueryLike) => (state.lost ? y.reject(new TransactionSessionLost()) : send(y))) as QueryLike['handler'];
  guarded.debug = send.debug;
  x.handler = guarded;
  // Promise.prototype.then: postgres.js's own then() would send the statement now.
  Promise.prototype.then.call(x, undefined, (e: unknown) => {
    if (connectionLost(e)) state.lost = true;
  });
  return q;
}

/** The callback's result, or — once the session is lost — a promise that never settles (see guardTransactions). */
function settle<T>(run: () => T | Promise<T>, state: TxState): Promise<T> {
  let r: unknown;
  try {
    r = run();
  } catch (e) {
    r = Promise.reject(e);
  }
  return Promise.resolve(Array.isArray(r) ? Promise.all(r) : r).then(
    (v) => (state.lost ? NEVER : (v as T)),
    (e) => {
      if (state.lost) return NEVER;
      throw e;
    },
  );
}

/** A transaction's `sql` whose statements and savepoints refuse to run once the transaction's session is lost. */
function guardTx(tx: AnySql, state: TxState): AnySql {
  return new Proxy(tx, {
    apply(target, self, args) {
      if (state.lost) throw new TransactionSessionLost();
      return watch(Reflect.apply(target, self, args), state);
    },
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (prop === 'unsafe' || prop === 'file') {
        return (...args: unknown[]) => {
          if (state.lost) throw new TransactionSessionLost();
          return watch((v as (...a: unknown[]) => unknown)(...args), state);
        };
      }
      if (prop === 'savepoint') {
        return (...args: unknown[]) => {
          if (state.lost) throw new TransactionSessionLost();
          const fn = args.pop() as (s: AnySql) => unknown;
          return (v as (...a: unknown[]) => Promise<unknown>)(...args, (inner: AnySql) => settle(() => fn(guardTx(inner, state)), state));
        };
      }
      return v;
    },
  });
}

/**
 * Every transaction of the app (drizzle `db.transaction`, `sql.begin`) through a guard against postgres.js 3.4.9's
 * reconnect-in-transaction bugs (porsager/postgres #1208, #1215, #1216, #1154 — fixed in no release yet). When the
 * session of a transaction dies (backend terminated, server restarted), `begin` rejects at once, but the callback
 * keeps running: postgres.js would send its later statements — and its own COMMIT or ROLLBACK when the callback
 * settles — on the pooled connection object after it has reconnected, i.e. outside the transaction or inside
 * another request's. The guard marks the transaction lost (a statement of it failed by a lost session, or `begin`
 * rejected so), then refuses every later statement of it (TransactionSessionLost, before anything is sent), and
 * parks the callback — its result never reaches postgres.js, so no COMMIT or ROLLBACK is sent for it. The caller
 * sees `begin`'s rejection (CONNECTION_CLOSED, 57P01 …) and retries. A parked callback holds only memory.
 */
export function guardTransactions(sql: postgres.Sql): postgres.Sql {
  const begin = (options: unknown, fn?: unknown): Promise<unknown> => {
    const [opts, cb] = typeof options === 'function' ? ['', options] : [options, fn];
    const state: TxState = { lost: false };
    const run = cb as (tx: AnySql) => unknown;
    const done = (sql.begin as (o: unknown, f: (tx: AnySql) => unknown) => Promise<unknown>)(opts, (tx) =>
      settle(() => run(guardTx(tx, state)), state),
    );
    done.catch((e) => {
      if (connectionLost(e)) state.lost = true;
    });
    return done;
  };
  return new Proxy(sql, {
    get(target, prop) {
      return prop === 'begin' ? begin : Reflect.get(target, prop, target);
    },
  });
}

export function connect(url: string, opts: { max?: number } = {}): Handle {
  const raw = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    // not in postgres.js's typings, but supported: it is given the parsed options and returns the socket
    ...({ socket: noDelaySocket() } as object),
    connection: { TimeZone: 'UTC', application_name: 'bir-tereze' },
    // bigint (int8) as JS number where safe is not guaranteed: keep them strings unless mapped in schema
  });
  const sql = guardTransactions(raw);
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
