import fsp from 'node:fs/promises';
import path from 'node:path';
import { now } from '@/lib/time/clock';

/**
 * Unfinished resumable uploads (E-16) are kept so that a client can resume after a reload or a dropped
 * connection; one untouched for longer than this is abandoned and removed (its bytes and its tus info file).
 * Finished uploads are no longer in this directory: they were moved into the content-addressed store.
 */
export const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;

export type StaleUploadsResult = { removed: number; kept: number; bytes: number };

type Info = { creation_date?: string };

async function statOrNull(p: string) {
  try {
    return await fsp.stat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Removes the incomplete tus uploads in `directory` whose last activity (the later of their creation and the
 * last bytes written) is older than `maxAgeMs` before `at` (the injectable clock by default). A resumed upload
 * counts from its last part, so an upload in progress is never removed.
 */
export async function removeStaleUploads(directory: string, opts: { at?: Date; maxAgeMs?: number } = {}): Promise<StaleUploadsResult> {
  const cutoff = (opts.at ?? now()).getTime() - (opts.maxAgeMs ?? STALE_UPLOAD_MS);
  let names: string[];
  try {
    names = await fsp.readdir(directory);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { removed: 0, kept: 0, bytes: 0 };
    throw e;
  }
  const ids = new Set(names.map((n) => (n.endsWith('.json') ? n.slice(0, -5) : n)));
  const result: StaleUploadsResult = { removed: 0, kept: 0, bytes: 0 };
  for (const id of ids) {
    // tus ids are hex; anything else (a directory, a stray file) is not ours to remove.
    if (!/^[0-9a-zA-Z_-]{8,128}$/.test(id)) continue;
    const dataPath = path.join(directory, id);
    const infoPath = `${dataPath}.json`;
    const [data, infoStat] = await Promise.all([statOrNull(dataPath), statOrNull(infoPath)]);
    if (data?.isDirectory()) continue;
    let created = 0;
    if (infoStat) {
      try {
        const info = JSON.parse(await fsp.readFile(infoPath, 'utf8')) as Info;
        created = info.creation_date ? Date.parse(info.creation_date) || 0 : 0;
      } catch {
        created = 0;
      }
    }
    const lastActivity = Math.max(created, data?.mtimeMs ?? 0, infoStat?.mtimeMs ?? 0);
    if (lastActivity >= cutoff) {
      result.kept++;
      continue;
    }
    await fsp.rm(dataPath, { force: true });
    await fsp.rm(infoPath, { force: true });
    result.removed++;
    result.bytes += data?.size ?? 0;
  }
  return result;
}
