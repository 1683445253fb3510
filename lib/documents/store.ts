import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { env } from '@/lib/env';

/**
 * A content-addressed file store: every file lives once under `<root>/sha256/ab/cd/<sha256>`, so a document
 * is found by its digest and nothing stored is ever overwritten with other bytes.
 */

export type StoredFile = { sha256: string; size: number; storageKey: string };

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class FileStore {
  constructor(readonly root: string) {}

  /** The key of a digest (relative to the root); validates the digest so a key never escapes the root. */
  static keyOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error('not a hex SHA-256');
    return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  }

  pathOf(sha256: string): string {
    return path.join(this.root, FileStore.keyOf(sha256));
  }

  private async tmpPath(): Promise<string> {
    const dir = path.join(this.root, 'tmp');
    await fsp.mkdir(dir, { recursive: true });
    return path.join(dir, crypto.randomBytes(16).toString('hex'));
  }

  /** Moves a finished file into place under its digest (same file system: a rename; else copy + unlink). */
  private async place(tmp: string, sha256: string): Promise<void> {
    const target = this.pathOf(sha256);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    if (await exists(target)) {
      // The same bytes are already stored: keep the first copy.
      await fsp.rm(tmp, { force: true });
      return;
    }
    try {
      await fsp.rename(tmp, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      await fsp.copyFile(tmp, target);
      await fsp.rm(tmp, { force: true });
    }
  }

  /** Stores a stream (or bytes), hashing it on the way. */
  async put(data: Readable | Uint8Array | string): Promise<StoredFile> {
    const tmp = await this.tmpPath();
    const hash = crypto.createHash('sha256');
    let size = 0;
    const source = typeof data === 'string' || data instanceof Uint8Array ? Readable.from([Buffer.from(data)]) : data;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        fs.createWriteStream(tmp, { mode: 0o640 }),
      );
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw e;
    }
    const sha256 = hash.digest('hex');
    await this.place(tmp, sha256);
    return { sha256, size, storageKey: FileStore.keyOf(sha256) };
  }

  /** Hashes a file already on disk (a finished upload) and moves it into the store. */
  async ingest(filePath: string): Promise<StoredFile> {
    const hash = crypto.createHash('sha256');
    await pipeline(fs.createReadStream(filePath), hash);
    const sha256 = hash.digest('hex');
    const { size } = await fsp.stat(filePath);
    const tmp = await this.tmpPath();
    try {
      await fsp.rename(filePath, tmp);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      await fsp.copyFile(filePath, tmp);
      await fsp.rm(filePath, { force: true });
    }
    await this.place(tmp, sha256);
    return { sha256, size, storageKey: FileStore.keyOf(sha256) };
  }

  /** Size of a stored file, or null when it is not stored. */
  async stat(sha256: string): Promise<{ size: number } | null> {
    try {
      const s = await fsp.stat(this.pathOf(sha256));
      return { size: s.size };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** A read stream of a stored file (throws ENOENT when it is not stored). */
  async get(sha256: string, range?: { start: number; end?: number }): Promise<Readable> {
    const p = this.pathOf(sha256);
    await fsp.access(p);
    return fs.createReadStream(p, range);
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

/** The store of this process: DATA_DIR/files. */
let defaultStore: FileStore | null = null;
export function fileStore(): FileStore {
  defaultStore ??= new FileStore(path.resolve(env().DATA_DIR, 'files'));
  return defaultStore;
}
