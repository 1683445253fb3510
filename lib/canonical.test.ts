import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from './canonical';

describe('canonicalJson', () => {
  it('X-9 sorts keys recursively and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('X-9 sorts keys by code units, numeric-looking keys included', () => {
    expect(canonicalJson({ '10': 1, '2': 2, B: 3, a: 4, é: 5 })).toBe('{"10":1,"2":2,"B":3,"a":4,"é":5}');
  });

  it('X-9 writes Dates as ISO strings, drops undefined members, -0 becomes 0', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2025, 11, 31, 20, 0, 0, 7)), gone: undefined, z: -0 })).toBe(
      '{"at":"2025-12-31T20:00:00.007Z","z":0}',
    );
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
    expect(canonicalJson(-0)).toBe('0');
  });

  it('X-9 escapes strings exactly as JSON does', () => {
    expect(canonicalJson('кв "1"\n\u0001')).toBe('"кв \\"1\\"\\n\\u0001"');
  });

  it('X-9 rejects values it cannot encode exactly', () => {
    expect(() => canonicalJson(NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ x: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson({ x: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(new Map())).toThrow(TypeError);
    expect(() => canonicalJson(new Date('nope'))).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });

  it('X-9 allows the same object twice when it is not a cycle', () => {
    const shared = { a: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });

  it('X-9 is independent of key insertion order and agrees with JSON.parse (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        // Parsing and re-encoding gives the same bytes: what is stored as JSON hashes the same when read back.
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        const reversed = JSON.parse(text, (_k, val) =>
          val && typeof val === 'object' && !Array.isArray(val)
            ? Object.fromEntries(Object.entries(val).reverse())
            : val,
        );
        expect(canonicalJson(reversed)).toBe(text);
      }),
    );
  });
});

describe('sha256Hex', () => {
  it('X-10 hashes strings as UTF-8 and bytes as they are', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe(sha256Hex('abc'));
    expect(sha256Hex('қ')).toBe(sha256Hex(new TextEncoder().encode('қ')));
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
