import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { signGost2015, streebog256, streebog512 } from '../gost';
import { ab, toBase64 } from '../encoding';

/**
 * The demo/test software signer: opens a PKCS#12 key file and makes a detached CMS signature with WebCrypto.
 * Runs in the BROWSER (bundled into the demo sign-in page) and in Node (tests): no node: imports. Real users
 * sign through NCALayer instead; this only exists for the test PKI's key files (EDS_TEST_MODE).
 */

export class P12Error extends Error {
  constructor(
    readonly code: 'wrong_password' | 'malformed' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'P12Error';
  }
}

const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const X509_CERT = '1.2.840.113549.1.9.22.1';

function passwordBuffer(password: string): ArrayBuffer {
  return ab(new TextEncoder().encode(password));
}

/** A GOST 34.10-2015 private key opened from a key file: WebCrypto has no GOST, so lib/eds/gost signs with it. */
export type GostSoftwareKey = { kind: 'gost2015'; d: Uint8Array; bits: 512 | 256; paramSetOid: string | undefined };
export type SoftwareKey = CryptoKey | GostSoftwareKey;

const GOST2015_KEY = '1.2.398.3.10.1.1.2.2';
const isGostKey = (k: SoftwareKey): k is GostSoftwareKey => (k as GostSoftwareKey).kind === 'gost2015';

/** The private scalar (little-endian) of a GOST PKCS#8 PrivateKeyInfo, with its parameter set. */
function gostKeyFromPkcs8(info: pkijs.PrivateKeyInfo): { d: Uint8Array; paramSetOid: string | undefined; bits: 512 | 256 } {
  const outer = new Uint8Array(info.privateKey.valueBlock.valueHexView);
  const inner = asn1js.fromBER(ab(outer));
  const d = inner.offset === outer.length && inner.result instanceof asn1js.OctetString ? new Uint8Array(inner.result.valueBlock.valueHexView) : outer;
  const params = info.privateKeyAlgorithm.algorithmParams as asn1js.Sequence | undefined;
  const first = params?.valueBlock?.value?.[0];
  const paramSetOid = first instanceof asn1js.ObjectIdentifier ? first.valueBlock.toString() : undefined;
  return { d, paramSetOid, bits: d.length <= 32 ? 256 : 512 };
}

function keyAlgorithmOf(pki: pkijs.PrivateKeyInfo): RsaHashedImportParams | EcKeyImportParams {
  const oid = pki.privateKeyAlgorithm.algorithmId;
  if (oid === '1.2.840.113549.1.1.1') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (oid === '1.2.840.10045.2.1') {
    const curveOid = (pki.privateKeyAlgorithm.algorithmParams as asn1js.ObjectIdentifier | undefined)?.valueBlock.toString();
    const namedCurve = curveOid === '1.3.132.0.34' ? 'P-384' : curveOid === '1.3.132.0.35' ? 'P-521' : 'P-256';
    return { name: 'ECDSA', namedCurve };
  }
  throw new P12Error('unsupported', `This key type (${oid}) cannot be used in the browser; use NCALayer.`);
}

/** Opens a PKCS#12 file (PBES2-encrypted, as the test PKI writes them). */
export async function openP12(
  p12: Uint8Array,
  password: string,
): Promise<{ certDer: Uint8Array; chainDer: Uint8Array[]; privateKey: SoftwareKey }> {
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(ab(p12));
  } catch {
    throw new P12Error('malformed', 'The file is not a PKCS#12 key file.');
  }
  const pw = passwordBuffer(password);
  try {
    await pfx.parseInternalValues({ password: pw, checkIntegrity: true });
  } catch (e) {
    if (e instanceof Error && /integrity/i.test(e.message)) throw new P12Error('wrong_password', 'The password is wrong.');
    throw new P12Error('malformed', 'The key file cannot be read.');
  }
  const authSafe = pfx.parsedValue?.authenticatedSafe;
  if (!authSafe) throw new P12Error('malformed', 'The key file has no contents.');
  try {
    await authSafe.parseInternalValues({ safeContents: authSafe.safeContents.map(() => ({ password: pw })) });
  } catch {
    throw new P12Error('wrong_password', 'The password is wrong.');
  }
  let keyInfo: pkijs.PrivateKeyInfo | null = null;
  const certs: Uint8Array[] = [];
  for (const sc of (authSafe.parsedValue?.safeContents ?? []) as { value: pkijs.SafeContents }[]) {
    for (const bag of sc.value.safeBags) {
      if (bag.bagId === SHROUDED_KEY_BAG) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        try {
          await (shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }): Promise<void> }).parseInternalValues({ password: pw });
        } catch {
          throw new P12Error('wrong_password', 'The password is wrong.');
        }
        keyInfo = shrouded.parsedValue ?? null;
      } else if (bag.bagId === CERT_BAG) {
        const cb = bag.bagValue as pkijs.CertBag;
        if (cb.parsedValue instanceof pkijs.Certificate) certs.push(new Uint8Array(cb.parsedValue.toSchema().toBER(false)));
      }
    }
  }
  if (!keyInfo || certs.length === 0) throw new P12Error('malformed', 'The key file has no key or no certificate.');
  // The first certificate is the key's own (createP12 writes it first); the rest is the chain.
  if (keyInfo.privateKeyAlgorithm.algorithmId === GOST2015_KEY) {
    return { certDer: certs[0], chainDer: certs.slice(1), privateKey: { kind: 'gost2015', ...gostKeyFromPkcs8(keyInfo) } };
  }
  const alg = keyAlgorithmOf(keyInfo);
  const privateKey = await crypto.subtle.importKey('pkcs8', keyInfo.toSchema().toBER(false), alg, false, ['sign']);
  return { certDer: certs[0], chainDer: certs.slice(1), privateKey };
}

/**
 * A detached CMS SignedData over `data`: signed attributes contentType, signingTime, messageDigest;
 * SHA-256 with RSASSA-PKCS1-v1_5 (or ECDSA), or Streebog with GOST 34.10-2015 for a GOST key (NCA's OIDs and
 * byte order, signed by lib/eds/gost); the signer's certificate included. Returns base64 DER.
 */
export async function signCmsDetached(
  key: { certDer: Uint8Array; privateKey: SoftwareKey },
  data: Uint8Array,
  opts: { signingTime?: Date } = {},
): Promise<string> {
  const cert = pkijs.Certificate.fromBER(ab(key.certDer));
  const gost = isGostKey(key.privateKey) ? key.privateKey : null;
  const digest = gost ? ab(gost.bits === 512 ? streebog512(data) : streebog256(data)) : await crypto.subtle.digest('SHA-256', ab(data));
  const signingTime = opts.signingTime ?? new Date();
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })] }),
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.5', values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: digest })] }),
          ],
        }),
      }),
    ],
    certificates: [cert],
  });
  if (gost) signGostSignerInfo(signed, gost);
  else await signed.sign(key.privateKey as CryptoKey, 0, 'SHA-256');
  const ci = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signed.toSchema(true) });
  return toBase64(new Uint8Array(ci.toSchema().toBER(false)));
}

/** What pkijs' SignedData.sign does, with GOST: the signed attributes re-tagged as SET OF, signed by lib/eds/gost. */
function signGostSignerInfo(signed: pkijs.SignedData, key: GostSoftwareKey): void {
  const digestOid = key.bits === 512 ? '1.2.398.3.10.1.3.3' : '1.2.398.3.10.1.3.2';
  const sigOid = key.bits === 512 ? '1.2.398.3.10.1.1.2.3.2' : '1.2.398.3.10.1.1.2.3.1';
  const si = signed.signerInfos[0];
  si.digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: digestOid });
  si.signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: sigOid });
  signed.digestAlgorithms = [new pkijs.AlgorithmIdentifier({ algorithmId: digestOid })];
  const attrs = new Uint8Array(si.signedAttrs!.toSchema().toBER(false));
  si.signedAttrs!.encodedValue = attrs.slice().buffer;
  attrs[0] = 0x31;
  const value = signGost2015({ privateKey: key.d, bits: key.bits, paramSetOid: key.paramSetOid, data: attrs });
  si.signature = new asn1js.OctetString({ valueHex: ab(value) });
}

/**
 * Writes a PKCS#12 file that WebCrypto can open: the key in a PKCS8ShroudedKeyBag and the certificates
 * in an encrypted SafeContents, both PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC); HMAC-SHA256 integrity.
 * Used by the test PKI generator (Node), kept here so the format lives next to its reader.
 */
export async function createP12(params: {
  certDer: Uint8Array;
  chainDer?: Uint8Array[];
  privateKeyPkcs8: Uint8Array;
  password: string;
  friendlyName?: string;
  iterations?: number;
}): Promise<Uint8Array> {
  const pw = passwordBuffer(params.password);
  const iterations = params.iterations ?? 10_000;
  const enc = { password: pw, contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 }, hmacHashAlgorithm: 'SHA-256', iterationCount: iterations };
  const keyId = new Uint8Array(await crypto.subtle.digest('SHA-256', ab(params.certDer))).slice(0, 20);
  const attrs = [
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.21', values: [new asn1js.OctetString({ valueHex: ab(keyId) })] }),
    ...(params.friendlyName ? [new pkijs.Attribute({ type: '1.2.840.113549.1.9.20', values: [new asn1js.BmpString({ value: params.friendlyName })] })] : []),
  ];
  const keyBag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: pkijs.PrivateKeyInfo.fromBER(ab(params.privateKeyPkcs8)) });
  await keyBag.makeInternalValues(enc as never);
  const certBags = [params.certDer, ...(params.chainDer ?? [])].map(
    (der, i) =>
      new pkijs.SafeBag({
        bagId: CERT_BAG,
        bagValue: new pkijs.CertBag({ certId: X509_CERT, parsedValue: pkijs.Certificate.fromBER(ab(der)) }),
        ...(i === 0 ? { bagAttributes: attrs } : {}),
      }),
  );
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [new pkijs.SafeBag({ bagId: SHROUDED_KEY_BAG, bagValue: keyBag, bagAttributes: attrs })] }) },
            { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: certBags }) },
          ],
        },
      }),
    },
  });
  await pfx.parsedValue!.authenticatedSafe!.makeInternalValues({ safeContents: [{}, enc] });
  await pfx.makeInternalValues({ password: pw, iterations, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' });
  return new Uint8Array(pfx.toSchema().toBER(false));
}
