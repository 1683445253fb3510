// Browser-safe (no node: imports): the EDS sign button builds the signed bytes with this in the browser,
// and lib/canonical.ts re-exports it, so client and server encode exactly alike.
/**
 * Deterministic JSON used wherever bytes are hashed or signed (the audit chain X-9, receipts X-10, EDS X-4):
 * object keys sorted recursively (by UTF-16 code units, as Array.prototype.sort does), no whitespace,
 * strings escaped as JSON.stringify does, Dates as ISO strings, -0 as 0, `undefined` object members dropped
 * (and `undefined` array items written as null, as JSON does, so indices keep their meaning).
 * NaN, Infinity, bigint, functions, symbols, Map/Set and cycles are rejected rather than silently changed.
 */
export function canonicalJson(value: unknown): string {
  const out = encode(value, new Set());
  if (out === undefined) throw new TypeError('canonicalJson: the value is undefined');
  return out;
}

function encode(value: unknown, seen: Set<object>): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a finite number`);
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case 'bigint':
      throw new TypeError('canonicalJson: bigint is not supported; pass a string');
    case 'function':
    case 'symbol':
      throw new TypeError(`canonicalJson: a ${typeof value} cannot be encoded`);
  }
  const obj = value as object;
  if (obj instanceof Date) {
    if (Number.isNaN(obj.getTime())) throw new TypeError('canonicalJson: invalid Date');
    return JSON.stringify(obj.toISOString());
  }
  if (obj instanceof Map || obj instanceof Set || ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) {
    throw new TypeError(`canonicalJson: ${obj.constructor.name} cannot be encoded; convert it first`);
  }
  if (seen.has(obj)) throw new TypeError('canonicalJson: the value is cyclic');
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      return `[${obj.map((item) => encode(item, seen) ?? 'null').join(',')}]`;
    }
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return encode(toJSON.call(obj), seen);
    const parts: string[] = [];
    for (const key of Object.keys(obj).sort()) {
      const v = encode((obj as Record<string, unknown>)[key], seen);
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}
