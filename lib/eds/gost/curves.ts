/**
 * GOST R 34.10-2012/2015 curves (RFC 7836 / TC26 parameter sets) in short Weierstrass form, built on
 * @noble/curves' generic arithmetic. Each set is checked once, lazily: G lies on the curve and q·G = O.
 */
import { weierstrass, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { Field } from '@noble/curves/abstract/modular.js';

export type GostCurveName =
  | 'tc26-512-paramSetA'
  | 'tc26-256-paramSetA'
  | 'cryptopro-A';

type CurveParams = { p: bigint; a: bigint; b: bigint; q: bigint; h: bigint; x: bigint; y: bigint; bits: 256 | 512 };

const PARAMS: Record<GostCurveName, CurveParams> = {
  // id-tc26-gost-3410-12-512-paramSetA, 1.2.643.7.1.2.1.2.1 (RFC 7836 A.1) — NCA's 512-bit curve.
  'tc26-512-paramSetA': {
    bits: 512,
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffdc7n,
    a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffdc4n,
    b: 0xe8c2505dedfc86ddc1bd0b2b6667f1da34b82574761cb0e879bd081cfd0b6265ee3cb090f30d27614cb4574010da90dd862ef9d4ebee4761503190785a71c760n,
    q: 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff27e69532f48d89116ff22b8d4e0560609b4b38abfad2b85dcacdb1411f10b275n,
    h: 1n,
    x: 3n,
    y: 0x7503cfe87a836ae3a61b8816e25450e6ce5e1c93acf1abc1778064fdcbefa921df1626be4fd036e93d75e6a50e3a41e98028fe5fc235f5b889a589cb5215f2a4n,
  },
  // id-tc26-gost-3410-12-256-paramSetA, 1.2.643.7.1.2.1.1.1 (RFC 7836 A.2, Weierstrass form; cofactor 4).
  'tc26-256-paramSetA': {
    bits: 256,
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd97n,
    a: 0xc2173f1513981673af4892c23035a27ce25e2013bf95aa33b22c656f277e7335n,
    b: 0x295f9bae7428ed9ccc20e7c359a9d41a22fccd9108e17bf7ba9337a6f8ae9513n,
    q: 0x400000000000000000000000000000000fd8cddfc87b6635c115af556c360c67n,
    h: 4n,
    x: 0x91e38443a5e82c0d880923425712b2bb658b9196932e02c78b2582fe742daa28n,
    y: 0x32879423ab1a0375895786c4bb46e9565fde0b5344766740af268adb32322e5cn,
  },
  // id-GostR3410-2001-CryptoPro-A-ParamSet, 1.2.643.2.2.35.1 (RFC 4357 §11.4) = tc26 256 paramSetB.
  'cryptopro-A': {
    bits: 256,
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd97n,
    a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd94n,
    b: 0xa6n,
    q: 0xffffffffffffffffffffffffffffffff6c611070995ad10045841b09b761b893n,
    h: 1n,
    x: 1n,
    y: 0x8d91e471e0989cda27df505a453f2b7635294f2ddf23e3b122acc99c9e9f1e14n,
  },
};

/** Parameter-set OIDs → curve. NCA's own arcs first (the Kalkan paramset OIDs map to the TC26 sets). */
export const PARAM_SET_OIDS: Record<string, GostCurveName> = {
  '1.2.398.3.10.1.1.2.2.1': 'tc26-512-paramSetA', // NCA GOST 2015 512-bit paramset A
  '1.2.398.3.10.1.1.2.1.1': 'tc26-256-paramSetA', // NCA GOST 2015 256-bit paramset A
  '1.2.643.7.1.2.1.2.1': 'tc26-512-paramSetA',
  '1.2.643.7.1.2.1.1.1': 'tc26-256-paramSetA',
  '1.2.643.2.2.35.1': 'cryptopro-A',
  '1.2.643.7.1.2.1.1.2': 'cryptopro-A',
};

export type GostCurve = {
  name: GostCurveName;
  bits: 256 | 512;
  /** Byte length of a coordinate / scalar. */
  size: number;
  q: bigint;
  Point: WeierstrassPointCons<bigint>;
};

const cache = new Map<GostCurveName, GostCurve>();

export function getCurve(name: GostCurveName): GostCurve {
  const hit = cache.get(name);
  if (hit) return hit;
  const c = PARAMS[name];
  const Fp = Field(c.p);
  const Point = weierstrass({ p: c.p, n: c.q, h: c.h, a: c.a, b: c.b, Gx: c.x, Gy: c.y }, { Fp });
  // Guard against a mistyped constant: the base point must be valid and of order q.
  Point.BASE.assertValidity();
  if (!Point.BASE.multiplyUnsafe(c.q - 1n).equals(Point.BASE.negate())) {
    throw new Error(`GOST curve ${name}: base point order is not q`);
  }
  Point.BASE.precompute(8);
  const curve: GostCurve = { name, bits: c.bits, size: c.bits / 8, q: c.q, Point };
  cache.set(name, curve);
  return curve;
}

/** The curve for a parameter-set OID; without one, the default curve for the key size (NCA's paramset A). */
export function curveFor(bits: 256 | 512, paramSetOid?: string): GostCurve {
  if (paramSetOid) {
    const name = PARAM_SET_OIDS[paramSetOid];
    if (!name) throw new Error(`unsupported GOST parameter set ${paramSetOid}`);
    const curve = getCurve(name);
    if (curve.bits !== bits) throw new Error(`GOST parameter set ${paramSetOid} is not ${bits}-bit`);
    return curve;
  }
  return getCurve(bits === 512 ? 'tc26-512-paramSetA' : 'tc26-256-paramSetA');
}
