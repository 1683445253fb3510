/** Astana time: since 1 March 2024 all of Kazakhstan is UTC+5; IANA `Asia/Almaty` follows it. */
export const ASTANA_TZ = 'Asia/Almaty';
export const ASTANA_OFFSET_MINUTES = 5 * 60;

/** The UTC offset, in minutes, that the runtime's time-zone data give for `tz` at `at`. */
export function runtimeOffsetMinutes(tz: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT(?:([+-])(\d{2}):?(\d{2}))?/.exec(name);
  if (!m) throw new Error(`cannot read the UTC offset of ${tz} from "${name}"`);
  if (!m[1]) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * Checks that the runtime's time-zone data put Asia/Almaty at UTC+5 after 2024-03-01. Returns a
 * message to print and refuse to start with, or `null` when the data are right.
 */
export function checkTimeZoneData(): string | null {
  const probes = ['2024-03-02T00:00:00Z', '2024-07-01T12:00:00Z', '2025-01-15T12:00:00Z'];
  for (const probe of probes) {
    let offset: number;
    try {
      offset = runtimeOffsetMinutes(ASTANA_TZ, new Date(probe));
    } catch (e) {
      return `The runtime has no usable time-zone data for ${ASTANA_TZ} (${(e as Error).message}). Install current tzdata or use a Node.js built with full ICU.`;
    }
    if (offset !== ASTANA_OFFSET_MINUTES) {
      const h = offset / 60;
      return `The runtime's time-zone data put ${ASTANA_TZ} at UTC${h >= 0 ? '+' : ''}${h} on ${probe.slice(0, 10)}, but Kazakhstan has been on UTC+5 since 1 March 2024 (X-1). Update the time-zone data (tzdata 2024a or newer, or a newer Node.js) and start again.`;
    }
  }
  return null;
}
