import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import './reflect-polyfill';
import * as x509 from '@peculiar/x509';
import { signGost2015 } from './gost';
import { ab } from './encoding';

/**
 * GOST R 34.10-2015 (512-bit, TC26 paramSetA, Streebog-512) building blocks for the generated test PKI
 * (lib/eds/test-pki.ts): certificates, CRLs and OCSP responses are built with pkijs/asn1js and signed with our
 * own signGost2015, in NCA's encoding (lib/eds/gost/README.md): signature algorithm 1.2.398.3.10.1.1.2.3.2 with
 * NULL parameters, key algorithm 1.2.398.3.10.1.1.2.2 with { paramSet 1.2.398.3.10.1.1.2.2.1, Streebog-512 },
 * public key OCTET STRING (x‖y little-endian) inside the BIT STRING, signature LE(r)‖LE(s).
 */
export const GOST_OID = {
  signature: '1.2.398.3.10.1.1.2.3.2',
  key: '1.2.398.3.10.1.1.2.2',
  paramSet: '1.2.398.3.10.1.1.2.2.1',
  streebog512: '1.2.398.3.10.1.3.3',
} as const;

/** NCA writes the GOST signature algorithm with explicit NULL parameters. */
export function gostSignatureAlgorithm(): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId: GOST_OID.signature, algorithmParams: new asn1js.Null() });
}

export function gostKeyAlgorithm(): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({
    algorithmId: GOST_OID.key,
    algorithmParams: new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: GOST_OID.paramSet }), new asn1js.ObjectIdentifier({ value: GOST_OID.streebog512 })] }),
  });
}

/** SubjectPublicKeyInfo of a 512-bit key given as x‖y little-endian (128 bytes). */
export function gostSpki(publicKey: Uint8Array): pkijs.PublicKeyInfo {
  return new pkijs.PublicKeyInfo({
    algorithm: gostKeyAlgorithm(),
    subjectPublicKey: new asn1js.BitString({ valueHex: new asn1js.OctetString({ valueHex: ab(publicKey) }).toBER(false) }),
  });
}

/** PKCS#8 PrivateKeyInfo of a GOST key: privateKey = OCTET STRING { OCTET STRING d (little-endian) } (read by openP12). */
export function gostPkcs8(privateKey: Uint8Array): Uint8Array {
  const info = new pkijs.PrivateKeyInfo({
    version: 0,
    privateKeyAlgorithm: gostKeyAlgorithm(),
    privateKey: new asn1js.OctetString({ valueHex: new asn1js.OctetString({ valueHex: ab(privateKey) }).toBER(false) }),
  });
  return new Uint8Array(info.toSchema().toBER(false));
}

const sign = (privateKey: Uint8Array, data: Uint8Array) => signGost2015({ privateKey, bits: 512, paramSetOid: GOST_OID.paramSet, data });

/** RFC 5280 key identifier (method 1): SHA-1 of the subjectPublicKey BIT STRING contents, hex. */
export async function gostKeyId(publicKey: Uint8Array): Promise<string> {
  const bits = new asn1js.OctetString({ valueHex: ab(publicKey) }).toBER(false);
  return Buffer.from(await crypto.subtle.digest('SHA-1', bits)).toString('hex');
}

const time = (d: Date) => new pkijs.Time({ type: d.getUTCFullYear() >= 2050 ? 1 : 0, value: d });
const rdn = (name: x509.Name) => pkijs.RelativeDistinguishedNames.fromBER(name.toArrayBuffer());
const ext = (e: x509.Extension) => pkijs.Extension.fromBER(e.rawData);

/** A certificate signed with the issuer's GOST key (`issuerKey`: d, little-endian). Returns DER. */
export function gostCertificate(params: {
  serialHex: string;
  subject: x509.Name;
  issuer: x509.Name;
  notBefore: Date;
  notAfter: Date;
  publicKey: Uint8Array;
  extensions: x509.Extension[];
  issuerKey: Uint8Array;
}): Uint8Array {
  const cert = new pkijs.Certificate({
    version: 2,
    serialNumber: new asn1js.Integer({ valueHex: ab(Buffer.from(params.serialHex, 'hex')) }),
    signature: gostSignatureAlgorithm(),
    issuer: rdn(params.issuer),
    subject: rdn(params.subject),
    notBefore: time(params.notBefore),
    notAfter: time(params.notAfter),
    subjectPublicKeyInfo: gostSpki(params.publicKey),
    extensions: params.extensions.map(ext),
  });
  cert.tbsView = new Uint8Array(cert.encodeTBS().toBER(false));
  cert.signatureAlgorithm = gostSignatureAlgorithm();
  cert.signatureValue = new asn1js.BitString({ valueHex: ab(sign(params.issuerKey, cert.tbsView)) });
  return new Uint8Array(cert.toSchema().toBER(false));
}

/** A CRL of a GOST CA (keyCompromise entries), signed with its key. Returns DER. */
export function gostCrl(params: {
  issuer: x509.Name;
  issuerKey: Uint8Array;
  authorityKeyId: string;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: number;
  entries: { serialHex: string; revokedAt: Date }[];
}): Uint8Array {
  const crl = new pkijs.CertificateRevocationList({
    version: 1,
    signature: gostSignatureAlgorithm(),
    issuer: rdn(params.issuer),
    thisUpdate: time(params.thisUpdate),
    nextUpdate: time(params.nextUpdate),
    ...(params.entries.length
      ? {
          revokedCertificates: params.entries.map(
            (e) =>
              new pkijs.RevokedCertificate({
                userCertificate: new asn1js.Integer({ valueHex: ab(Buffer.from(e.serialHex, 'hex')) }),
                revocationDate: time(e.revokedAt),
                crlEntryExtensions: new pkijs.Extensions({
                  extensions: [new pkijs.Extension({ extnID: '2.5.29.21', extnValue: new asn1js.Enumerated({ value: 1 }).toBER(false) })],
                }),
              }),
          ),
        }
      : {}),
    crlExtensions: new pkijs.Extensions({
      extensions: [
        ext(new x509.AuthorityKeyIdentifierExtension(params.authorityKeyId)),
        new pkijs.Extension({ extnID: '2.5.29.20', extnValue: new asn1js.Integer({ value: params.crlNumber }).toBER(false) }),
      ],
    }),
  });
  crl.tbsView = new Uint8Array((crl as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS().toBER(false));
  crl.signatureAlgorithm = gostSignatureAlgorithm();
  crl.signatureValue = new asn1js.BitString({ valueHex: ab(sign(params.issuerKey, crl.tbsView)) });
  return new Uint8Array(crl.toSchema().toBER(false));
}

/** Signs a BasicOCSPResponse with a GOST key (in place), as pkijs' sign() does for WebCrypto keys. */
export function signBasicOcspGost(basic: pkijs.BasicOCSPResponse, key: Uint8Array): void {
  basic.tbsResponseData.tbsView = new Uint8Array(basic.tbsResponseData.toSchema(true).toBER(false));
  basic.signatureAlgorithm = gostSignatureAlgorithm();
  basic.signature = new asn1js.BitString({ valueHex: ab(sign(key, basic.tbsResponseData.tbsView)) });
}
