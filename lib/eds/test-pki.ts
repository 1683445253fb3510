import fs from 'node:fs';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import './reflect-polyfill';
import * as x509 from '@peculiar/x509';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { edsTestPki } from '@/db/schema/eds';
import { now as clockNow } from '@/lib/time/clock';
import { createP12 } from './browser/p12-signer';
import { ab, fromBase64, fromHex, serialHex, toBase64, toHex } from './encoding';
import { generateGost2015KeyPair, type GostKeyPair } from './gost';
import { withCheckDigit } from './iin';
import { GOST_OID, gostCertificate, gostCrl, gostKeyId, gostPkcs8, signBasicOcspGost } from './test-pki-gost';

/**
 * The test PKI for the demo and the tests (EDS_TEST_MODE): generated with @peculiar/x509 and WebCrypto,
 * never hand-made; RSA 2048 + SHA-256 like NCA's RSA chain. A root "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) TEST ROOT",
 * an intermediate "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) TEST" that issues users' AUTH and SIGN certificates with
 * NCA subjects and role OIDs (in the EKU, where NCA puts them), and the bad keys.
 *
 * Storage: generated once and stored in `eds_test_pki` (one row per VERSION); `ensureTestPki` is idempotent
 * and safe under concurrency (a transaction-scoped advisory lock), and caches per process. Validity dates are
 * FIXED (not relative to the generation time) so that the same material serves any clock the tests set.
 *
 * Test cache: generating ~30 RSA keys takes seconds, so under vitest (or NODE_ENV=test) the material is also
 * cached as JSON in node_modules/.cache/bt-test-pki/v<VERSION>.json and loaded into each fresh test database.
 * Bump VERSION when the generator changes. The CRL/OCSP URLs embed APP_URL as it was at generation time;
 * the verifier answers test-PKI revocation in-process (no HTTP), so they are informational.
 */
export const TEST_PKI_VERSION = 5; // 5: the GOST 2015 chain and keys, the water utility and akimat keys

export type DemoKeyName =
  | 'operator'
  | 'individual'
  | 'first_head'
  | 'employee'
  | 'signing_rights'
  | 'expert_head'
  | 'new_first_head'
  | 'new_employee'
  | 'oversight'
  | 'env_authority'
  | 'water_utility'
  | 'akimat'
  | 'gost_individual'
  | 'gost_first_head'
  | 'gost_revoked'
  | 'gost_expired'
  | 'expired'
  | 'not_yet_valid'
  | 'revoked'
  | 'foreign_root'
  | 'wrong_usage'
  | 'fake_nca_subject';

type KeyFile = { p12: Uint8Array; password: string; certDer: Uint8Array };
export type DemoKey = {
  name: DemoKeyName;
  description: string;
  iin: string;
  bin: string | null;
  fullName: string;
  organization: string | null;
  auth: KeyFile;
  sign: KeyFile;
};
export type TestPki = {
  rootDer: Uint8Array;
  intermediateDer: Uint8Array;
  foreignRootDer: Uint8Array;
  keys: Record<DemoKeyName, DemoKey>;
  /** Added: serials (hex) the test intermediate has revoked, and when. */
  revoked: { serial: string; revokedAt: Date }[];
  /** The GOST 34.10-2015 (512-bit) chain that mirrors NCA's GOST one; its users are the `gost_*` keys. */
  gost: { rootDer: Uint8Array; intermediateDer: Uint8Array; revoked: { serial: string; revokedAt: Date }[] };
};

export const TEST_ROOT_CN = 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) TEST ROOT';
export const TEST_INTERMEDIATE_CN = 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) TEST';
export const TEST_GOST_ROOT_CN = 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST';
export const TEST_GOST_INTERMEDIATE_CN = 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST';

const RSA: RsaHashedKeyGenParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };
const SIGALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

const AUTH_EKU = '1.3.6.1.5.5.7.3.2';
const SIGN_EKU = '1.3.6.1.5.5.7.3.4';
const ROLE = {
  individual: '1.2.398.3.3.4.1.1',
  legal_entity: '1.2.398.3.3.4.1.2',
  first_head: '1.2.398.3.3.4.1.2.1',
  signing_rights: '1.2.398.3.3.4.1.2.2',
  employee: '1.2.398.3.3.4.1.2.5',
};

// Fixed validity windows (see the module comment).
const D = (s: string) => new Date(s);
const CA_FROM = D('2020-01-01T00:00:00Z');
const ROOT_TO = D('2054-01-01T00:00:00Z');
const INTERMEDIATE_TO = D('2049-01-01T00:00:00Z');
const USER_FROM = D('2025-01-01T00:00:00Z');
const USER_TO = D('2035-01-01T00:00:00Z');
const REVOKED_AT = D('2025-06-01T00:00:00Z');

type Person = {
  name: DemoKeyName;
  description: string;
  surname: string;
  given: string;
  patronymic: string;
  iin11: string;
  /** `bin`: the whole BIN as another seed has it (even without a valid check digit); else bin11 + check digit. */
  org?: { name: string; bin11: string; bin?: string };
  roles: string[];
  from?: Date;
  to?: Date;
  /** GOST 34.10-2015 keys under the GOST chain (default: RSA under the RSA chain). */
  gost?: boolean;
};

const ALATAU = { name: 'ТОО "АЛАТАУ ҚҰРЫЛЫС"', bin11: '18054000123' };
/** A new organisation for the registration journey (issue 4 part 10): no account, no registration, no roles. */
const ZHANA_QALA = { name: 'ТОО "ЖАҢА ҚАЛА ҚҰРЫЛЫС"', bin11: '24054000317' };
/** The Astana water utility of the water demo (db/seed/water.ts: BIN 990140000001). */
const WATER_ASTANA = { name: 'ГКП «АСТАНА СУ АРНАСЫ»', bin11: '99014000000', bin: '990140000001' };
const binOf = (org: NonNullable<Person['org']>) => org.bin ?? withCheckDigit(org.bin11);
const PEOPLE: Person[] = [
  { name: 'operator', description: 'Portal operator (employee of the operator organisation)', surname: 'НҰРЛАНОВ', given: 'АСХАТ', patronymic: 'ЕРЛАНҰЛЫ', iin11: '85031230045', org: { name: 'АО "БІР ТЕРЕЗЕ"', bin11: '20024000456' }, roles: [ROLE.legal_entity, ROLE.employee] },
  { name: 'individual', description: 'An individual (AUTH and SIGN)', surname: 'СЕЙТҚАЛИЕВА', given: 'АЙГЕРІМ', patronymic: 'НҰРЛАНҚЫЗЫ', iin11: '90071540123', roles: [ROLE.individual] },
  { name: 'first_head', description: 'First head of ТОО "АЛАТАУ ҚҰРЫЛЫС"', surname: 'ЖАҚСЫБЕКОВ', given: 'ЕРЛАН', patronymic: 'СЕРІКҰЛЫ', iin11: '78110230067', org: ALATAU, roles: [ROLE.legal_entity, ROLE.first_head] },
  { name: 'employee', description: 'Employee of ТОО "АЛАТАУ ҚҰРЫЛЫС"', surname: 'ОМАРОВА', given: 'ДИНАРА', patronymic: 'АСҚАРҚЫЗЫ', iin11: '95020340089', org: ALATAU, roles: [ROLE.legal_entity, ROLE.employee] },
  { name: 'signing_rights', description: 'Person with signing rights at ТОО "АЛАТАУ ҚҰРЫЛЫС"', surname: 'БЕКОВ', given: 'ТІМУР', patronymic: 'МАРАТҰЛЫ', iin11: '88090830011', org: ALATAU, roles: [ROLE.legal_entity, ROLE.signing_rights] },
  { name: 'expert_head', description: 'First head of an accredited expert organisation', surname: 'ТОҚТАРОВ', given: 'НҰРЛАН', patronymic: 'БОЛАТҰЛЫ', iin11: '75040530022', org: { name: 'ТОО "САРАПТАМА ОРТАЛЫҒЫ"', bin11: '15084000789' }, roles: [ROLE.legal_entity, ROLE.first_head] },
  { name: 'new_first_head', description: 'First head of a new organisation ТОО "ЖАҢА ҚАЛА ҚҰРЫЛЫС" (not registered yet, no roles)', surname: 'ӘЛІМЖАНОВ', given: 'БАҚЫТЖАН', patronymic: 'ҚАЙРАТҰЛЫ', iin11: '79021530014', org: ZHANA_QALA, roles: [ROLE.legal_entity, ROLE.first_head] },
  { name: 'new_employee', description: 'Employee of the new organisation ТОО "ЖАҢА ҚАЛА ҚҰРЫЛЫС" (no roles until the first head grants one)', surname: 'ТӨЛЕГЕНОВА', given: 'ГҮЛНАР', patronymic: 'СЕРІКҚЫЗЫ', iin11: '97060840025', org: ZHANA_QALA, roles: [ROLE.legal_entity, ROLE.employee] },
  { name: 'oversight', description: 'Employee of the state control body (Committee for construction affairs, X-13): read-only monitoring', surname: 'ҚОЖАХМЕТОВ', given: 'ДАНИЯР', patronymic: 'ЕРБОЛҰЛЫ', iin11: '84112030036', org: { name: 'РММ "ҚҰРЫЛЫС ІСТЕРІ КОМИТЕТІ"', bin11: '12114000559' }, roles: [ROLE.legal_entity, ROLE.employee] },
  { name: 'env_authority', description: 'Specialist of an environmental-protection authority (E-49): exchanges documents with expert organisations', surname: 'БАЙМҰХАНОВА', given: 'ӘСЕЛ', patronymic: 'ҒАЛЫМҚЫЗЫ', iin11: '83041540071', org: { name: 'ГУ "ЭКОЛОГИЯ ДЕПАРТАМЕНТІ (АСТАНА)"', bin11: '19094000552' }, roles: [ROLE.legal_entity, ROLE.employee] },
  { name: 'water_utility', description: 'Employee of the Astana water utility ГКП «Астана Су Арнасы» (W-12 figures, alert acknowledgement)', surname: 'ЕСЕНОВ', given: 'БЕРІК', patronymic: 'АМАНГЕЛДІҰЛЫ', iin11: '81070530019', org: WATER_ASTANA, roles: [ROLE.legal_entity, ROLE.employee] },
  { name: 'akimat', description: 'Specialist of the Almaty city akimat (water data of its region only, W-16)', surname: 'ҚАЛИЕВА', given: 'МАДИНА', patronymic: 'ЖАНАТҚЫЗЫ', iin11: '89022140058', org: { name: 'ГУ "АЛМАТЫ ҚАЛАСЫ ӘКІМІНІҢ АППАРАТЫ"', bin11: '99014000003' }, roles: [ROLE.legal_entity, ROLE.employee] },
  { name: 'gost_individual', description: 'An individual with GOST 34.10-2015 keys (AUTH and SIGN)', surname: 'НҰРҒАЛИЕВ', given: 'ЕРЖАН', patronymic: 'ТАЛҒАТҰЛЫ', iin11: '92031040016', roles: [ROLE.individual], gost: true },
  { name: 'gost_first_head', description: 'First head of ТОО "ЕСІЛ ЖОБА" with GOST 34.10-2015 keys', surname: 'САПАРОВА', given: 'ЖАНАР', patronymic: 'ҚАЙРАТҚЫЗЫ', iin11: '80050940027', org: { name: 'ТОО "ЕСІЛ ЖОБА"', bin11: '21034000218' }, roles: [ROLE.legal_entity, ROLE.first_head], gost: true },
  { name: 'gost_revoked', description: 'Revoked GOST certificate (in the GOST CRL, "revoked" by OCSP)', surname: 'ТӨЛЕУОВ', given: 'АСЛАН', patronymic: 'МАРАТҰЛЫ', iin11: '83080830038', roles: [ROLE.individual], gost: true },
  { name: 'gost_expired', description: 'Expired GOST certificate (valid 2023)', surname: 'ӘМІРОВА', given: 'ДАНА', patronymic: 'СЕРІКҚЫЗЫ', iin11: '94111240049', roles: [ROLE.individual], from: D('2023-01-01T00:00:00Z'), to: D('2024-01-01T00:00:00Z'), gost: true },
  { name: 'expired', description: 'Expired certificate (valid 2023)', surname: 'ӘБІЛОВ', given: 'ДӘУРЕН', patronymic: 'ҚАНАТҰЛЫ', iin11: '82061230033', roles: [ROLE.individual], from: D('2023-01-01T00:00:00Z'), to: D('2024-01-01T00:00:00Z') },
  { name: 'not_yet_valid', description: 'Certificate valid only from 2040', surname: 'МҰХАМЕДОВА', given: 'ЖАНАР', patronymic: 'ТАЛҒАТҚЫЗЫ', iin11: '93120440044', roles: [ROLE.individual], from: D('2040-01-01T00:00:00Z'), to: D('2045-01-01T00:00:00Z') },
  { name: 'revoked', description: 'Revoked certificate (in the CRL, "revoked" by OCSP)', surname: 'СӘРСЕНБАЕВ', given: 'ҒАЛЫМ', patronymic: 'ОРАЛҰЛЫ', iin11: '80030330055', roles: [ROLE.individual] },
  { name: 'foreign_root', description: 'Issued under a foreign, untrusted root', surname: 'ИСАЕВ', given: 'МАРАТ', patronymic: 'ЖОМАРТҰЛЫ', iin11: '87080830066', roles: [ROLE.individual] },
  { name: 'wrong_usage', description: 'AUTH certificate has the SIGN usage and vice versa', surname: 'ҚАСЫМОВА', given: 'САУЛЕ', patronymic: 'ЕРЖАНҚЫЗЫ', iin11: '91050540077', roles: [ROLE.individual] },
  { name: 'fake_nca_subject', description: 'Self-made CA that copies the NCA test subject', surname: 'ЖҰМАБАЕВ', given: 'АРМАН', patronymic: 'ДАУЛЕТҰЛЫ', iin11: '86010130088', roles: [ROLE.individual] },
];

/** JSON-serialisable material as stored (all bytes base64). */
type Material = {
  version: number;
  rootDer: string;
  intermediateDer: string;
  intermediateKey: string;
  foreignRootDer: string;
  fakeCaDer: string;
  revoked: { serial: string; revokedAt: string }[];
  keys: Record<
    string,
    {
      name: DemoKeyName;
      description: string;
      iin: string;
      bin: string | null;
      fullName: string;
      organization: string | null;
      auth: { p12: string; password: string; certDer: string };
      sign: { p12: string; password: string; certDer: string };
    }
  >;
  gost: { rootDer: string; intermediateDer: string; intermediateKey: string; intermediateKeyId: string; revoked: { serial: string; revokedAt: string }[] };
};

function appUrl(): string {
  return (process.env.APP_URL || 'http://localhost:3000').replace(/\/+$/, '');
}

function randomSerial(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[0] &= 0x7f; // positive
  b[0] |= 0x10; // no leading zero byte
  return toHex(b);
}

function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return [...crypto.getRandomValues(new Uint8Array(10))].map((b) => alphabet[b % alphabet.length]).join('');
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
}

const caName = (cn: string): x509.JsonNameParams => [{ '2.5.4.6': [{ printableString: 'KZ' }] }, { '2.5.4.3': [{ utf8String: cn }] }];

function personName(p: Person): x509.JsonNameParams {
  // NCA's order: CN, SURNAME, SERIALNUMBER, C, [O, OU], GIVENNAME (the patronymic).
  const name: x509.JsonNameParams = [
    { '2.5.4.3': [{ utf8String: `${p.surname} ${p.given}` }] },
    { '2.5.4.4': [{ utf8String: p.surname }] },
    { '2.5.4.5': [{ printableString: `IIN${withCheckDigit(p.iin11)}` }] },
    { '2.5.4.6': [{ printableString: 'KZ' }] },
  ];
  if (p.org) {
    name.push({ '2.5.4.10': [{ utf8String: p.org.name }] });
    name.push({ '2.5.4.11': [{ printableString: `BIN${binOf(p.org)}` }] });
  }
  name.push({ '2.5.4.42': [{ utf8String: p.patronymic }] });
  return name;
}

async function caCert(params: {
  subject: x509.JsonNameParams;
  issuer?: x509.X509Certificate;
  keys: CryptoKeyPair;
  signingKey: CryptoKey;
  notBefore: Date;
  notAfter: Date;
  pathLen?: number;
}): Promise<x509.X509Certificate> {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, params.pathLen, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(params.keys.publicKey),
  ];
  if (params.issuer) {
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(params.issuer, false));
    extensions.push(new x509.CRLDistributionPointsExtension([`${appUrl()}/api/eds/test-pki/crl`]));
  }
  return x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: new x509.Name(params.subject),
    issuer: params.issuer ? params.issuer.subjectName : new x509.Name(params.subject),
    notBefore: params.notBefore,
    notAfter: params.notAfter,
    signingAlgorithm: SIGALG,
    publicKey: params.keys.publicKey,
    signingKey: params.signingKey,
    extensions,
  });
}

/** A user's extensions as NCA writes them (key ids given as hex: the RSA and GOST chains share this). */
function userExtensions(person: Person, usage: 'auth' | 'sign', ids: { subjectKeyId: string; authorityKeyId: string; crlUrl: string }): x509.Extension[] {
  const ku =
    usage === 'auth'
      ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
      : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;
  return [
    new x509.KeyUsagesExtension(ku, true),
    new x509.ExtendedKeyUsageExtension([usage === 'auth' ? AUTH_EKU : SIGN_EKU, ...person.roles]),
    new x509.AuthorityKeyIdentifierExtension(ids.authorityKeyId, false),
    new x509.SubjectKeyIdentifierExtension(ids.subjectKeyId),
    // NCA: 1.2.398.3.3.2.3 (SIGN) / 1.2.398.3.3.2.4 (AUTH) policies for individuals.
    new x509.CertificatePolicyExtension([usage === 'auth' ? '1.2.398.3.3.2.4' : '1.2.398.3.3.2.3']),
    new x509.CRLDistributionPointsExtension([ids.crlUrl]),
    new x509.AuthorityInfoAccessExtension({ ocsp: [`${appUrl()}/api/eds/test-pki/ocsp`] }),
  ];
}

const keyIdOf = (c: x509.X509Certificate) => c.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;

async function userCert(params: {
  person: Person;
  usage: 'auth' | 'sign';
  issuer: x509.X509Certificate;
  issuerKey: CryptoKey;
  keys: CryptoKeyPair;
}): Promise<x509.X509Certificate> {
  const { person, usage } = params;
  const ski = await x509.SubjectKeyIdentifierExtension.create(params.keys.publicKey);
  return x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: new x509.Name(personName(person)),
    issuer: params.issuer.subjectName,
    notBefore: person.from ?? USER_FROM,
    notAfter: person.to ?? USER_TO,
    signingAlgorithm: SIGALG,
    publicKey: params.keys.publicKey,
    signingKey: params.issuerKey,
    extensions: userExtensions(person, usage, { subjectKeyId: ski.keyId, authorityKeyId: keyIdOf(params.issuer), crlUrl: `${appUrl()}/api/eds/test-pki/crl` }),
  });
}

/** The GOST chain: root and intermediate mirroring NCA's GOST 2015 CAs (512-bit, Streebog-512). */
type GostCa = { name: x509.Name; keys: GostKeyPair; keyId: string; der: Uint8Array };

async function gostCa(cn: string, issuer: GostCa | null, notAfter: Date): Promise<GostCa> {
  const keys = generateGost2015KeyPair(512, GOST_OID.paramSet);
  const keyId = await gostKeyId(keys.publicKey);
  const name = new x509.Name(caName(cn));
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, issuer ? 0 : undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    new x509.SubjectKeyIdentifierExtension(keyId),
  ];
  if (issuer) extensions.push(new x509.AuthorityKeyIdentifierExtension(issuer.keyId, false));
  const der = gostCertificate({
    serialHex: randomSerial(),
    subject: name,
    issuer: issuer?.name ?? name,
    notBefore: CA_FROM,
    notAfter,
    publicKey: keys.publicKey,
    extensions,
    issuerKey: (issuer ?? { keys }).keys.privateKey,
  });
  return { name, keys, keyId, der };
}

function gostUserCert(person: Person, usage: 'auth' | 'sign', issuer: GostCa, keys: GostKeyPair, keyId: string): Uint8Array {
  return gostCertificate({
    serialHex: randomSerial(),
    subject: new x509.Name(personName(person)),
    issuer: issuer.name,
    notBefore: person.from ?? USER_FROM,
    notAfter: person.to ?? USER_TO,
    publicKey: keys.publicKey,
    extensions: userExtensions(person, usage, { subjectKeyId: keyId, authorityKeyId: issuer.keyId, crlUrl: `${appUrl()}/api/eds/test-pki/crl?ca=gost` }),
    issuerKey: issuer.keys.privateKey,
  });
}

const der = (c: x509.X509Certificate) => new Uint8Array(c.rawData);
/**
 * PKCS#12 iterations for the demo key files: OpenSSL's long-standing default (2048). Their passwords are shown on
 * the demo sign-in page, so a higher count protects nothing; pkijs computes the PKCS#12 MAC key in JavaScript, and
 * 10,000 iterations made the 40-odd files cost ~10 s of every fresh demo start.
 */
const DEMO_P12_ITERATIONS = 2048;

const pkcs8 = async (k: CryptoKey) => new Uint8Array(await crypto.subtle.exportKey('pkcs8', k));

/** Generates a fresh test PKI (slow: ~30 RSA keys). */
export async function generateTestPki(): Promise<Material> {
  x509.cryptoProvider.set(crypto);
  const rootKeys = await keyPair();
  const root = await caCert({ subject: caName(TEST_ROOT_CN), keys: rootKeys, signingKey: rootKeys.privateKey, notBefore: CA_FROM, notAfter: ROOT_TO });
  const intKeys = await keyPair();
  const intermediate = await caCert({
    subject: caName(TEST_INTERMEDIATE_CN),
    issuer: root,
    keys: intKeys,
    signingKey: rootKeys.privateKey,
    notBefore: CA_FROM,
    notAfter: INTERMEDIATE_TO,
    pathLen: 0,
  });
  const foreignKeys = await keyPair();
  const foreignRoot = await caCert({ subject: caName('FOREIGN TEST ROOT CA'), keys: foreignKeys, signingKey: foreignKeys.privateKey, notBefore: CA_FROM, notAfter: ROOT_TO });
  // Self-made, self-signed CA that copies the NCA test intermediate's subject exactly.
  const fakeKeys = await keyPair();
  const fakeCa = await caCert({ subject: caName(TEST_INTERMEDIATE_CN), keys: fakeKeys, signingKey: fakeKeys.privateKey, notBefore: CA_FROM, notAfter: ROOT_TO });

  const gostRoot = await gostCa(TEST_GOST_ROOT_CN, null, ROOT_TO);
  const gostIntermediate = await gostCa(TEST_GOST_INTERMEDIATE_CN, gostRoot, INTERMEDIATE_TO);
  const gostRevoked: Material['revoked'] = [];

  const revoked: Material['revoked'] = [];
  const keysByName = new Map<string, Material['keys'][string]>();
  // People are generated in parallel (RSA key generation runs on libuv's thread pool); the results are put back
  // in PEOPLE's order below, so the material does not depend on which finished first.
  await Promise.all(PEOPLE.map(async (person) => {
    if (person.gost) {
      const files = {} as Record<'auth' | 'sign', { p12: string; password: string; certDer: string }>;
      for (const usage of ['auth', 'sign'] as const) {
        const kp = generateGost2015KeyPair(512, GOST_OID.paramSet);
        const certDer = gostUserCert(person, usage, gostIntermediate, kp, await gostKeyId(kp.publicKey));
        const password = randomPassword();
        const p12 = await createP12({
          certDer,
          chainDer: [gostIntermediate.der, gostRoot.der],
          privateKeyPkcs8: gostPkcs8(kp.privateKey),
          password,
          friendlyName: `${person.name} ${usage.toUpperCase()}`,
          iterations: DEMO_P12_ITERATIONS,
        });
        files[usage] = { p12: toBase64(p12), password, certDer: toBase64(certDer) };
        if (person.name === 'gost_revoked') gostRevoked.push({ serial: serialHex(pkijs.Certificate.fromBER(ab(certDer)).serialNumber.valueBlock.valueHexView), revokedAt: REVOKED_AT.toISOString() });
      }
      keysByName.set(person.name, demoKeyOf(person, files));
      return;
    }
    let issuer = intermediate;
    let issuerKey = intKeys.privateKey;
    let chain = [der(intermediate), der(root)];
    if (person.name === 'foreign_root') {
      issuer = foreignRoot;
      issuerKey = foreignKeys.privateKey;
      chain = [der(foreignRoot)];
    } else if (person.name === 'fake_nca_subject') {
      issuer = fakeCa;
      issuerKey = fakeKeys.privateKey;
      chain = [der(fakeCa)];
    }
    const files = {} as Record<'auth' | 'sign', { p12: string; password: string; certDer: string }>;
    for (const usage of ['auth', 'sign'] as const) {
      // 'wrong_usage': the AUTH file holds a SIGN certificate and the SIGN file an AUTH one.
      const certUsage = person.name === 'wrong_usage' ? (usage === 'auth' ? 'sign' : 'auth') : usage;
      const kp = await keyPair();
      const cert = await userCert({ person, usage: certUsage, issuer, issuerKey, keys: kp });
      const password = randomPassword();
      const p12 = await createP12({
        certDer: der(cert),
        chainDer: chain,
        privateKeyPkcs8: await pkcs8(kp.privateKey),
        password,
        friendlyName: `${person.name} ${usage.toUpperCase()}`,
        iterations: DEMO_P12_ITERATIONS,
      });
      files[usage] = { p12: toBase64(p12), password, certDer: toBase64(der(cert)) };
      if (person.name === 'revoked') revoked.push({ serial: serialHex(fromHex(cert.serialNumber)), revokedAt: REVOKED_AT.toISOString() });
    }
    keysByName.set(person.name, demoKeyOf(person, files));
  }));
  const keys: Material['keys'] = Object.fromEntries(PEOPLE.map((p) => [p.name, keysByName.get(p.name)!]));
  const bySerial = (a: { serial: string }, b: { serial: string }) => a.serial.localeCompare(b.serial);
  revoked.sort(bySerial);
  gostRevoked.sort(bySerial);
  return {
    version: TEST_PKI_VERSION,
    rootDer: toBase64(der(root)),
    intermediateDer: toBase64(der(intermediate)),
    intermediateKey: toBase64(await pkcs8(intKeys.privateKey)),
    foreignRootDer: toBase64(der(foreignRoot)),
    fakeCaDer: toBase64(der(fakeCa)),
    revoked,
    keys,
    gost: {
      rootDer: toBase64(gostRoot.der),
      intermediateDer: toBase64(gostIntermediate.der),
      intermediateKey: toBase64(gostIntermediate.keys.privateKey),
      intermediateKeyId: gostIntermediate.keyId,
      revoked: gostRevoked,
    },
  };
}

function demoKeyOf(person: Person, files: Record<'auth' | 'sign', { p12: string; password: string; certDer: string }>): Material['keys'][string] {
  return {
    name: person.name,
    description: person.description,
    iin: withCheckDigit(person.iin11),
    bin: person.org ? binOf(person.org) : null,
    fullName: `${person.surname} ${person.given} ${person.patronymic}`,
    organization: person.org?.name ?? null,
    auth: files.auth,
    sign: files.sign,
  };
}

function decode(m: Material): TestPki {
  const file = (f: { p12: string; password: string; certDer: string }) => ({ p12: fromBase64(f.p12), password: f.password, certDer: fromBase64(f.certDer) });
  const keys = Object.fromEntries(
    Object.values(m.keys).map((k) => [k.name, { ...k, auth: file(k.auth), sign: file(k.sign) }]),
  ) as Record<DemoKeyName, DemoKey>;
  return {
    rootDer: fromBase64(m.rootDer),
    intermediateDer: fromBase64(m.intermediateDer),
    foreignRootDer: fromBase64(m.foreignRootDer),
    keys,
    revoked: m.revoked.map((r) => ({ serial: r.serial, revokedAt: new Date(r.revokedAt) })),
    gost: {
      rootDer: fromBase64(m.gost.rootDer),
      intermediateDer: fromBase64(m.gost.intermediateDer),
      revoked: m.gost.revoked.map((r) => ({ serial: r.serial, revokedAt: new Date(r.revokedAt) })),
    },
  };
}

function isTestRun(): boolean {
  return Boolean(process.env.VITEST) || process.env.NODE_ENV === 'test';
}

function cacheFile(): string {
  return path.join(process.cwd(), 'node_modules', '.cache', 'bt-test-pki', `v${TEST_PKI_VERSION}.json`);
}

let generated: Promise<Material> | null = null;
/** Material for a database that has none: the test JSON cache, or a new generation (once per process). */
function materialToStore(): Promise<Material> {
  if (!generated) {
    generated = (async () => {
      if (isTestRun()) {
        try {
          const m = JSON.parse(fs.readFileSync(cacheFile(), 'utf8')) as Material;
          if (m.version === TEST_PKI_VERSION) return m;
        } catch {
          /* no cache yet */
        }
      }
      const m = await generateTestPki();
      if (isTestRun()) {
        fs.mkdirSync(path.dirname(cacheFile()), { recursive: true });
        const tmp = `${cacheFile()}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(m));
        fs.renameSync(tmp, cacheFile());
      }
      return m;
    })();
    generated.catch(() => {
      generated = null;
    });
  }
  return generated;
}

// Per process: the material last read from a database (keyed by its JSON so another DB with other
// material is not confused with it).
let loaded: { json: string; material: Material; pki: TestPki } | null = null;

async function loadMaterial(db: DbOrTx): Promise<Material> {
  const read = async (q: DbOrTx) => (await q.select().from(edsTestPki).where(eq(edsTestPki.version, TEST_PKI_VERSION)))[0];
  let row = await read(db);
  if (!row) {
    const material = await materialToStore();
    await db.transaction(async (tx) => {
      // Two processes starting at once: the second waits here and then finds the first one's row.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('bt:eds_test_pki'))`);
      if (!(await read(tx))) await tx.insert(edsTestPki).values({ version: TEST_PKI_VERSION, material });
    });
    row = await read(db);
  }
  return row!.material as Material;
}

async function load(db: DbOrTx): Promise<{ material: Material; pki: TestPki }> {
  const material = await loadMaterial(db);
  const json = material.intermediateDer;
  if (loaded?.json !== json) loaded = { json, material, pki: decode(material) };
  return loaded;
}

/** The test PKI, generating and storing it on first use. */
export async function ensureTestPki(db: DbOrTx): Promise<TestPki> {
  return (await load(db)).pki;
}

async function intermediateKey(m: Material): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', ab(fromBase64(m.intermediateKey)), SIGALG, false, ['sign']);
}

export type TestCa = 'rsa' | 'gost';

/** A DER CRL of a test intermediate (RSA, or GOST signed with signGost2015), listing its revoked certificates; valid for a day from `now`. */
export async function testPkiCrl(db: DbOrTx, now: Date = clockNow(), ca: TestCa = 'rsa'): Promise<Uint8Array> {
  const { material } = await load(db);
  const crlNumber = Math.floor(now.getTime() / 60_000);
  const nextUpdate = new Date(now.getTime() + 24 * 3600_000);
  if (ca === 'gost') {
    const g = material.gost;
    return gostCrl({
      issuer: new x509.X509Certificate(ab(fromBase64(g.intermediateDer))).subjectName,
      issuerKey: fromBase64(g.intermediateKey),
      authorityKeyId: g.intermediateKeyId,
      thisUpdate: now,
      nextUpdate,
      crlNumber,
      entries: g.revoked.map((r) => ({ serialHex: r.serial, revokedAt: new Date(r.revokedAt) })),
    });
  }
  x509.cryptoProvider.set(crypto);
  const issuer = new x509.X509Certificate(ab(fromBase64(material.intermediateDer)));
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.subjectName,
    thisUpdate: now,
    nextUpdate,
    entries: material.revoked.map((r) => ({ serialNumber: r.serial, revocationDate: new Date(r.revokedAt), reason: x509.X509CrlReason.keyCompromise })),
    signingAlgorithm: SIGALG,
    signingKey: await intermediateKey(material),
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(issuer, false), new x509.Extension('2.5.29.20', false, new asn1js.Integer({ value: crlNumber }).toBER(false))],
  });
  return new Uint8Array(crl.rawData);
}

const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';

function ocspError(status: number): Uint8Array {
  const resp = new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) });
  return new Uint8Array(resp.toSchema().toBER(false));
}

/**
 * Answers a DER OCSPRequest for a test intermediate's certificates (RSA or GOST), signed by that intermediate itself
 * (RFC 6960 allows the CA to sign its own responses). Echoes the request's nonce. Serials the intermediate
 * never issued are "unknown".
 */
export async function testPkiOcsp(db: DbOrTx, requestDer: Uint8Array, now: Date = clockNow()): Promise<Uint8Array> {
  const { material, pki } = await load(db);
  let request: pkijs.OCSPRequest;
  try {
    request = pkijs.OCSPRequest.fromBER(ab(requestDer));
  } catch {
    return ocspError(1); // malformedRequest
  }
  // The responder of the CA the request asks about (by issuer name and key hash); the RSA one by default.
  const cas: { ca: TestCa; issuer: pkijs.Certificate; revoked: { serial: string; revokedAt: string }[] }[] = [
    { ca: 'rsa', issuer: pkijs.Certificate.fromBER(ab(pki.intermediateDer)), revoked: material.revoked },
    { ca: 'gost', issuer: pkijs.Certificate.fromBER(ab(pki.gost.intermediateDer)), revoked: material.gost.revoked },
  ];
  const first = request.tbsRequest.requestList[0]?.reqCert;
  let chosen = cas[0];
  for (const c of cas) {
    if (!first) break;
    const id = new pkijs.CertID();
    await id.createForCertificate(c.issuer, { hashAlgorithm: first.hashAlgorithm.algorithmId === '1.3.14.3.2.26' ? 'SHA-1' : 'SHA-256', issuerCertificate: c.issuer });
    if (toHex(id.issuerKeyHash.valueBlock.valueHexView) === toHex(first.issuerKeyHash.valueBlock.valueHexView)) chosen = c;
  }
  const issuer = chosen.issuer;
  const issued = new Set<string>();
  for (const k of Object.values(pki.keys)) {
    for (const f of [k.auth, k.sign]) {
      const c = pkijs.Certificate.fromBER(ab(f.certDer));
      if (c.issuer.isEqual(issuer.subject)) issued.add(serialHex(c.serialNumber.valueBlock.valueHexView));
    }
  }
  const responses: pkijs.SingleResponse[] = [];
  for (const r of request.tbsRequest.requestList) {
    const hashName = r.reqCert.hashAlgorithm.algorithmId === '1.3.14.3.2.26' ? 'SHA-1' : 'SHA-256';
    const own = new pkijs.CertID();
    await own.createForCertificate(issuer, { hashAlgorithm: hashName, issuerCertificate: issuer });
    const serial = serialHex(r.reqCert.serialNumber.valueBlock.valueHexView);
    // The fake CA shares the issuer's name but not its key: the key hash tells them apart.
    const ourIssuer =
      toHex(own.issuerNameHash.valueBlock.valueHexView) === toHex(r.reqCert.issuerNameHash.valueBlock.valueHexView) &&
      toHex(own.issuerKeyHash.valueBlock.valueHexView) === toHex(r.reqCert.issuerKeyHash.valueBlock.valueHexView);
    const revokedEntry = chosen.revoked.find((x) => x.serial === serial);
    let certStatus: asn1js.BaseBlock;
    if (ourIssuer && revokedEntry) {
      certStatus = new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 1 },
        value: [new asn1js.GeneralizedTime({ valueDate: new Date(revokedEntry.revokedAt) }), new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Enumerated({ value: 1 })] })],
      });
    } else if (ourIssuer && issued.has(serial)) {
      certStatus = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, lenBlock: { length: 0 } } as never);
    } else {
      certStatus = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 }, lenBlock: { length: 0 } } as never);
    }
    responses.push(
      new pkijs.SingleResponse({
        certID: r.reqCert,
        certStatus,
        thisUpdate: now,
        nextUpdate: new Date(now.getTime() + 3600_000),
      }),
    );
  }
  const nonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === OCSP_NONCE);
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: new pkijs.ResponseData({
      responderID: issuer.subject,
      producedAt: now,
      responses,
      ...(nonce ? { responseExtensions: [new pkijs.Extension({ extnID: OCSP_NONCE, extnValue: nonce.extnValue.valueBlock.valueHexView.slice().buffer as ArrayBuffer })] } : {}),
    }),
  });
  if (chosen.ca === 'gost') signBasicOcspGost(basic, fromBase64(material.gost.intermediateKey));
  else await basic.sign(await intermediateKey(material), 'SHA-256');
  const resp = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({ responseType: OCSP_BASIC, response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }) }),
  });
  return new Uint8Array(resp.toSchema().toBER(false));
}
