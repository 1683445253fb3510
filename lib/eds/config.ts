/**
 * EDS settings read straight from the environment (tests switch them per test; lib/env.ts validates the
 * same variables at start). EDS_TEST_MODE: trust the generated test PKI and serve its CRL/OCSP. Never on in
 * production.
 */
export function edsTestMode(): boolean {
  return ['1', 'true', 'yes', 'on'].includes((process.env.EDS_TEST_MODE ?? '').toLowerCase());
}
