import path from 'node:path';
import { FileStore as TusFileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import { and, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db/client';
import { uploads } from '@/db/schema/documents';
import { env } from '@/lib/env';
import type { Principal } from '@/lib/auth/principal';
import { now } from '@/lib/time/clock';
import { AppError } from '@/lib/errors';
import { getUploadSettings } from './settings';
import type { FileStore } from './store';

/**
 * Resumable uploads (the tus protocol, E-16) as a web Request → Response handler for a Next route. Only a
 * signed-in user may upload; each upload is bound to its owner (every later PATCH/HEAD/DELETE by someone else
 * answers 404). When the last byte arrives the file is hashed (SHA-256), moved into the content-addressed store,
 * and an `uploads` row records owner, name, size and digest; the response carries `Upload-Sha256` and
 * `Upload-Record-Id`. The largest file size is the operator setting `uploads.maxFileBytes` (413 above it).
 */

export const UPLOADS_PATH = '/api/uploads';

/** Where this process keeps unfinished uploads: DATA_DIR/uploads. */
export function uploadsDirectory(): string {
  return path.resolve(env().DATA_DIR, 'uploads');
}

export type UploadHandlerOptions = {
  db: Db;
  store: FileStore;
  /** Where unfinished uploads are kept (DATA_DIR/uploads). */
  directory: string;
  principal: (req: Request) => Promise<Principal | null>;
  path?: string;
};

type TusError = { status_code: number; body: string };
const tusError = (status_code: number, body: string): TusError => ({ status_code, body: `${body}\n` });

export type UploadRow = typeof uploads.$inferSelect;

export function createUploadHandler(opts: UploadHandlerOptions): (req: Request) => Promise<Response> {
  const datastore = new TusFileStore({ directory: opts.directory });
  // The principal resolved for a request, for the hooks below (the same Request object flows through them).
  const who = new WeakMap<Request, Principal>();
  const ownerOf = (req: Request): Principal => {
    const p = who.get(req);
    if (!p) throw tusError(401, 'Sign in to upload files');
    return p;
  };

  const server = new Server({
    path: opts.path ?? UPLOADS_PATH,
    datastore,
    relativeLocation: true,
    exposedHeaders: ['Upload-Sha256', 'Upload-Record-Id'],
    maxSize: async () => (await getUploadSettings(opts.db)).maxFileBytes,
    async onUploadCreate(req, upload) {
      const p = ownerOf(req);
      const name = upload.metadata?.filename ?? upload.metadata?.name;
      if (!name || name.length > 255) throw tusError(400, 'Upload-Metadata must name the file (filename, at most 255 characters)');
      if (upload.size === undefined) throw tusError(400, 'Upload-Length is required (deferred length is not supported)');
      // The owner comes from the session, never from the client's metadata.
      return { metadata: { ...upload.metadata, filename: name, owner: p.userId } };
    },
    async onIncomingRequest(req, id) {
      const p = ownerOf(req);
      if (req.method === 'POST' || req.method === 'OPTIONS') return;
      let owner: string | null | undefined;
      try {
        owner = (await datastore.getUpload(id)).metadata?.owner;
      } catch {
        owner = undefined;
      }
      if (owner !== undefined && owner !== p.userId) throw tusError(404, 'The file does not exist');
      // An unknown id falls through to the handler's own 404.
    },
    async onUploadFinish(req, upload) {
      const p = ownerOf(req);
      const stored = await opts.store.ingest(path.join(opts.directory, upload.id));
      await datastore.configstore.delete(upload.id);
      const [row] = await opts.db
        .insert(uploads)
        .values({
          tusId: upload.id,
          ownerUserId: p.userId,
          fileName: upload.metadata?.filename ?? 'file',
          contentType: upload.metadata?.filetype || null,
          size: stored.size,
          sha256: stored.sha256,
          storageKey: stored.storageKey,
          createdAt: now(),
        })
        .returning({ id: uploads.id });
      return { headers: { 'Upload-Sha256': stored.sha256, 'Upload-Record-Id': row.id } };
    },
  });

  return async (req: Request) => {
    if (req.method !== 'OPTIONS') {
      const p = await opts.principal(req);
      if (!p) return new Response('Sign in to upload files\n', { status: 401, headers: { 'Tus-Resumable': '1.0.0' } });
      who.set(req, p);
    }
    return server.handleWeb(req as Parameters<typeof server.handleWeb>[0]);
  };
}

/** A finished upload of this user (null when it is someone else's or does not exist). */
export async function getOwnUpload(db: DbOrTx, owner: Principal, uploadId: string): Promise<UploadRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(uploadId)) return null;
  const [row] = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, uploadId), eq(uploads.ownerUserId, owner.userId)));
  return row ?? null;
}

/**
 * the owner's finished upload whose digest and size the owner signed. not_found when it is not the owner's
 * (or gone); validation_failed on `field` when the signed digest is not the file's.
 */
export async function requireSignedUpload(
  db: DbOrTx,
  owner: Principal,
  signed: { uploadId: string; sha256: string; size: number },
  field = 'sha256',
): Promise<UploadRow> {
  const up = await getOwnUpload(db, owner, signed.uploadId);
  if (!up) throw new AppError('not_found', 'The uploaded file was not found; upload it again.');
  if (up.sha256 !== signed.sha256 || up.size !== signed.size) {
    throw new AppError('validation_failed', 'The signed digest does not match the uploaded file.', { [field]: 'mismatch' });
  }
  return up;
}
