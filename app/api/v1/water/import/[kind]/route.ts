import { getDb } from '@/db/client';
import { importRoute } from '@/lib/water/weather/http';

/** Issue 6 part 5: CSV import of hourly history or weather (text/csv body). */
export const dynamic = 'force-dynamic';
export const POST = importRoute({
  db: getDb,
  principal: async () => (await import('@/lib/auth/principal')).getPrincipal(),
});
