import { createHash } from 'node:crypto';

export { canonicalJson } from './canonical-json';

/** SHA-256 as 64 lowercase hex digits; strings are hashed as UTF-8. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
