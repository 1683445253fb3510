'use client';

import { fromBase64, toBase64 } from '@/lib/eds/encoding';

/**
 * EDS test mode only (demo keys of the generated test PKI): the SIGN key file the user chose for this browser
 * session, with its password, kept in sessionStorage (gone when the tab closes; never sent to the server) so
 * that each signed action does not ask again. Real users sign through NCALayer, whose keys never leave it.
 */

const STORAGE_KEY = 'bt.eds.demoSignKey';

export type DemoSignKey = { name: string; fullName: string; password: string };
export type StoredKey = { label: string; p12: string /* base64 */; password: string };

let memory: StoredKey | null = null;

export function getStoredKey(): StoredKey | null {
  if (memory) return memory;
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<StoredKey>;
    if (typeof v.label === 'string' && typeof v.p12 === 'string' && typeof v.password === 'string') {
      memory = { label: v.label, p12: v.p12, password: v.password };
      return memory;
    }
  } catch {
    /* storage unavailable (privacy mode): memory only */
  }
  return null;
}

export function storeKey(key: StoredKey): void {
  memory = key;
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(key));
  } catch {
    /* memory only */
  }
}

export function clearStoredKey(): void {
  memory = null;
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    /* nothing stored */
  }
}

export class KeyProblem extends Error {
  constructor(readonly code: 'wrong_password' | 'p12_malformed' | 'p12_unsupported' | 'network' | 'no_file') {
    super(code);
  }
}

/** Downloads a listed demo key's SIGN file. */
export async function fetchDemoSignKey(name: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(`/api/eds/demo-keys/${encodeURIComponent(name)}/sign`, { cache: 'no-store' });
  } catch {
    throw new KeyProblem('network');
  }
  if (!res.ok) throw new KeyProblem('network');
  return new Uint8Array(await res.arrayBuffer());
}

/** Opens the key (checking the password) and remembers it for this browser session. */
export async function chooseKey(label: string, p12: Uint8Array, password: string): Promise<StoredKey> {
  const { openP12 } = await import('@/lib/eds/browser/p12-signer');
  try {
    await openP12(p12, password);
  } catch (e) {
    throw mapP12Error(e);
  }
  const key = { label, p12: toBase64(p12), password };
  storeKey(key);
  return key;
}

function mapP12Error(e: unknown): KeyProblem {
  const code = (e as { code?: string }).code;
  return new KeyProblem(code === 'wrong_password' ? 'wrong_password' : code === 'unsupported' ? 'p12_unsupported' : 'p12_malformed');
}

/** A detached CMS (base64) over `content` with the stored key. */
export async function signWithStoredKey(key: StoredKey, content: Uint8Array): Promise<string> {
  const { openP12, signCmsDetached } = await import('@/lib/eds/browser/p12-signer');
  let opened;
  try {
    opened = await openP12(fromBase64(key.p12), key.password);
  } catch (e) {
    clearStoredKey();
    throw mapP12Error(e);
  }
  return signCmsDetached(opened, content);
}
