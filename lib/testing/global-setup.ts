import type { TestProject } from 'vitest/node';
import { ensurePgliteSnapshot } from './snapshot';

/**
 * Runs once per `npm test`. On PGlite (no TEST_DATABASE_URL) it builds a migrated data-directory snapshot
 * that each test file loads into a fresh in-memory PGlite (about 1 s instead of 5 s for initdb + migrations).
 * The process TZ is deliberately not UTC (vitest.config.ts) so that code relying on the server's zone fails.
 */
export default async function setup(project: TestProject) {
  if (!process.env.TEST_DATABASE_URL) {
    project.provide('pgliteSnapshot', await ensurePgliteSnapshot());
  } else {
    project.provide('pgliteSnapshot', '');
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}
