import { getDb } from '@/db/client';
import type { DemoSignKey } from './sign-button';
import { ensureTestPki } from '@/lib/eds/test-pki';
import { env } from '@/lib/env';

/** EDS test mode: the demo SIGN keys for <SignButton> (their passwords are public demo data). */
export async function demoSignKeys(): Promise<DemoSignKey[] | null> {
  if (!env().EDS_TEST_MODE) return null;
  const pki = await ensureTestPki(getDb());
  return Object.values(pki.keys).map((k) => ({ name: k.name, fullName: k.fullName, password: k.sign.password }));
}
