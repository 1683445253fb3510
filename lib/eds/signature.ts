import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { verifyGost2015, verifyGostSignedObject, streebog256, streebog512 } from '@/lib/eds/gost';
import { ab } from './encoding';
import { gostPublicKeyBytes } from './certificate';

/**
 * Low-level signature checks shared by certificates, CRLs, OCSP responses and CMS: RSA and ECDSA through
 * WebCrypto, GOST 34.10-2015 through lib/eds/gost (H6). Legacy GOST 34.310-2004 is not implemented.
 */

export class UnsupportedAlgorithmError extends Error {
  readonly code = 'unsupported_algorithm' as const;
}

const HASH_BY_OID: Record<string, string> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
const STREEBOG_512 = '1.2.398.3.10.1.3.3';
const STREEBOG_256 = '1.2.398.3.10.1.3.2';

const RSA_SIG: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};
const ECDSA_SIG: Record<string, string> = {
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};

export function isGost2015(oid: string): boolean {
  return oid.startsWith('1.2.398.3.10.1.1.2.');
}
export function isGost2004(oid: string): boolean {
  return oid.startsWith('1.2.398.3.10.1.1.1.');
}

export function unsupportedGost2004(): UnsupportedAlgorithmError {
  return new UnsupportedAlgorithmError(
    'GOST 34.310-2004 signatures are not verified by the built-in verifier; configure the external verifier (NCANODE_URL).',
  );
}

/** Digest by OID (SHA family or Streebog). */
export async function digestByOid(oid: string, data: Uint8Array): Promise<Uint8Array> {
  if (oid === STREEBOG_512) return streebog512(data);
  if (oid === STREEBOG_256) return streebog256(data);
  const name = HASH_BY_OID[oid];
  if (!name) throw new UnsupportedAlgorithmError(`Digest algorithm ${oid} is not supported.`);
  return new Uint8Array(await crypto.subtle.digest(name, ab(data)));
}

/** ECDSA DER signature (SEQUENCE { r, s }) → WebCrypto's r‖s. */
function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array {
  const asn = asn1js.fromBER(ab(der));
  const seq = asn.result as asn1js.Sequence;
  const out = new Uint8Array(size * 2);
  seq.valueBlock.value.forEach((v, i) => {
    let b = (v as asn1js.Integer).valueBlock.valueHexView;
    while (b.length > size && b[0] === 0) b = b.subarray(1);
    out.set(b, i * size + (size - b.length));
  });
  return out;
}

function curveOf(spki: pkijs.PublicKeyInfo): { namedCurve: string; size: number } {
  const oid = (spki.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined)?.valueBlock.toString();
  if (oid === '1.3.132.0.34') return { namedCurve: 'P-384', size: 48 };
  if (oid === '1.3.132.0.35') return { namedCurve: 'P-521', size: 66 };
  return { namedCurve: 'P-256', size: 32 };
}

/**
 * Verifies `signature` over `data` with the public key of `signerCert`.
 * `sigAlgOid` is the signature algorithm; for CMS with rsaEncryption/ecPublicKey as the algorithm,
 * `digestOid` names the hash.
 */
export async function verifyRaw(params: {
  signerCert: pkijs.Certificate;
  sigAlgOid: string;
  digestOid?: string;
  data: Uint8Array;
  signature: Uint8Array;
}): Promise<boolean> {
  const { signerCert, sigAlgOid, data, signature } = params;
  const spki = signerCert.subjectPublicKeyInfo;
  const keyOid = spki.algorithm.algorithmId;
  if (isGost2004(sigAlgOid) || isGost2004(keyOid)) throw unsupportedGost2004();
  if (isGost2015(sigAlgOid) || isGost2015(keyOid)) {
    const key = gostPublicKeyBytes(signerCert);
    if (!key) return false;
    const bits: 256 | 512 = sigAlgOid === '1.2.398.3.10.1.1.2.3.1' || key.length <= 64 ? 256 : 512;
    const paramSetOid = (spki.algorithm.algorithmParams as asn1js.Sequence | undefined)?.valueBlock?.value?.[0] as
      | asn1js.ObjectIdentifier
      | undefined;
    return verifyGost2015({ publicKey: key, bits, paramSetOid: paramSetOid?.valueBlock?.toString(), data, signature });
  }
  const spkiDer = spki.toSchema().toBER(false);
  const rsaHash = RSA_SIG[sigAlgOid] ?? (sigAlgOid === '1.2.840.113549.1.1.1' && params.digestOid ? HASH_BY_OID[params.digestOid] : undefined);
  if (rsaHash && keyOid === '1.2.840.113549.1.1.1') {
    const key = await crypto.subtle.importKey('spki', spkiDer, { name: 'RSASSA-PKCS1-v1_5', hash: rsaHash }, false, ['verify']);
    return crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, ab(signature), ab(data));
  }
  const ecHash = ECDSA_SIG[sigAlgOid] ?? (sigAlgOid === '1.2.840.10045.2.1' && params.digestOid ? HASH_BY_OID[params.digestOid] : undefined);
  if (ecHash && keyOid === '1.2.840.10045.2.1') {
    const { namedCurve, size } = curveOf(spki);
    const key = await crypto.subtle.importKey('spki', spkiDer, { name: 'ECDSA', namedCurve }, false, ['verify']);
    return crypto.subtle.verify({ name: 'ECDSA', hash: ecHash }, key, ab(ecdsaDerToRaw(signature, size)), ab(data));
  }
  throw new UnsupportedAlgorithmError(`Signature algorithm ${sigAlgOid} is not supported.`);
}

/** Checks the signature of a certificate, CRL or BasicOCSPResponse (DER) made by `issuer`. */
export async function verifySignedObject(
  kind: 'certificate' | 'crl' | 'ocsp',
  signed: pkijs.Certificate | pkijs.CertificateRevocationList | pkijs.BasicOCSPResponse,
  objDer: Uint8Array,
  issuer: pkijs.Certificate,
  issuerDer: Uint8Array,
): Promise<boolean> {
  // pkijs: certificates/CRLs have tbsView + signatureValue; OCSP has tbsResponseData.tbsView + signature.
  const obj = signed as unknown as { tbsView?: Uint8Array; tbsResponseData?: { tbsView: Uint8Array }; signatureAlgorithm: { algorithmId: string }; signatureValue?: asn1js.BitString; signature?: asn1js.BitString };
  const oid = obj.signatureAlgorithm.algorithmId;
  if (isGost2004(oid)) throw unsupportedGost2004();
  if (isGost2015(oid)) return verifyGostSignedObject(kind, objDer, issuerDer);
  return verifyRaw({
    signerCert: issuer,
    sigAlgOid: oid,
    data: new Uint8Array((obj.tbsView ?? obj.tbsResponseData!.tbsView)),
    signature: new Uint8Array((obj.signatureValue ?? obj.signature)!.valueBlock.valueHexView),
  });
}
