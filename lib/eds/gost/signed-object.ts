/**
 * Verification of the GOST R 34.10-2015 signature on DER certificates, CRLs and OCSP responses issued by NCA.
 * Only the signature is checked here (plus, for a delegated OCSP responder, that the issuer certified it for
 * OCSP signing); validity periods, revocation and trust are the verifier's business (lib/eds/verifier.ts).
 */
import * as asn1js from 'asn1js';
import { verifyGost2015 } from './verify';

/** NCA signature algorithm OIDs → key size (GOST 34.10-2015 with Streebog of the same size). */
export const GOST2015_SIGNATURE_OIDS: Record<string, 512 | 256> = {
  '1.2.398.3.10.1.1.2.3.2': 512,
  '1.2.398.3.10.1.1.2.3.1': 256,
};
/** NCA GOST 2015 public-key algorithm OIDs (…2.2 is the one NCA uses; …2.1 is listed for 256-bit keys). */
export const GOST2015_KEY_OIDS = ['1.2.398.3.10.1.1.2.2', '1.2.398.3.10.1.1.2.1'];

const OID_BASIC_OCSP = '1.3.6.1.5.5.7.48.1.1';
const OID_EXT_KEY_USAGE = '2.5.29.37';
const OID_KP_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

export type GostErrorCode = 'malformed' | 'unsupported_algorithm';

/** Thrown for input that is not a well-formed signed object, or that is not signed with GOST 34.10-2015. */
export class GostError extends Error {
  constructor(
    readonly code: GostErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GostError';
  }
}

export function isGost2015SignatureOid(oid: string): boolean {
  return oid in GOST2015_SIGNATURE_OIDS;
}

// ---------------------------------------------------------------------------------------------------------------
// Minimal DER walking with asn1js

type Node = asn1js.AsnType;

/** Accepts DER, or PEM text given as bytes (NCA publishes some certificates as PEM `.crt` files). */
function toDer(input: Uint8Array): Uint8Array {
  if (input.length > 11 && input[0] === 0x2d /* '-' */) {
    const text = new TextDecoder().decode(input);
    const m = /-----BEGIN [A-Z0-9 ]+-----([A-Za-z0-9+/=\s]+)-----END [A-Z0-9 ]+-----/.exec(text);
    if (m) return Uint8Array.from(atob(m[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  }
  return input;
}

function parseDer(input: Uint8Array, what: string): Node {
  const der = toDer(input);
  const res = asn1js.fromBER(der);
  if (res.offset === -1 || res.offset !== der.byteLength) throw new GostError('malformed', `${what} is not valid DER`);
  return res.result;
}

function children(node: Node | undefined, what: string): Node[] {
  if (!(node instanceof asn1js.Constructed)) throw new GostError('malformed', `${what}: expected a constructed value`);
  return node.valueBlock.value;
}

function isContextTag(node: Node | undefined, n: number): boolean {
  return !!node && node.idBlock.tagClass === 3 && node.idBlock.tagNumber === n;
}

function oidOf(node: Node | undefined, what: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) throw new GostError('malformed', `${what}: expected an OID`);
  return node.valueBlock.toString();
}

function encoded(node: Node): Uint8Array {
  return new Uint8Array(node.valueBeforeDecodeView);
}

/** The three parts every X.509-style signed object has: the signed bytes, the algorithm and the signature. */
type SignedParts = { tbs: Node; tbsDer: Uint8Array; algOid: string; signature: Uint8Array; rest: Node[] };

function signedParts(node: Node, what: string): SignedParts {
  const [tbs, alg, sig, ...rest] = children(node, what);
  if (!(tbs instanceof asn1js.Sequence)) throw new GostError('malformed', `${what}: no signed part`);
  const algOid = oidOf(children(alg, `${what} algorithm`)[0], `${what} algorithm`);
  if (!(sig instanceof asn1js.BitString) || sig.valueBlock.unusedBits !== 0) {
    throw new GostError('malformed', `${what}: bad signature BIT STRING`);
  }
  return { tbs, tbsDer: encoded(tbs), algOid, signature: new Uint8Array(sig.valueBlock.valueHexView), rest };
}

/** Certificate fields needed here. */
type CertParts = SignedParts & {
  der: Uint8Array;
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
  innerAlgOid: string;
  keyAlgOid: string;
  paramSetOid: string | undefined;
  publicKey: Uint8Array;
  extKeyUsage: string[] | null;
};

function parseCertNode(node: Node, what: string): CertParts {
  const parts = signedParts(node, what);
  const f = children(parts.tbs, `${what} tbsCertificate`);
  const o = isContextTag(f[0], 0) ? 1 : 0; // optional [0] version
  const [, sigAlg, issuer, , subject, spki] = f.slice(o);
  if (!issuer || !subject || !spki) throw new GostError('malformed', `${what}: incomplete tbsCertificate`);
  const [keyAlg, keyBits] = children(spki, `${what} subjectPublicKeyInfo`);
  const keyAlgParts = children(keyAlg, `${what} key algorithm`);
  const params = keyAlgParts[1];
  let paramSetOid: string | undefined;
  if (params instanceof asn1js.Sequence && params.valueBlock.value[0] instanceof asn1js.ObjectIdentifier) {
    paramSetOid = params.valueBlock.value[0].valueBlock.toString();
  }
  if (!(keyBits instanceof asn1js.BitString)) throw new GostError('malformed', `${what}: bad public key`);

  let extKeyUsage: string[] | null = null;
  const extWrap = f.find((n) => isContextTag(n, 3));
  if (extWrap) {
    for (const ext of children(children(extWrap, `${what} extensions`)[0], `${what} extensions`)) {
      const e = children(ext, `${what} extension`);
      if (oidOf(e[0], `${what} extension`) !== OID_EXT_KEY_USAGE) continue;
      const value = e[e.length - 1];
      if (!(value instanceof asn1js.OctetString)) throw new GostError('malformed', `${what}: bad extension`);
      const eku = parseDer(new Uint8Array(value.valueBlock.valueHexView), `${what} extKeyUsage`);
      extKeyUsage = children(eku, `${what} extKeyUsage`).map((n) => oidOf(n, `${what} extKeyUsage`));
    }
  }
  return {
    ...parts,
    der: encoded(node),
    issuerDer: encoded(issuer),
    subjectDer: encoded(subject),
    innerAlgOid: oidOf(children(sigAlg, `${what} signature`)[0], `${what} signature`),
    keyAlgOid: oidOf(keyAlgParts[0], `${what} key algorithm`),
    paramSetOid,
    publicKey: new Uint8Array(keyBits.valueBlock.valueHexView),
    extKeyUsage,
  };
}

function parseCert(der: Uint8Array, what: string): CertParts {
  return parseCertNode(parseDer(der, what), what);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Verifies `parts`' GOST 2015 signature with `signer`'s public key. */
function verifyParts(parts: SignedParts, signer: CertParts): boolean {
  const bits = GOST2015_SIGNATURE_OIDS[parts.algOid];
  if (!bits) throw new GostError('unsupported_algorithm', `signature algorithm ${parts.algOid} is not GOST 34.10-2015`);
  if (!GOST2015_KEY_OIDS.includes(signer.keyAlgOid)) {
    throw new GostError('unsupported_algorithm', `signer key algorithm ${signer.keyAlgOid} is not GOST 34.10-2015`);
  }
  try {
    return verifyGost2015({ publicKey: signer.publicKey, bits, paramSetOid: signer.paramSetOid, data: parts.tbsDer, signature: parts.signature });
  } catch (e) {
    // curveFor() rejects an unknown parameter set or one of the wrong size.
    throw new GostError('unsupported_algorithm', e instanceof Error ? e.message : String(e));
  }
}

// ---------------------------------------------------------------------------------------------------------------

export type GostSignedObjectKind = 'certificate' | 'crl' | 'ocsp';

export type GostSignedObjectResult = {
  valid: boolean;
  /** Who signed: the given issuer itself, or (OCSP only) a responder certificate included in the response. */
  signer: 'issuer' | 'responder' | null;
  /** DER of the delegated OCSP responder certificate that signed, so the caller can check its validity period. */
  responderCertDer?: Uint8Array;
};

/** Unwraps an OCSPResponse to its BasicOCSPResponse node; a BasicOCSPResponse is returned as is. */
function basicOcspResponse(der: Uint8Array): Node {
  const top = parseDer(der, 'OCSP response');
  const items = children(top, 'OCSP response');
  if (!(items[0] instanceof asn1js.Enumerated)) return top; // already a BasicOCSPResponse
  if (items[0].valueBlock.valueDec !== 0) throw new GostError('malformed', 'the OCSP response is not "successful" and carries no signature');
  const responseBytes = children(items.find((n) => isContextTag(n, 0)), 'OCSP responseBytes')[0];
  const [type, octets] = children(responseBytes, 'OCSP responseBytes');
  if (oidOf(type, 'OCSP responseType') !== OID_BASIC_OCSP) throw new GostError('malformed', 'not a basic OCSP response');
  if (!(octets instanceof asn1js.OctetString)) throw new GostError('malformed', 'bad OCSP response bytes');
  return parseDer(new Uint8Array(octets.valueBlock.valueHexView), 'BasicOCSPResponse');
}

/**
 * Like verifyGostSignedObject, with who signed. For OCSP, the issuer's own key is tried first; otherwise a
 * certificate included in the response signs, if the issuer signed it, it names the issuer as its issuer and it
 * carries id-kp-OCSPSigning (RFC 6960 §4.2.2.2 — without that check any certificate of the CA could vouch for
 * revocation status).
 */
export function verifyGostSignedObjectDetailed(kind: GostSignedObjectKind, der: Uint8Array, issuerCertDer: Uint8Array): GostSignedObjectResult {
  const issuer = parseCert(issuerCertDer, 'issuer certificate');
  if (kind === 'certificate' || kind === 'crl') {
    const node = parseDer(der, kind);
    const parts = kind === 'certificate' ? parseCertNode(node, 'certificate') : signedParts(node, 'CRL');
    // The algorithm inside the signed part must match the outer one (RFC 5280 §4.1.1.2, §5.1.1.2).
    const inner = kind === 'certificate' ? (parts as CertParts).innerAlgOid : oidOf(crlInnerAlg(parts.tbs), 'CRL signature');
    if (inner !== parts.algOid) return { valid: false, signer: null };
    const valid = verifyParts(parts, issuer);
    return { valid, signer: valid ? 'issuer' : null };
  }

  const basic = signedParts(basicOcspResponse(der), 'BasicOCSPResponse');
  if (verifyParts(basic, issuer)) return { valid: true, signer: 'issuer' };
  const certsWrap = basic.rest.find((n) => isContextTag(n, 0));
  if (!certsWrap) return { valid: false, signer: null };
  for (const certNode of children(children(certsWrap, 'OCSP certs')[0], 'OCSP certs')) {
    const responder = parseCertNode(certNode, 'OCSP responder certificate');
    if (!bytesEqual(responder.issuerDer, issuer.subjectDer)) continue;
    if (!responder.extKeyUsage?.includes(OID_KP_OCSP_SIGNING)) continue;
    if (responder.innerAlgOid !== responder.algOid || !isGost2015SignatureOid(responder.algOid)) continue;
    if (!verifyParts(responder, issuer)) continue;
    if (verifyParts(basic, responder)) return { valid: true, signer: 'responder', responderCertDer: responder.der };
  }
  return { valid: false, signer: null };
}

/** TBSCertList: version INTEGER OPTIONAL, signature AlgorithmIdentifier, … */
function crlInnerAlg(tbs: Node): Node | undefined {
  const f = children(tbs, 'tbsCertList');
  const alg = f[0] instanceof asn1js.Integer ? f[1] : f[0];
  return children(alg, 'tbsCertList signature')[0];
}

/**
 * Verifies the signature of a DER certificate, CRL or OCSP response (OCSPResponse or BasicOCSPResponse)
 * signed with GOST 34.10-2015, given the issuer's certificate (DER). Returns false when the signature does not
 * verify; throws GostError('malformed' | 'unsupported_algorithm') for input it cannot judge.
 */
export function verifyGostSignedObject(kind: GostSignedObjectKind, der: Uint8Array, issuerCertDer: Uint8Array): boolean {
  return verifyGostSignedObjectDetailed(kind, der, issuerCertDer).valid;
}
