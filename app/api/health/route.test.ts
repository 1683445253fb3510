import { afterAll, describe, expect, it } from 'vitest';
import { connect, setDb } from '@/db/client';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { GET } from './route';

 
const t = useTestDb();
afterAll(() => setClock(null));

describe('/api/health', () => {
  it('X-1 answers ok with the database up, the instant in UTC and in Astana time', async () => {
    setClock('2026-03-10T19:05:00Z');
    const res = await GET(new Request('http://localhost/api/health', { headers: { 'accept-language': 'en' } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      db: 'ok',
      time: '2026-03-10T19:05:00.000Z',
      astana: '11.03.2026 00:05:00 (Astana, UTC+5)',
    });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it("reports db 'down' with 503 when the database does not answer", async () => {
    const dead = connect('postgres://postgres@127.0.0.1:1/nothing', { max: 1 });
    setDb(dead);
    try {
      const res = await GET(new Request('http://localhost/api/health'));
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'degraded', db: 'down' });
    } finally {
      setDb({ db: t.db, sql: t.sql });
      await dead.sql.end({ timeout: 1 });
    }
  });
});
