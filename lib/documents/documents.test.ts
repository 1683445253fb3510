import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settings, uploads } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { makeUser } from '@/lib/expertise/test-fixtures';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { createUploadHandler, FileStore, getOwnUpload, getUploadSettings, UPLOAD_SETTING_KEYS } from './index';

const t = useTestDb();
let dir: string;
let store: FileStore;
let handler: (req: Request) => Promise<Response>;
let alice: Principal;
let bob: Principal;
const BASE = 'http://portal.test/api/uploads';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

/** The test's "session": the principal named by the x-test-user header. */
function req(method: string, url: string, user: Principal | null, headers: Record<string, string> = {}, body?: Uint8Array): Request {
  return new Request(url, {
    method,
    headers: { 'Tus-Resumable': '1.0.0', ...(user ? { 'x-test-user': user.userId } : {}), ...headers },
    body: body ? Buffer.from(body) : undefined,
  });
}

async function create(user: Principal, size: number, name = 'design.pdf'): Promise<{ res: Response; url: string }> {
  const res = await handler(req('POST', BASE, user, { 'Upload-Length': String(size), 'Upload-Metadata': `filename ${b64(name)},filetype ${b64('application/pdf')}` }));
  const loc = res.headers.get('location') ?? '';
  return { res, url: new URL(loc, BASE).toString() };
}

const patch = (user: Principal | null, url: string, offset: number, chunk: Uint8Array) =>
  handler(req('PATCH', url, user, { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' }, chunk));

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bt-docs-'));
  store = new FileStore(path.join(dir, 'files'));
  alice = await makeUser(t.db, ['individual']);
  bob = await makeUser(t.db, ['individual']);
  const users = new Map([alice, bob].map((p) => [p.userId, p]));
  handler = createUploadHandler({
    db: t.db,
    store,
    directory: path.join(dir, 'uploads'),
    principal: async (r) => users.get(r.headers.get('x-test-user') ?? '') ?? null,
  });
  setClock(() => new Date('2026-03-02T04:00:00Z'));
});

afterAll(async () => {
  setClock(null);
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('file store', () => {
  it('X-5 stores a file once under its SHA-256 and reads it back', async () => {
    const bytes = Buffer.from('the design documentation');
    const a = await store.put(bytes);
    expect(a.sha256).toBe(sha256(bytes));
    expect(a.storageKey).toBe(`sha256/${a.sha256.slice(0, 2)}/${a.sha256.slice(2, 4)}/${a.sha256}`);
    const b = await store.put(bytes);
    expect(b).toEqual(a);
    expect(await store.stat(a.sha256)).toEqual({ size: bytes.length });
    const chunks: Buffer[] = [];
    for await (const c of await store.get(a.sha256)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('the design documentation');
    expect(await store.stat('0'.repeat(64))).toBeNull();
    expect(() => FileStore.keyOf('../etc/passwd')).toThrow();
  });
});

describe('tus uploads', () => {
  it('E-16 a file larger than the part size uploads in resumable parts and resumes after interruption', async () => {
    const file = crypto.randomBytes(300_000);
    const part = 100_000;
    const { res, url } = await create(alice, file.length);
    expect(res.status).toBe(201);

    // Part 1.
    let r = await patch(alice, url, 0, file.subarray(0, part));
    expect(r.status).toBe(204);
    expect(r.headers.get('upload-offset')).toBe(String(part));

    // The connection drops in the middle of part 2: only some bytes arrive.
    const partial = file.subarray(part, part + 40_000);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(partial));
        c.error(new Error('connection dropped'));
      },
    });
    const dropped = await handler(
      new Request(url, {
        method: 'PATCH',
        headers: { 'Tus-Resumable': '1.0.0', 'x-test-user': alice.userId, 'Upload-Offset': String(part), 'Content-Type': 'application/offset+octet-stream' },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(dropped.status).toBeGreaterThanOrEqual(400);

    // The client asks where to resume (HEAD) and sends the rest from there.
    const head = await handler(req('HEAD', url, alice));
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBeGreaterThanOrEqual(part);
    expect(offset).toBeLessThan(part * 2);
    expect(head.headers.get('upload-length')).toBe(String(file.length));

    // A PATCH at a wrong offset is refused (409): the client must resume where the server is.
    r = await patch(alice, url, 0, file.subarray(0, 10));
    expect(r.status).toBe(409);

    let at = offset;
    while (at < file.length) {
      const next = Math.min(at + part, file.length);
      r = await patch(alice, url, at, file.subarray(at, next));
      expect(r.status).toBe(204);
      at = next;
    }
    const digest = sha256(file);
    expect(r.headers.get('upload-sha256')).toBe(digest);
    const recordId = r.headers.get('upload-record-id')!;
    const row = await getOwnUpload(t.db, alice, recordId);
    expect(row).toMatchObject({ ownerUserId: alice.userId, fileName: 'design.pdf', size: file.length, sha256: digest, contentType: 'application/pdf' });
    expect(await getOwnUpload(t.db, bob, recordId)).toBeNull();
    // The bytes in the store are exactly the file.
    const stored = await fsp.readFile(store.pathOf(digest));
    expect(stored.equals(file)).toBe(true);
  });

  it('E-16 an upload is bound to its owner: another user cannot resume, read or delete it', async () => {
    const { url } = await create(alice, 10);
    expect((await handler(req('HEAD', url, bob))).status).toBe(404);
    expect((await patch(bob, url, 0, Buffer.from('0123456789'))).status).toBe(404);
    expect((await handler(req('DELETE', url, bob))).status).toBe(404);
    expect((await handler(req('HEAD', url, alice))).headers.get('upload-offset')).toBe('0');
    // The client cannot claim another owner through its metadata.
    const res = await handler(
      req('POST', BASE, bob, { 'Upload-Length': '3', 'Upload-Metadata': `filename ${b64('x.pdf')},owner ${b64(alice.userId)}` }),
    );
    const bobUrl = new URL(res.headers.get('location')!, BASE).toString();
    expect((await handler(req('HEAD', bobUrl, alice))).status).toBe(404);
    expect((await handler(req('HEAD', bobUrl, bob))).status).toBe(200);
  });

  it('E-16 signed-out requests are refused with 401', async () => {
    const res = await handler(req('POST', BASE, null, { 'Upload-Length': '10', 'Upload-Metadata': `filename ${b64('a.pdf')}` }));
    expect(res.status).toBe(401);
    const { url } = await create(alice, 10);
    expect((await handler(req('HEAD', url, null))).status).toBe(401);
    expect((await patch(null, url, 0, Buffer.from('0123456789'))).status).toBe(401);
  });

  it('E-16 the largest file size is the operator setting (413 above it)', async () => {
    expect(await getUploadSettings(t.db)).toEqual({ chunkSizeBytes: 5 * 1024 * 1024, maxFileBytes: 2 * 1024 * 1024 * 1024 });
    await t.db.insert(settings).values([
      { key: UPLOAD_SETTING_KEYS.maxFileBytes, value: 1000 },
      { key: UPLOAD_SETTING_KEYS.chunkSizeBytes, value: 256 },
    ]);
    expect(await getUploadSettings(t.db)).toEqual({ chunkSizeBytes: 256, maxFileBytes: 1000 });
    expect((await create(alice, 1001)).res.status).toBe(413);
    expect((await create(alice, 1000)).res.status).toBe(201);
    await t.db.delete(settings).where(eq(settings.key, UPLOAD_SETTING_KEYS.maxFileBytes));
    expect((await create(alice, 1001)).res.status).toBe(201);
  });

  it('E-16 a file without a name is refused', async () => {
    const res = await handler(req('POST', BASE, alice, { 'Upload-Length': '10' }));
    expect(res.status).toBe(400);
    expect(await t.db.select().from(uploads).where(eq(uploads.ownerUserId, bob.userId))).toEqual([]);
  });
});
