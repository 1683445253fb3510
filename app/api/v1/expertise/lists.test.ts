/**
 * GET /api/v1/expertise/applications and /api/v1/expertise/queue through their route handlers, with real Auth.js
 * session cookies (the JWT a sign-in issues, encrypted with AUTH_SECRET) and a real database. X-11, E-21, X-8.
 */
import { eq } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { createDraft, submitApplication } from '@/lib/expertise';
import { makeConfig, makeDraft, makeExpertOrg, makeOrg, makeSig, makeUser } from '@/lib/expertise/test-fixtures';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { GET as listGET } from './applications/route';
import { GET as queueGET } from './queue/route';

const t = useTestDb();
const SECRET = 'test-secret-for-the-expertise-lists-0123456789';
const saved = process.env.AUTH_SECRET;
let alice: Principal;
let bob: Principal;
let stranger: Principal;
let expertA: { orgId: string; expert: Principal };
let expertB: { orgId: string; expert: Principal };
const registered: string[] = [];

async function cookie(p: Principal, opts: { secure?: boolean; sv?: number } = {}): Promise<string> {
  const name = opts.secure ? '__Secure-authjs.session-token' : 'authjs.session-token';
  const [u] = await t.db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, p.userId));
  const token = await encode({ token: { name: p.fullName, sub: p.userId, uid: p.userId, sv: opts.sv ?? u.sv }, secret: SECRET, salt: name });
  return `${name}=${token}`;
}

function get(path: string, cookieHeader?: string) {
  return new Request(`http://localhost/api/v1/expertise/${path}`, { headers: { 'accept-language': 'en', ...(cookieHeader ? { cookie: cookieHeader } : {}) } });
}

type ListBody = { items: { id: string; objectName: string | null; status: string; deadlines?: { kind: string }[]; overdue?: boolean }[]; nextCursor: string | null };

beforeAll(async () => {
  process.env.AUTH_SECRET = SECRET;
  await makeConfig(t.db, 'cat_working', 'working');
  expertA = await makeExpertOrg(t.db, 'APIA');
  expertB = await makeExpertOrg(t.db, 'APIB');
  const builder = await makeOrg(t.db, 'Builder API LLP');
  alice = await makeUser(t.db, ['applicant', 'employee'], builder);
  bob = await makeUser(t.db, ['applicant', 'employee'], builder);
  stranger = await makeUser(t.db, ['applicant']);
  for (let i = 0; i < 3; i++) {
    setClock(new Date(Date.UTC(2026, 5, 1 + i, 5)));
    const who = i === 1 ? bob : alice;
    const { draft } = await makeDraft(t.db, who, expertA.orgId, { objectName: `api ${i}` });
    await submitApplication(t.db, who, { applicationId: draft.id }, { signatureId: await makeSig(t.db, who) });
    registered.unshift(draft.id);
  }
  setClock(new Date(Date.UTC(2026, 5, 5, 5)));
  await createDraft(t.db, stranger, { objectName: 'stranger draft' });
  setClock(null);
});

afterAll(() => {
  if (saved === undefined) delete process.env.AUTH_SECRET;
  else process.env.AUTH_SECRET = saved;
});

describe('GET /api/v1/expertise/applications', () => {
  it('X-11 the signed-in applicant gets its own and its organisation’s applications, newest first, in cursor pages', async () => {
    const c = await cookie(bob);
    const first = await listGET(get('applications?limit=2', c));
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    const p1 = (await first.json()) as ListBody;
    expect(p1.items.map((a) => a.objectName)).toEqual(['api 2', 'api 1']);
    const p2 = (await (await listGET(get(`applications?limit=2&cursor=${p1.nextCursor}`, c))).json()) as ListBody;
    expect(p2.items.map((a) => a.objectName)).toEqual(['api 0']);
    expect(p2.nextCursor).toBeNull();
    const mine = (await (await listGET(get('applications', await cookie(stranger)))).json()) as ListBody;
    expect(mine.items.map((a) => a.objectName)).toEqual(['stranger draft']);
  });

  it('X-11 signed out → 401, an expert without the applicant’s rights → 403, a bad query → 400 with the fields', async () => {
    expect((await listGET(get('applications'))).status).toBe(401);
    expect((await listGET(get('applications', 'authjs.session-token=garbage'))).status).toBe(401);
    const forbidden = await listGET(get('applications', await cookie(expertA.expert)));
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe('forbidden');
    const bad = await listGET(get('applications?limit=0&cursor=%3Cscript%3E', await cookie(alice)));
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error.code).toBe('bad_request');
    expect(Object.keys(body.error.fields)).toEqual(expect.arrayContaining(['limit', 'cursor']));
    // A well-formed but forged cursor is refused the same way, never a 500.
    const forged = await listGET(get(`applications?cursor=${Buffer.from('x|y').toString('base64url')}`, await cookie(alice)));
    expect(forged.status).toBe(400);
  });

  it('X-8 a session whose version was bumped (deactivation, forced sign-out) is refused at once', async () => {
    const c = await cookie(alice);
    expect((await listGET(get('applications', c))).status).toBe(200);
    await t.db.update(users).set({ sessionVersion: 99 }).where(eq(users.id, alice.userId));
    try {
      expect((await listGET(get('applications', c))).status).toBe(401);
      expect((await listGET(get('applications', await cookie(alice, { secure: true })))).status).toBe(200);
    } finally {
      await t.db.update(users).set({ sessionVersion: 1 }).where(eq(users.id, alice.userId));
    }
  });
});

describe('GET /api/v1/expertise/queue', () => {
  it('E-21 X-11 the expert organisation’s queue holds its applications only, each with its open deadlines, filtered by status', async () => {
    const c = await cookie(expertA.expert);
    const res = await queueGET(get('queue?limit=2', c));
    expect(res.status).toBe(200);
    const p1 = (await res.json()) as ListBody;
    expect(p1.items.map((a) => a.id)).toEqual(registered.slice(0, 2));
    expect(p1.items[0].deadlines!.map((d) => d.kind)).toEqual(['completeness']);
    expect(typeof p1.items[0].overdue).toBe('boolean');
    const p2 = (await (await queueGET(get(`queue?limit=2&cursor=${p1.nextCursor}`, c))).json()) as ListBody;
    expect(p2.items.map((a) => a.id)).toEqual(registered.slice(2));
    const filtered = (await (await queueGET(get('queue?status=remarks_issued', c))).json()) as ListBody;
    expect(filtered.items).toEqual([]);
    const other = (await (await queueGET(get('queue', await cookie(expertB.expert)))).json()) as ListBody;
    expect(other.items).toEqual([]);
  });

  it('X-11 an applicant → 403, signed out → 401, a draft status or unknown filter → 400', async () => {
    expect((await queueGET(get('queue'))).status).toBe(401);
    expect((await queueGET(get('queue', await cookie(alice)))).status).toBe(403);
    const c = await cookie(expertA.expert);
    for (const q of ['status=draft', 'status=whatever', 'limit=101', 'limit=abc', 'status=registered&status=incomplete']) {
      const res = await queueGET(get(`queue?${q}`, c));
      expect(res.status, q).toBe(400);
      expect((await res.json()).error.code).toBe('bad_request');
    }
  });
});
