/** Quality flags of a reading (readings.flags, a smallint bitmask). A flagged reading is kept, never dropped (W-23). */
export const FLAG = {
  /** Outside the device's rated range or the metric's physical limits. */
  OUT_OF_RANGE: 1,
  /** Far from the recent median of its series (median absolute deviation test). */
  SPIKE: 2,
  /** The same value repeated too many times where the metric should vary. */
  STUCK: 4,
  /** A user corrected the value (W-33); the original stays. */
  CORRECTED: 8,
  /** The device sent another unit; the value was converted to the canonical one. */
  CONVERTED: 16,
} as const;

export type FlagName = keyof typeof FLAG;

export function flagNames(flags: number): FlagName[] {
  return (Object.keys(FLAG) as FlagName[]).filter((k) => (flags & FLAG[k]) !== 0);
}
