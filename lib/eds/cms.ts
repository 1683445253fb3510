import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ab, fromBase64, serialHex } from './encoding';

/**
 * CMS SignedData (RFC 5652) as NCALayer and the demo signer produce it: attached or detached, DER or base64.
 */
export type ParsedCms = {
  signedData: pkijs.SignedData;
  signerInfo: pkijs.SignerInfo;
  /** Certificates carried in the CMS (DER). */
  certsDer: Uint8Array[];
  /** The encapsulated content, when attached. */
  attachedContent: Uint8Array | null;
  digestAlgorithmOid: string;
  signatureAlgorithmOid: string;
  signature: Uint8Array;
  /** DER of the signed attributes re-tagged as SET OF (what the signature covers), or null if absent. */
  signedAttrsDer: Uint8Array | null;
  messageDigest: Uint8Array | null;
  signingTime: Date | null;
  /** RFC 3161 timestamp token (unsigned attribute id-aa-timeStampToken), DER, when present. */
  timestampTokenDer: Uint8Array | null;
  sid: { issuer: pkijs.RelativeDistinguishedNames; serial: string } | { keyId: Uint8Array };
};

export class CmsError extends Error {
  readonly code = 'malformed' as const;
}

const ATTR = {
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
};

export function parseCms(input: Uint8Array | string): ParsedCms {
  let der: Uint8Array;
  try {
    der = typeof input === 'string' ? fromBase64(input.replace(/-----[^-]+-----/g, '')) : input;
  } catch {
    throw new CmsError('The signature is not valid base64.');
  }
  const asn = asn1js.fromBER(ab(der));
  if (asn.offset === -1) throw new CmsError('The signature is not valid DER.');
  let signedData: pkijs.SignedData;
  try {
    const ci = new pkijs.ContentInfo({ schema: asn.result });
    if (ci.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('not SignedData');
    signedData = new pkijs.SignedData({ schema: ci.content });
  } catch {
    throw new CmsError('The signature is not a CMS SignedData.');
  }
  if (signedData.signerInfos.length !== 1) throw new CmsError('The signature must have exactly one signer.');
  const si = signedData.signerInfos[0];
  const attrs = si.signedAttrs?.attributes ?? [];
  const attr = (oid: string) => attrs.find((a) => a.type === oid)?.values[0];
  const md = attr(ATTR.messageDigest) as asn1js.OctetString | undefined;
  const st = attr(ATTR.signingTime) as asn1js.UTCTime | asn1js.GeneralizedTime | undefined;
  const tst = si.unsignedAttrs?.attributes.find((a) => a.type === ATTR.timeStampToken)?.values[0];

  let signedAttrsDer: Uint8Array | null = null;
  if (si.signedAttrs) {
    // The signature covers the attributes with the universal SET tag, not the [0] IMPLICIT tag they carry.
    const raw = new Uint8Array(si.signedAttrs.encodedValue);
    signedAttrsDer = raw.slice();
    signedAttrsDer[0] = 0x31;
  }
  const eContent = signedData.encapContentInfo.eContent;
  let attachedContent: Uint8Array | null = null;
  if (eContent) {
    // Constructed OCTET STRINGs (BER, chunked) are concatenated.
    if (eContent.idBlock.isConstructed) {
      const parts = (eContent.valueBlock.value as asn1js.OctetString[]).map((p) => new Uint8Array(p.valueBlock.valueHexView));
      attachedContent = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        attachedContent.set(p, o);
        o += p.length;
      }
    } else attachedContent = new Uint8Array(eContent.valueBlock.valueHexView);
  }
  const sid =
    si.sid instanceof pkijs.IssuerAndSerialNumber
      ? { issuer: si.sid.issuer, serial: serialHex(si.sid.serialNumber.valueBlock.valueHexView) }
      : { keyId: new Uint8Array((si.sid as asn1js.OctetString).valueBlock.valueHexView) };
  return {
    signedData,
    signerInfo: si,
    certsDer: (signedData.certificates ?? [])
      .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
      .map((c) => new Uint8Array(c.toSchema().toBER(false))),
    attachedContent,
    digestAlgorithmOid: si.digestAlgorithm.algorithmId,
    signatureAlgorithmOid: si.signatureAlgorithm.algorithmId,
    signature: new Uint8Array(si.signature.valueBlock.valueHexView),
    signedAttrsDer,
    messageDigest: md ? new Uint8Array(md.valueBlock.valueHexView) : null,
    signingTime: st ? st.toDate() : null,
    timestampTokenDer: tst ? new Uint8Array(tst.toBER(false)) : null,
    sid,
  };
}

/** The genTime and message imprint of an RFC 3161 timestamp token (a CMS SignedData over TSTInfo). */
export function parseTimestampToken(der: Uint8Array): { genTime: Date; imprintAlgOid: string; imprint: Uint8Array; cms: ParsedCms } {
  const cms = parseCms(der);
  if (!cms.attachedContent) throw new CmsError('The timestamp token has no TSTInfo.');
  const tst = pkijs.TSTInfo.fromBER(ab(cms.attachedContent));
  return {
    genTime: tst.genTime,
    imprintAlgOid: tst.messageImprint.hashAlgorithm.algorithmId,
    imprint: new Uint8Array(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
    cms,
  };
}
