/**
 * @peculiar/x509 (through tsyringe) needs the Reflect metadata API, and no polyfill package is installed.
 * This is the small subset tsyringe uses (define/get/getOwn/hasMetadata, Reflect.metadata), on WeakMaps.
 * Import it BEFORE '@peculiar/x509'. Server only (the test PKI generator).
 */
type Key = unknown;
type Target = object;
const store = new WeakMap<Target, Map<string | symbol | undefined, Map<Key, unknown>>>();

function own(target: Target, prop: string | symbol | undefined, create: boolean): Map<Key, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp) {
    if (!create) return undefined;
    byProp = new Map();
    store.set(target, byProp);
  }
  let m = byProp.get(prop);
  if (!m && create) {
    m = new Map();
    byProp.set(prop, m);
  }
  return m;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== 'function') {
  const getOwnMetadata = (key: Key, target: Target, prop?: string | symbol) => own(target, prop, false)?.get(key);
  const hasOwnMetadata = (key: Key, target: Target, prop?: string | symbol) => own(target, prop, false)?.has(key) ?? false;
  const getMetadata = (key: Key, target: Target, prop?: string | symbol): unknown => {
    for (let t: Target | null = target; t; t = Object.getPrototypeOf(t)) {
      if (hasOwnMetadata(key, t, prop)) return getOwnMetadata(key, t, prop);
    }
    return undefined;
  };
  const defineMetadata = (key: Key, value: unknown, target: Target, prop?: string | symbol) => {
    own(target, prop, true)!.set(key, value);
  };
  Object.assign(R, {
    getOwnMetadata,
    hasOwnMetadata,
    getMetadata,
    hasMetadata: (key: Key, target: Target, prop?: string | symbol) => getMetadata(key, target, prop) !== undefined,
    defineMetadata,
    metadata: (key: Key, value: unknown) => (target: Target, prop?: string | symbol) => defineMetadata(key, value, target, prop),
  });
}

export {};
