import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from './certificate';
import { isValidIinOrBin } from './iin';

const fx = (name: string) => new Uint8Array(fs.readFileSync(path.join(__dirname, 'fixtures/nca-test', name)));

describe('parseCertificate on real NCA test certificates', () => {
  it('X-3 reads IIN, name parts, SIGN usage and the individual role from an individual RSA SIGN certificate', () => {
    const c = parseCertificate(fx('individual_valid_sign_2004_rsa.cer'));
    expect(c.iin).toBe('123456789011');
    expect(c.bin).toBeNull();
    expect(c.organization).toBeNull();
    expect(c.commonName).toBe('ТЕСТОВ ТЕСТ');
    expect(c.surname).toBe('ТЕСТОВ');
    expect(c.givenName).toBe('ТЕСТ');
    // NCA puts the patronymic in GIVENNAME (2.5.4.42).
    expect(c.patronymic).toBe('ТЕСТОВИЧ');
    expect(c.notBefore.toISOString()).toBe('2022-01-18T04:38:50.000Z');
    expect(c.notAfter.toISOString()).toBe('2023-01-18T04:38:50.000Z');
    expect(c.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(c.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.1']);
    expect(c.purposes).toEqual(['sign']);
    expect(c.ncaRoles).toEqual(['individual']);
    expect(c.publicKeyAlgorithm).toBe('rsa');
    expect(c.signatureAlgorithmOid).toBe('1.2.840.113549.1.1.11');
    expect(c.crlUrls).toEqual(['http://test.pki.gov.kz/crl/nca_rsa_test.crl']);
    expect(c.ocspUrls).toEqual(['http://test.pki.gov.kz/ocsp/']);
    expect(c.caIssuersUrls).toEqual(['http://test.pki.gov.kz/cert/nca_rsa_test.cer']);
    expect(c.isCa).toBe(false);
    expect(c.serialNumber).toBe('41e45cc8a04c705963e5cd6769848a934d8eaef5');
    expect(c.issuerDn).toBe('C=KZ, CN=ҰКО 3.0 (RSA TEST)');
  });

  it('X-3 reads AUTH usage (digitalSignature + keyEncipherment) from the AUTH certificate', () => {
    const c = parseCertificate(fx('individual_valid_sign_2004_rsa_auth.cer'));
    expect(c.iin).toBe('123456789011');
    expect(c.purposes).toEqual(['auth']);
    expect(c.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(c.extKeyUsage).toContain('1.3.6.1.5.5.7.3.2');
    expect(c.ncaRoles).toEqual(['individual']);
  });

  it('X-3 reads BIN, organisation and the first-head role (from the EKU) of a legal entity GOST certificate', () => {
    const c = parseCertificate(fx('ceo_valid_sign_2004_gost.cer'));
    expect(c.iin).toBe('123456789011');
    expect(c.bin).toBe('123456789021');
    expect(c.organization).toBe('АО "ТЕСТ"');
    expect(c.ncaRoles).toEqual(['legal_entity', 'first_head']);
    expect(c.purposes).toEqual(['sign']);
    expect(c.publicKeyAlgorithm).toBe('gost2004');
    expect(c.signatureAlgorithmOid).toBe('1.2.398.3.10.1.1.1.2');
  });

  it('X-3 reads CA certificates: the RSA and GOST 3.0 test CAs and the GOST 2015 CA', () => {
    const rsa = parseCertificate(fx('nca_rsa_test.crt'));
    expect(rsa.isCa).toBe(true);
    expect(rsa.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect(rsa.commonName).toBe('ҰКО 3.0 (RSA TEST)');
    expect(rsa.notBefore.toISOString()).toBe('2019-03-15T03:42:17.000Z');
    expect(rsa.notAfter.toISOString()).toBe('2024-03-13T03:42:17.000Z');
    expect(rsa.iin).toBeNull();
    const gost = parseCertificate(fx('nca_gost_test.crt'));
    expect(gost.publicKeyAlgorithm).toBe('gost2004');
    expect(gost.isCa).toBe(true);
    const g15 = parseCertificate(fx('nca_gost2015_test.cer'));
    expect(g15.publicKeyAlgorithm).toBe('gost2015-512');
    expect(g15.signatureAlgorithmOid).toBe('1.2.398.3.10.1.1.2.3.2');
    expect(g15.commonName).toBe('ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022');
    expect(g15.notAfter.toISOString()).toBe('2032-07-04T09:55:23.000Z');
    expect(g15.crlUrls).toEqual(['http://crl.root.gov.kz/gost_test_2022.crl']);
  });

  it('X-3 accepts PEM, DER and base64 alike and refuses garbage', () => {
    const pem = new TextDecoder().decode(fx('individual_valid_sign_2004_rsa.cer'));
    const fromPem = parseCertificate(pem);
    const der = parseCertificate(fromPem.der);
    expect(der.fingerprintSha256).toBe(fromPem.fingerprintSha256);
    expect(() => parseCertificate(new Uint8Array([1, 2, 3]))).toThrow();
  });

  it('X-3 IIN/BIN check digits', () => {
    expect(isValidIinOrBin('900715401236')).toBe(false);
    expect(isValidIinOrBin('123456789011')).toBe(false);
    expect(isValidIinOrBin('12345')).toBe(false);
  });
});
