import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/principal';
import { makeUser } from '@/lib/expertise/test-fixtures';
import { registeredPeriodics } from '@/lib/jobs/queue';
import { useTestDb } from '@/lib/testing/db';
import { createUploadHandler, FileStore, removeStaleUploads, STALE_UPLOAD_MS } from './index';
import './jobs';

const t = useTestDb();
let dir: string;
let uploadsDir: string;
let store: FileStore;
let handler: (req: Request) => Promise<Response>;
let alice: Principal;
const BASE = 'http://portal.test/api/uploads';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const HOUR = 3_600_000;

function req(method: string, url: string, headers: Record<string, string> = {}, body?: Uint8Array): Request {
  return new Request(url, { method, headers: { 'Tus-Resumable': '1.0.0', 'x-test-user': alice.userId, ...headers }, body: body ? Buffer.from(body) : undefined });
}

async function start(size: number, name: string): Promise<string> {
  const res = await handler(req('POST', BASE, { 'Upload-Length': String(size), 'Upload-Metadata': `filename ${b64(name)}` }));
  expect(res.status).toBe(201);
  return new URL(res.headers.get('location')!, BASE).toString();
}

const patch = (url: string, offset: number, chunk: Uint8Array) =>
  handler(req('PATCH', url, { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' }, chunk));

/** Pretends the upload's files were last touched at `at` (its info's creation date and both mtimes). */
async function age(url: string, at: Date): Promise<void> {
  const id = url.split('/').pop()!;
  const info = path.join(uploadsDir, `${id}.json`);
  const json = JSON.parse(await fsp.readFile(info, 'utf8')) as Record<string, unknown>;
  json.creation_date = at.toISOString();
  await fsp.writeFile(info, JSON.stringify(json));
  await fsp.utimes(info, at, at);
  await fsp.utimes(path.join(uploadsDir, id), at, at);
}

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bt-stale-'));
  uploadsDir = path.join(dir, 'uploads');
  store = new FileStore(path.join(dir, 'files'));
  alice = await makeUser(t.db, ['individual']);
  handler = createUploadHandler({ db: t.db, store, directory: uploadsDir, principal: async () => alice });
});

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('stale uploads', () => {
  it('E-16 unfinished uploads untouched for more than a day are removed; recent ones and finished files stay', async () => {
    const now = new Date();
    // Abandoned two days ago after the first part.
    const abandoned = await start(1000, 'abandoned.pdf');
    expect((await patch(abandoned, 0, crypto.randomBytes(400))).status).toBe(204);
    await age(abandoned, new Date(now.getTime() - 48 * HOUR));
    // Created two days ago but resumed an hour ago: still in progress.
    const resumed = await start(1000, 'resumed.pdf');
    await age(resumed, new Date(now.getTime() - 48 * HOUR));
    const resumedId = resumed.split('/').pop()!;
    const hourAgo = new Date(now.getTime() - HOUR);
    await fsp.utimes(path.join(uploadsDir, resumedId), hourAgo, hourAgo);
    // Started a few minutes ago.
    const fresh = await start(1000, 'fresh.pdf');
    // Finished long ago: its bytes are in the store, not in the uploads directory.
    const bytes = crypto.randomBytes(500);
    const done = await start(500, 'done.pdf');
    const fin = await patch(done, 0, bytes);
    expect(fin.status).toBe(204);
    const digest = fin.headers.get('upload-sha256')!;

    const r = await removeStaleUploads(uploadsDir, { at: now });
    expect(r).toEqual({ removed: 1, kept: 2, bytes: 400 }); // the bytes received so far
    // The abandoned upload is gone: resuming it answers 404; the others can still be resumed.
    expect((await handler(req('HEAD', abandoned))).status).toBe(404);
    expect((await handler(req('HEAD', resumed))).status).toBe(200);
    expect((await handler(req('HEAD', fresh))).status).toBe(200);
    expect(await store.stat(digest)).toEqual({ size: 500 });

    // A day later nothing is resumed: everything unfinished goes; the stored file stays.
    const later = await removeStaleUploads(uploadsDir, { at: new Date(now.getTime() + STALE_UPLOAD_MS + HOUR) });
    expect(later.removed).toBe(2);
    expect(await fsp.readdir(uploadsDir)).toEqual([]);
    expect(await store.stat(digest)).toEqual({ size: 500 });
  });

  it('E-16 the clean-up is a scheduled job; a missing directory is not an error', async () => {
    expect(registeredPeriodics().find((p) => p.name === 'documents.stale-uploads')?.schedule).toEqual({ everyMinutes: 60 });
    expect(await removeStaleUploads(path.join(dir, 'nothing-here'))).toEqual({ removed: 0, kept: 0, bytes: 0 });
  });
});
