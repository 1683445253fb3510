import { describe, expect, it } from 'vitest';
import { streebog256, streebog512 } from './streebog';

const fromHex = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const reversed = (b: Uint8Array) => b.slice().reverse();

/**
 * RFC 6986 §10 (= GOST R 34.11-2012 appendix A) prints messages and digests as big numbers, most significant
 * byte first; the byte stream that is hashed (and the digest byte string) is the reverse of that print.
 */
const RFC = {
  M1: '323130393837363534333231303938373635343332313039383736353433323130393837363534333231303938373635343332313039383736353433323130',
  H1_512:
    '486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b',
  H1_256: '00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d',
  M2:
    'fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1',
  H2_512:
    '28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f037613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e',
  H2_256: '508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d',
};

describe('Streebog (GOST R 34.11-2012)', () => {
  it('X-3 M1 of RFC 6986 §10.1 hashes to the standard 512- and 256-bit digests (RFC byte order)', () => {
    const m1 = reversed(fromHex(RFC.M1));
    expect(new TextDecoder().decode(m1)).toBe('012345678901234567890123456789012345678901234567890123456789012');
    expect(toHex(reversed(streebog512(m1)))).toBe(RFC.H1_512);
    expect(toHex(reversed(streebog256(m1)))).toBe(RFC.H1_256);
  });

  it('X-3 M2 of RFC 6986 §10.2 (72 bytes, two blocks) hashes to the standard digests (RFC byte order)', () => {
    const m2 = reversed(fromHex(RFC.M2));
    expect(m2.length).toBe(72);
    expect(toHex(reversed(streebog512(m2)))).toBe(RFC.H2_512);
    expect(toHex(reversed(streebog256(m2)))).toBe(RFC.H2_256);
  });

  it('X-3 the digest is returned as a byte string in stream order (as OpenSSL gost-engine and Kalkan print it)', () => {
    const m1 = new TextEncoder().encode('012345678901234567890123456789012345678901234567890123456789012');
    expect(toHex(streebog512(m1))).toBe(
      '1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48',
    );
    expect(toHex(streebog256(m1))).toBe('9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500');
  });

  it('X-3 the empty message', () => {
    expect(toHex(streebog512(new Uint8Array()))).toBe(
      '8e945da209aa869f0455928529bcae4679e9873ab707b55315f56ceb98bef0a7362f715528356ee83cda5f2aac4c6ad2ba3a715c1bcd81cb8e9f90bf4c1c1a8a',
    );
    expect(toHex(streebog256(new Uint8Array()))).toBe('3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb');
  });

  it('X-3 a message of exactly 64 bytes (one full block, then an all-padding block)', () => {
    const zeros = new Uint8Array(64);
    expect(toHex(streebog512(zeros))).toBe(
      'b0fd29ac1b0df441769ff3fdb8dc564df67721d6ac06fb28ceffb7bbaa7948c6c014ac999235b58cb26fb60fb112a145d7b4ade9ae566bf2611402c552d20db7',
    );
    expect(toHex(streebog256(zeros))).toBe('df1fda9ce83191390537358031db2ecaa6aa54cd0eda241dc107105e13636b95');
  });

  it('X-3 a message longer than 64 bytes with a carry through Σ (gost-engine carry vector, 128 bytes)', () => {
    const carry = new Uint8Array(128);
    carry.fill(0xee, 0, 64);
    carry[64] = 0x16;
    carry.fill(0x11, 65, 127);
    carry[127] = 0x16;
    expect(toHex(streebog512(carry))).toBe(
      '8b06f41e59907d9636e892caf5942fcdfb71fa31169a5e70f0edb873664df41c2cce6e06dc6755d15a61cdeb92bd607cc4aaca6732bf3568a23a210dd520fd41',
    );
    expect(toHex(streebog256(carry))).toBe('81bb632fa31fcc38b4c379a662dbc58b9bed83f50d3a1b2ce7271ab02d25babb');
    // 128 bytes of 0xff: Σ and the block overflow 2^512 (nettle's test vector)
    expect(toHex(streebog512(new Uint8Array(128).fill(0xff)))).toBe(
      '90a161d12ad309498d3fe5d48202d8a4e9c406d6a264aeab258ac5ecc37a7962aaf9587a5abb09b6bb81ec4b3752a3ff5a838ef175be5772056bc5fe54fcfc7e',
    );
  });

  it('X-3 a one-bit change of the message changes the digest, and the input is not modified', () => {
    const data = new TextEncoder().encode('The quick brown fox jumps over the lazy dog.');
    const copy = data.slice();
    expect(toHex(streebog512(data))).toBe(
      'fe0c42f267d921f940faa72bd9fcf84f9f1bd7e9d055e9816e4c2ace1ec83be82d2957cd59b86e123d8f5adee80b3ca08a017599a9fc1a14d940cf87c77df070',
    );
    expect(data).toEqual(copy);
    copy[0] ^= 1;
    expect(toHex(streebog512(copy))).not.toBe(toHex(streebog512(data)));
  });

  it('X-3 hashes a 1 MiB document quickly', () => {
    const big = new Uint8Array(1 << 20).map((_, i) => i & 0xff);
    const t = process.cpuUsage(); // CPU time, not wall time: the machine is shared
    const d = streebog512(big);
    const used = process.cpuUsage(t);
    expect(d.length).toBe(64);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
  });
});
