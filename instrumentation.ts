/**
 * Next.js calls register() once per server instance. Only the Node.js runtime boots (checks + the
 * in-process scheduler); never during `next build`, which must not touch the database.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { bootNode } = await import('./lib/jobs/boot-node');
  await bootNode();
}
