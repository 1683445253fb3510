/**
 * X-2 / E-18 benchmark (issue 3 part 11): 1,000,000 registrationDate computations over random instants in
 * 2024–2027 with the seeded official calendar. Goal: at most 1 s. Prints `BENCH calendar.registrationDate.1M <ms> ms`.
 */
import { officialCalendarDays } from '@/db/seed/calendar';
import { WorkingCalendar } from '@/lib/time/calendar';

const N = 1_000_000;
const from = Date.UTC(2024, 0, 1);
const to = Date.UTC(2028, 0, 1);

// A fixed-seed generator so that every run measures the same instants.
let seed = 0x9e3779b9;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}
const instants = Array.from({ length: N }, () => new Date(from + Math.floor(random() * (to - from))));

const calendar = new WorkingCalendar(officialCalendarDays);

function run(): { ms: number; check: number } {
  let check = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) check += calendar.registrationDate(instants[i]).date.length;
  return { ms: performance.now() - t0, check };
}

const warm = run(); // first run: cold JIT and empty per-day caches
const runs = [run(), run(), run()];
const best = Math.min(...runs.map((r) => r.ms));
if (runs.some((r) => r.check !== 10 * N)) throw new Error('unexpected results');
console.log(`runs: ${[warm, ...runs].map((r) => r.ms.toFixed(0)).join(", ")} ms (the first cold)`);
console.log(`BENCH calendar.registrationDate.1M ${best.toFixed(0)} ms`);
