import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { jsonRoute } from '@/lib/http/route';
import { now } from '@/lib/time/clock';
import { formatAstana } from '@/lib/time/astana';

/** Liveness and database check. 200 when the database answers, 503 ('degraded') when it does not. */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

async function databaseUp(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database check timed out')), 3000);
    });
    await Promise.race([getDb().execute(sql`select 1`), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export const GET = jsonRoute({}, async ({ locale }) => {
  const db = (await databaseUp()) ? 'ok' : 'down';
  const at = now();
  const body = {
    status: db === 'ok' ? 'ok' : 'degraded',
    db,
    time: at.toISOString(),
    astana: formatAstana(at, locale, { seconds: true }),
  };
  return Response.json(body, { status: db === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
