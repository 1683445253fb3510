/**
 * Every module that registers background jobs, imported for its side effects by the runner
 * (lib/jobs/runner.ts). The runner knows no domain: each domain registers its own handlers in
 * `lib/<domain>/jobs.ts` with registerJob / registerPeriodic from '@/lib/jobs', and adds ONE import line
 * here, e.g.
 *
 *   import '@/lib/expertise/jobs';
 *
 * Static imports (not a list of paths) so that the bundler includes them in the server build.
 */
import './builtin';
import '@/lib/auth/jobs';
import '@/lib/notify/jobs';
import '@/lib/documents/jobs';
import '@/lib/expertise/jobs';
import '@/lib/registration/jobs';
import '@/lib/water/jobs';
import '@/lib/water/monitoring/jobs';
import '@/lib/water/simulator/jobs';
import '@/lib/water/reports/jobs';
import '@/lib/incidents/jobs';
