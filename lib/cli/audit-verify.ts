import { verifyAuditChain, type AuditBreak } from '@/lib/audit';
import { withCliDb } from './db';

/**
 * `npm run audit:verify [-- --from N --to N]`: recomputes the audit journal's hash chain and prints a
 * summary. Exit code 0 when intact, 1 when any row is broken.
 */
function argNumber(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const n = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`${name} needs a positive whole number`);
    process.exit(2);
  }
  return n;
}

const reasons: Record<AuditBreak['reason'], string> = {
  hash_mismatch: 'the row was changed after it was written (its hash does not match its content)',
  prev_hash_mismatch: 'the link to the previous row is broken (a row before it was changed, removed or inserted)',
  gap: 'rows are missing before this one (seq is not consecutive)',
};

withCliDb(
  async (db) => {
    const started = Date.now();
    const r = await verifyAuditChain(db, { fromSeq: argNumber('--from'), toSeq: argNumber('--to') });
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (r.ok) {
      console.log(
        r.checked === 0
          ? 'Audit journal OK: no rows in range.'
          : `Audit journal OK: ${r.checked} row${r.checked === 1 ? '' : 's'} checked (seq ${r.firstSeq}–${r.lastSeq}) in ${secs} s.\nLast hash: ${r.lastHash}`,
      );
      return 0;
    }
    console.error(`Audit journal BROKEN: ${r.broken.length} problem(s) in ${r.checked} row${r.checked === 1 ? '' : 's'} (seq ${r.firstSeq}–${r.lastSeq}).`);
    for (const b of r.broken) console.error(`  seq ${b.seq}: ${b.reason} — ${reasons[b.reason]}`);
    return 1;
  },
  { migrate: false },
)
  .then((code) => process.exit(code))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
