import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import './reflect-polyfill';
import * as x509 from '@peculiar/x509';
import { ab, bytesEqual, fromBase64, toBase64 } from './encoding';
import type { CertInfo } from './certificate';
import type { RevocationSource } from './revocation';

/**
 * TESTS ONLY: a second, small generated PKI for the cases the demo test PKI (lib/eds/test-pki.ts) cannot show,
 * because its root key is not kept: a root that revokes one of its two intermediates (a CRL signed by the root),
 * users under each intermediate, and time-stamping authorities (a good one under the trusted root, one without
 * the timeStamping usage, one under an untrusted root) with an RFC 3161 token maker. Nothing here is used by
 * the application.
 */

const RSA: RsaHashedKeyGenParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };
const SIGALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const SIGN_EKU = '1.3.6.1.5.5.7.3.4';
const TIME_STAMPING_EKU = '1.3.6.1.5.5.7.3.8';
const INDIVIDUAL = '1.2.398.3.3.4.1.1';
const FROM = new Date('2020-01-01T00:00:00Z');
const TO = new Date('2045-01-01T00:00:00Z');
export const EXTRA_REVOKED_AT = new Date('2026-01-15T00:00:00Z');

export type ExtraKey = { certDer: Uint8Array; privateKey: CryptoKey; info: { iin: string } };
export type ExtraPki = {
  rootDer: Uint8Array;
  goodIntermediateDer: Uint8Array;
  revokedIntermediateDer: Uint8Array;
  /** A SIGN key under the good intermediate and one under the revoked intermediate. */
  underGood: ExtraKey;
  underRevoked: ExtraKey;
  /** TSAs: under the good intermediate; the same without the timeStamping usage; under an untrusted root. */
  tsa: ExtraKey;
  tsaWithoutUsage: ExtraKey;
  tsaForeign: ExtraKey & { rootDer: Uint8Array };
  /** A TSA under the good intermediate that the intermediate has revoked (in its CRL). */
  tsaRevoked: ExtraKey;
  /** CRLs as each issuer publishes them (the root's lists the revoked intermediate). */
  crlOf(issuerDer: Uint8Array, now: Date): Promise<Uint8Array | null>;
};

const der = (c: x509.X509Certificate) => new Uint8Array(c.rawData);
const name = (cn: string) => new x509.Name([{ '2.5.4.6': [{ printableString: 'KZ' }] }, { '2.5.4.3': [{ utf8String: cn }] }]);
let serial = 0x5000;
const nextSerial = () => (serial++).toString(16).padStart(8, '0');

async function keys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function ca(cn: string, kp: CryptoKeyPair, issuer?: { cert: x509.X509Certificate; key: CryptoKey }): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: name(cn),
    issuer: issuer ? issuer.cert.subjectName : name(cn),
    notBefore: FROM,
    notAfter: TO,
    signingAlgorithm: SIGALG,
    publicKey: kp.publicKey,
    signingKey: issuer?.key ?? kp.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, issuer ? 0 : undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(kp.publicKey),
      ...(issuer ? [await x509.AuthorityKeyIdentifierExtension.create(issuer.cert, false)] : []),
    ],
  });
}

async function leaf(
  subject: x509.Name,
  eku: string[],
  issuer: { cert: x509.X509Certificate; key: CryptoKey },
  ku: x509.KeyUsageFlags,
): Promise<{ cert: x509.X509Certificate; key: CryptoKey }> {
  const kp = await keys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject,
    issuer: issuer.cert.subjectName,
    notBefore: FROM,
    notAfter: TO,
    signingAlgorithm: SIGALG,
    publicKey: kp.publicKey,
    signingKey: issuer.key,
    extensions: [
      new x509.KeyUsagesExtension(ku, true),
      new x509.ExtendedKeyUsageExtension(eku, eku.includes(TIME_STAMPING_EKU)),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.cert, false),
      await x509.SubjectKeyIdentifierExtension.create(kp.publicKey),
    ],
  });
  return { cert, key: kp.privateKey };
}

function person(iin: string, surname: string): x509.Name {
  return new x509.Name([
    { '2.5.4.3': [{ utf8String: `${surname} ТЕСТ` }] },
    { '2.5.4.4': [{ utf8String: surname }] },
    { '2.5.4.5': [{ printableString: `IIN${iin}` }] },
    { '2.5.4.6': [{ printableString: 'KZ' }] },
  ]);
}

/** Generates the extra PKI (about ten RSA keys: a few seconds). `iins` name the two users (valid IINs). */
export async function generateExtraPki(iins: { underGood: string; underRevoked: string }): Promise<ExtraPki> {
  x509.cryptoProvider.set(crypto);
  const rootKeys = await keys();
  const root = await ca('EXTRA TEST ROOT', rootKeys);
  const r = { cert: root, key: rootKeys.privateKey };
  const goodKeys = await keys();
  const good = await ca('EXTRA TEST CA GOOD', goodKeys, r);
  const revKeys = await keys();
  const revoked = await ca('EXTRA TEST CA REVOKED', revKeys, r);
  const g = { cert: good, key: goodKeys.privateKey };
  const signKu = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;
  const u1 = await leaf(person(iins.underGood, 'ЖАҚСЫ'), [SIGN_EKU, INDIVIDUAL], g, signKu);
  const u2 = await leaf(person(iins.underRevoked, 'КЕРІ'), [SIGN_EKU, INDIVIDUAL], { cert: revoked, key: revKeys.privateKey }, signKu);
  const tsa = await leaf(name('EXTRA TEST TSA'), [TIME_STAMPING_EKU], g, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
  const tsaNoUsage = await leaf(name('EXTRA TEST TSA WITHOUT USAGE'), [SIGN_EKU], g, x509.KeyUsageFlags.digitalSignature);
  const tsaRevoked = await leaf(name('EXTRA TEST TSA REVOKED'), [TIME_STAMPING_EKU], g, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
  const foreignKeys = await keys();
  const foreignRoot = await ca('FOREIGN TSA ROOT', foreignKeys);
  const tsaForeign = await leaf(name('FOREIGN TSA'), [TIME_STAMPING_EKU], { cert: foreignRoot, key: foreignKeys.privateKey }, x509.KeyUsageFlags.digitalSignature);

  const crls = new Map<string, { issuer: x509.X509Certificate; key: CryptoKey; revoked: string[] }>([
    [toBase64(der(root)), { issuer: root, key: rootKeys.privateKey, revoked: [revoked.serialNumber] }],
    [toBase64(der(good)), { issuer: good, key: goodKeys.privateKey, revoked: [tsaRevoked.cert.serialNumber] }],
    [toBase64(der(revoked)), { issuer: revoked, key: revKeys.privateKey, revoked: [] }],
  ]);
  const k = (x: { cert: x509.X509Certificate; key: CryptoKey }, iin = ''): ExtraKey => ({ certDer: der(x.cert), privateKey: x.key, info: { iin } });
  return {
    rootDer: der(root),
    goodIntermediateDer: der(good),
    revokedIntermediateDer: der(revoked),
    underGood: k(u1, iins.underGood),
    underRevoked: k(u2, iins.underRevoked),
    tsa: k(tsa),
    tsaWithoutUsage: k(tsaNoUsage),
    tsaForeign: { ...k(tsaForeign), rootDer: der(foreignRoot) },
    tsaRevoked: k(tsaRevoked),
    async crlOf(issuerDer, now) {
      const c = crls.get(toBase64(issuerDer));
      if (!c) return null;
      const crl = await x509.X509CrlGenerator.create({
        issuer: c.issuer.subjectName,
        thisUpdate: now,
        nextUpdate: new Date(now.getTime() + 24 * 3600_000),
        entries: c.revoked.map((s) => ({ serialNumber: s, revocationDate: EXTRA_REVOKED_AT, reason: x509.X509CrlReason.cACompromise })),
        signingAlgorithm: SIGALG,
        signingKey: c.key,
        extensions: [await x509.AuthorityKeyIdentifierExtension.create(c.issuer, false)],
      });
      return new Uint8Array(crl.rawData);
    },
  };
}

/** A CRL-only revocation source for the extra PKI (each issuer's CRL, signed by that issuer). */
export function extraCrlSource(pki: ExtraPki, now: () => Date): RevocationSource {
  return { name: 'extra-pki', crl: async (_cert: CertInfo, issuer: CertInfo) => pki.crlOf(issuer.der, now()) };
}

const TST_INFO = '1.2.840.113549.1.9.16.1.4';
const TIMESTAMP_TOKEN_ATTR = '1.2.840.113549.1.9.16.2.14';
const SHA256 = '2.16.840.1.101.3.4.2.1';

/**
 * Adds an RFC 3161 timestamp token (genTime, stamping the signature value with SHA-256, signed by `tsa`, its
 * certificate and `chainDer` included) to a CMS signature as the unsigned attribute id-aa-timeStampToken.
 */
export async function addTimestamp(cmsBase64: string, tsa: { certDer: Uint8Array; privateKey: CryptoKey }, genTime: Date, chainDer: Uint8Array[] = []): Promise<string> {
  const ci = pkijs.ContentInfo.fromBER(ab(fromBase64(cmsBase64)));
  const sd = new pkijs.SignedData({ schema: ci.content });
  const si = sd.signerInfos[0];
  const imprint = await crypto.subtle.digest('SHA-256', si.signature.valueBlock.valueHexView.slice());
  const tstInfo = new pkijs.TSTInfo({
    version: 1,
    policy: '1.2.398.3.3.2.6',
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: imprint }),
    }),
    serialNumber: new asn1js.Integer({ value: Math.floor(genTime.getTime() / 1000) }),
    genTime,
  });
  const content = tstInfo.toSchema().toBER(false);
  const tsaCert = pkijs.Certificate.fromBER(ab(tsa.certDer));
  const token = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: TST_INFO, eContent: new asn1js.OctetString({ valueHex: content }) }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: tsaCert.issuer, serialNumber: tsaCert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: TST_INFO })] }),
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: await crypto.subtle.digest('SHA-256', content) })] }),
          ],
        }),
      }),
    ],
    certificates: [tsaCert, ...chainDer.map((d) => pkijs.Certificate.fromBER(ab(d)))],
  });
  await token.sign(tsa.privateKey, 0, 'SHA-256');
  const tokenCi = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: token.toSchema(true) });
  si.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [new pkijs.Attribute({ type: TIMESTAMP_TOKEN_ATTR, values: [tokenCi.toSchema()] })] });
  const out = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: sd.toSchema(true) });
  const bytes = new Uint8Array(out.toSchema().toBER(false));
  if (bytesEqual(bytes, fromBase64(cmsBase64))) throw new Error('addTimestamp: the token was not added');
  return toBase64(bytes);
}
