import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha256 } from '@noble/hashes/sha2.js';
import { ab, serialHex, toDer, toHex } from './encoding';

/**
 * X.509 certificates as NCA (the National Certification Centre of Kazakhstan) writes them.
 * Server and browser safe: pkijs/asn1js only.
 *
 * What the real NCA test certificates (lib/eds/fixtures/nca-test) show:
 * - subject `CN=SURNAME NAME, SURNAME=…, SERIALNUMBER=IIN…, C=KZ, [O=…, OU=BIN…,] GIVENNAME=…`;
 *   NCA puts the PATRONYMIC in GIVENNAME (2.5.4.42), e.g. CN="ТЕСТОВ ТЕСТ", GIVENNAME="ТЕСТОВИЧ". So
 *   `givenName` here is the first name (the CN's second word) and `patronymic` is the GIVENNAME attribute.
 * - the NCA role OIDs (1.2.398.3.3.4.1.x) are in the EXTENDED KEY USAGE next to AUTH/SIGN, not in the
 *   certificate policies (those hold 1.2.398.3.3.2.x). We read both, to be safe.
 */
export type NcaRole = 'individual' | 'legal_entity' | 'first_head' | 'signing_rights' | 'financial_signing' | 'hr' | 'employee';

export type PublicKeyAlgorithm = 'rsa' | 'ecdsa' | 'gost2015-512' | 'gost2015-256' | 'gost2004' | 'unknown';

export type CertInfo = {
  serialNumber: string;
  subjectDn: string;
  issuerDn: string;
  iin: string | null;
  bin: string | null;
  organization: string | null;
  commonName: string | null;
  surname: string | null;
  givenName: string | null;
  patronymic: string | null;
  email: string | null;
  notBefore: Date;
  notAfter: Date;
  keyUsage: string[];
  extKeyUsage: string[];
  purposes: ('auth' | 'sign')[];
  ncaRoles: NcaRole[];
  policyOids: string[];
  publicKeyAlgorithm: PublicKeyAlgorithm;
  signatureAlgorithmOid: string;
  crlUrls: string[];
  ocspUrls: string[];
  caIssuersUrls: string[];
  isCa: boolean;
  fingerprintSha256: string;
  der: Uint8Array;
  /** Added: the subject/issuer as raw DER (chain building compares these exactly). */
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  /** Added: subject/authority key identifiers (hex), when present. */
  subjectKeyId: string | null;
  authorityKeyId: string | null;
};

export const OID = {
  auth: '1.3.6.1.5.5.7.3.2',
  sign: '1.3.6.1.5.5.7.3.4',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  rsa: '1.2.840.113549.1.1.1',
  ec: '1.2.840.10045.2.1',
  gost2015Key: '1.2.398.3.10.1.1.2.2',
  gost2004Key: '1.2.398.3.10.1.1.1.1',
  gost2015Sig512: '1.2.398.3.10.1.1.2.3.2',
  gost2015Sig256: '1.2.398.3.10.1.1.2.3.1',
} as const;

export const NCA_ROLE_OIDS: Record<string, NcaRole> = {
  '1.2.398.3.3.4.1.1': 'individual',
  '1.2.398.3.3.4.1.2': 'legal_entity',
  '1.2.398.3.3.4.1.2.1': 'first_head',
  '1.2.398.3.3.4.1.2.2': 'signing_rights',
  '1.2.398.3.3.4.1.2.3': 'financial_signing',
  '1.2.398.3.3.4.1.2.4': 'hr',
  '1.2.398.3.3.4.1.2.5': 'employee',
};

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

const DN_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SURNAME',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.42': 'GIVENNAME',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** Attribute values of an RDN sequence, in order, as [oid, text]. */
export function nameAttributes(name: pkijs.RelativeDistinguishedNames): [string, string][] {
  return name.typesAndValues.map((tv) => {
    const v = tv.value as unknown as { valueBlock?: { value?: unknown } };
    const text = typeof v.valueBlock?.value === 'string' ? v.valueBlock.value : '';
    return [tv.type, text];
  });
}

export function formatDn(name: pkijs.RelativeDistinguishedNames): string {
  return nameAttributes(name)
    .map(([oid, value]) => `${DN_NAMES[oid] ?? oid}=${value.replace(/([,+"\\<>;])/g, '\\$1')}`)
    .join(', ');
}

function uris(names: pkijs.GeneralName[] | undefined): string[] {
  return (names ?? []).filter((g) => g.type === 6).map((g) => String(g.value));
}

function spkiAlgorithm(cert: pkijs.Certificate): PublicKeyAlgorithm {
  const oid = cert.subjectPublicKeyInfo.algorithm.algorithmId;
  if (oid === OID.rsa) return 'rsa';
  if (oid === OID.ec) return 'ecdsa';
  if (oid === OID.gost2004Key || oid.startsWith('1.2.398.3.10.1.1.1.')) return 'gost2004';
  if (oid === OID.gost2015Key) {
    // The BIT STRING wraps an OCTET STRING with x‖y: 128 bytes for 512-bit keys, 64 for 256-bit ones.
    const raw = gostPublicKeyBytes(cert);
    return raw && raw.length <= 64 ? 'gost2015-256' : 'gost2015-512';
  }
  return 'unknown';
}

/** The GOST public key x‖y (little-endian halves, as NCA writes it): the OCTET STRING inside the SPKI BIT STRING. */
export function gostPublicKeyBytes(cert: pkijs.Certificate): Uint8Array | null {
  const bits = cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  const inner = asn1js.fromBER(bits.slice().buffer as ArrayBuffer);
  if (inner.offset !== -1 && inner.result instanceof asn1js.OctetString) return new Uint8Array(inner.result.valueBlock.valueHexView);
  return new Uint8Array(bits);
}

export function parsePkijsCertificate(input: Uint8Array | string): { cert: pkijs.Certificate; der: Uint8Array } {
  const der = toDer(input);
  const asn = asn1js.fromBER(ab(der));
  if (asn.offset === -1) throw new CertificateError('The certificate is not valid DER.');
  try {
    return { cert: new pkijs.Certificate({ schema: asn.result }), der: der.slice() };
  } catch {
    throw new CertificateError('The data is not an X.509 certificate.');
  }
}

export class CertificateError extends Error {
  readonly code = 'malformed' as const;
}

/** Parses a certificate (DER, PEM, or base64 DER) into the fields the portal uses. */
export function parseCertificate(input: Uint8Array | string): CertInfo {
  const { cert, der } = parsePkijsCertificate(input);
  return certInfoOf(cert, der);
}

export function certInfoOf(cert: pkijs.Certificate, der: Uint8Array): CertInfo {
  const subject = nameAttributes(cert.subject);
  const first = (oid: string) => subject.find(([o]) => o === oid)?.[1] ?? null;
  const all = (oid: string) => subject.filter(([o]) => o === oid).map(([, v]) => v);

  const serialAttr = first('2.5.4.5');
  const iin = serialAttr && /^IIN\d{12}$/.test(serialAttr) ? serialAttr.slice(3) : null;
  const binAttr = all('2.5.4.11').find((v) => /^BIN\d{12}$/.test(v));
  const bin = binAttr ? binAttr.slice(3) : null;
  const commonName = first('2.5.4.3');
  const surname = first('2.5.4.4');
  // NCA: CN = "SURNAME FIRSTNAME", GIVENNAME = patronymic.
  let givenName: string | null = null;
  if (commonName && surname && commonName.startsWith(surname + ' ')) givenName = commonName.slice(surname.length + 1).trim() || null;
  else if (commonName && iin) givenName = commonName.split(/\s+/)[1] ?? null;
  const patronymic = iin ? first('2.5.4.42') : null;

  const ext = (oid: string) => cert.extensions?.find((e) => e.extnID === oid);
  const keyUsage: string[] = [];
  const ku = ext('2.5.29.15')?.parsedValue as asn1js.BitString | undefined;
  if (ku) {
    const bytes = ku.valueBlock.valueHexView;
    KEY_USAGE_BITS.forEach((name, i) => {
      if ((bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) keyUsage.push(name);
    });
  }
  const extKeyUsage: string[] = (ext('2.5.29.37')?.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
  const policyOids: string[] =
    (ext('2.5.29.32')?.parsedValue as pkijs.CertificatePolicies | undefined)?.certificatePolicies.map((p) => p.policyIdentifier) ?? [];
  const ncaRoles = [...new Set([...extKeyUsage, ...policyOids].map((o) => NCA_ROLE_OIDS[o]).filter(Boolean))];
  const purposes: ('auth' | 'sign')[] = [];
  if (extKeyUsage.includes(OID.auth)) purposes.push('auth');
  if (extKeyUsage.includes(OID.sign)) purposes.push('sign');

  const crlUrls: string[] = [];
  const crlDp = ext('2.5.29.31')?.parsedValue as pkijs.CRLDistributionPoints | undefined;
  for (const dp of crlDp?.distributionPoints ?? []) {
    if (Array.isArray(dp.distributionPoint)) crlUrls.push(...uris(dp.distributionPoint));
  }
  const aia = ext('1.3.6.1.5.5.7.1.1')?.parsedValue as pkijs.InfoAccess | undefined;
  const ocspUrls: string[] = [];
  const caIssuersUrls: string[] = [];
  for (const ad of aia?.accessDescriptions ?? []) {
    if (ad.accessMethod === '1.3.6.1.5.5.7.48.1') ocspUrls.push(...uris([ad.accessLocation]));
    if (ad.accessMethod === '1.3.6.1.5.5.7.48.2') caIssuersUrls.push(...uris([ad.accessLocation]));
  }
  const bc = ext('2.5.29.19')?.parsedValue as pkijs.BasicConstraints | undefined;
  const ski = ext('2.5.29.14')?.parsedValue as asn1js.OctetString | undefined;
  const aki = ext('2.5.29.35')?.parsedValue as pkijs.AuthorityKeyIdentifier | undefined;

  let email = first('1.2.840.113549.1.9.1');
  if (!email) {
    const san = ext('2.5.29.17')?.parsedValue as pkijs.AltName | undefined;
    email = san?.altNames.find((g) => g.type === 1)?.value ?? null;
  }

  return {
    serialNumber: serialHex(cert.serialNumber.valueBlock.valueHexView),
    subjectDn: formatDn(cert.subject),
    issuerDn: formatDn(cert.issuer),
    iin,
    bin,
    organization: first('2.5.4.10'),
    commonName,
    surname,
    givenName,
    patronymic,
    email,
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    keyUsage,
    extKeyUsage,
    purposes,
    ncaRoles,
    policyOids,
    publicKeyAlgorithm: spkiAlgorithm(cert),
    signatureAlgorithmOid: cert.signatureAlgorithm.algorithmId,
    crlUrls,
    ocspUrls,
    caIssuersUrls,
    isCa: bc?.cA === true,
    fingerprintSha256: toHex(sha256(der)),
    der,
    subjectDer: new Uint8Array(cert.subject.toSchema().toBER(false)),
    issuerDer: new Uint8Array(cert.issuer.toSchema().toBER(false)),
    subjectKeyId: ski ? toHex(ski.valueBlock.valueHexView) : null,
    authorityKeyId: aki?.keyIdentifier ? toHex(aki.keyIdentifier.valueBlock.valueHexView) : null,
  };
}

/** A display name: "SURNAME FIRSTNAME PATRONYMIC" from an NCA certificate. */
export function fullNameOf(c: CertInfo): string {
  return [c.surname, c.givenName, c.patronymic].filter(Boolean).join(' ') || c.commonName || '';
}
