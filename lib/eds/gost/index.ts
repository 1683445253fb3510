/** GOST R 34.11-2012 (Streebog) and GOST R 34.10-2015 verification by NCA's conventions. Pure TypeScript. */
export { streebog256, streebog512 } from './streebog';
export { verifyGost2015, verifyGostDigest, unwrapGostPublicKey, bytesToBigIntLE, type GostVerifyParams } from './verify';
export {
  verifyGostSignedObject,
  verifyGostSignedObjectDetailed,
  isGost2015SignatureOid,
  GostError,
  GOST2015_SIGNATURE_OIDS,
  GOST2015_KEY_OIDS,
  type GostErrorCode,
  type GostSignedObjectKind,
  type GostSignedObjectResult,
} from './signed-object';
export { curveFor, getCurve, PARAM_SET_OIDS, type GostCurve, type GostCurveName } from './curves';
export { signGost2015, generateGost2015KeyPair, gostPublicKeyFromPrivate, bigIntToBytesLE, type GostKeyPair } from './sign';
