/**
 * W-19: the IWA/AWWA standard water balance for a utility or a district metered area (DMA) over a period.
 * Pure arithmetic, no I/O. Volumes are m³ over the period; lengths in km; pressure in metres of head.
 *
 *   System input volume
 *   ├─ Authorised consumption ─┬─ Billed authorised (metered + unmetered)   = revenue water
 *   │                          └─ Unbilled authorised (metered + unmetered) ┐
 *   └─ Water losses ───────────┬─ Apparent losses (unauthorised, meter     ├ non-revenue water
 *                              │   inaccuracy, data handling errors)       │
 *                              └─ Real losses (CARL)                       ┘
 *
 * UARL (litres/day) = (18·Lm + 0.8·Nc + 25·Lp)·P  and  ILI = CARL (litres/day) / UARL.
 */
import { z } from 'zod';
import { AppError, fieldErrorsFromZod } from '@/lib/errors';

const volume = z.number().finite().nonnegative();

export const waterBalanceInputSchema = z.object({
  systemInputVolume: z.number().finite().positive(),
  billedMetered: volume,
  billedUnmetered: volume,
  unbilledMetered: volume,
  unbilledUnmetered: volume,
  /** Unauthorised consumption (theft, illegal connections): an estimate in m³ or a percentage of system input. */
  unauthorised: z.union([
    z.object({ volume }).strict(),
    z.object({ percentOfSystemInput: z.number().finite().min(0).max(100) }).strict(),
  ]),
  /**
   * Customer meters' under-registration, % of true consumption (0 ≤ p < 100). The meters recorded (1 − p) of
   * what passed, so the loss is metered·p/(1 − p); it applies to both metered categories (billed and unbilled).
   */
  customerMeterInaccuracyPercent: z.number().finite().min(0).lt(100),
  /** Systematic data handling errors (reading, billing), m³. */
  dataHandlingErrors: volume,
  /** Nc: number of service connections (≥ 1, the per-connection figures divide by it). */
  serviceConnections: z.number().int().positive(),
  /** Lm: length of mains, km. */
  mainsLengthKm: z.number().finite().nonnegative(),
  /** Lp: total length of private service pipe between the property boundary (connection) and the meter, km. */
  privatePipeLengthKm: z.number().finite().nonnegative(),
  /** P: average operating pressure, metres. */
  averagePressureM: z.number().finite().positive(),
  periodDays: z.number().finite().positive(),
});

export type WaterBalanceInput = z.input<typeof waterBalanceInputSchema>;

export type WaterBalance = {
  systemInputVolume: number;
  billedAuthorised: number;
  unbilledAuthorised: number;
  authorisedConsumption: number;
  waterLosses: number;
  unauthorisedConsumption: number;
  customerMeterInaccuracy: number;
  dataHandlingErrors: number;
  apparentLosses: number;
  /** CARL over the period, m³. */
  realLosses: number;
  revenueWater: number;
  nonRevenueWater: number;
  /** Non-revenue water as % of system input volume. */
  nonRevenueWaterPercent: number;
  nonRevenueWaterLitresPerConnectionPerDay: number;
  /** Real losses (CARL), litres per day and per connection per day. */
  realLossesLitresPerDay: number;
  realLossesLitresPerConnectionPerDay: number;
  /** Unavoidable annual real losses expressed per day, litres/day. */
  uarlLitresPerDay: number;
  /** Infrastructure Leakage Index = CARL / UARL; null when UARL is 0 (no network described). */
  ili: number | null;
  /** Caveats: the UARL formula is calibrated for systems with Nc ≥ 3,000 and P ≥ 25 m (IWA). */
  warnings: ('uarl_small_system' | 'uarl_low_pressure')[];
};

/** Thrown when the inputs are valid numbers but describe an impossible balance (e.g. negative losses). */
function impossible(message: string, field: string, params: Record<string, number>): AppError {
  return new AppError('water_balance_impossible', message, { [field]: message }, 422, params);
}

/** The unavoidable real losses, litres/day: (18·Lm + 0.8·Nc + 25·Lp)·P. */
export function uarlLitresPerDay(mainsLengthKm: number, serviceConnections: number, privatePipeLengthKm: number, averagePressureM: number): number {
  return (18 * mainsLengthKm + 0.8 * serviceConnections + 25 * privatePipeLengthKm) * averagePressureM;
}

/**
 * Computes the balance. Throws AppError `validation_failed` (fields) for malformed inputs and
 * `water_balance_impossible` when authorised consumption exceeds system input or apparent losses exceed the
 * water losses (real losses would be negative).
 */
export function computeWaterBalance(raw: WaterBalanceInput): WaterBalance {
  const parsed = waterBalanceInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'Some water balance inputs are not valid.', fieldErrorsFromZod(parsed.error));
  }
  const i = parsed.data;
  const siv = i.systemInputVolume;

  const billedAuthorised = i.billedMetered + i.billedUnmetered;
  const unbilledAuthorised = i.unbilledMetered + i.unbilledUnmetered;
  const authorisedConsumption = billedAuthorised + unbilledAuthorised;
  const waterLosses = siv - authorisedConsumption;
  if (waterLosses < 0) {
    throw impossible(
      `Authorised consumption (${authorisedConsumption} m³) exceeds the system input volume (${siv} m³).`,
      'systemInputVolume',
      { authorisedConsumption, systemInputVolume: siv },
    );
  }

  const unauthorisedConsumption = 'volume' in i.unauthorised ? i.unauthorised.volume : (siv * i.unauthorised.percentOfSystemInput) / 100;
  const p = i.customerMeterInaccuracyPercent / 100;
  const customerMeterInaccuracy = ((i.billedMetered + i.unbilledMetered) * p) / (1 - p);
  const apparentLosses = unauthorisedConsumption + customerMeterInaccuracy + i.dataHandlingErrors;
  const realLosses = waterLosses - apparentLosses;
  // A tolerance of a millilitre-scale rounding: inputs that balance exactly must not fail on float noise.
  if (realLosses < -1e-9 * siv) {
    throw impossible(
      `Apparent losses (${round(apparentLosses)} m³) exceed the water losses (${round(waterLosses)} m³): real losses would be negative.`,
      'apparentLosses',
      { apparentLosses, waterLosses },
    );
  }
  const carl = Math.max(0, realLosses);

  const revenueWater = billedAuthorised;
  const nonRevenueWater = siv - revenueWater;
  const days = i.periodDays;
  const nc = i.serviceConnections;
  const realLossesLitresPerDay = (carl * 1000) / days;
  const uarl = uarlLitresPerDay(i.mainsLengthKm, nc, i.privatePipeLengthKm, i.averagePressureM);

  const warnings: WaterBalance['warnings'] = [];
  if (nc < 3000) warnings.push('uarl_small_system');
  if (i.averagePressureM < 25) warnings.push('uarl_low_pressure');

  return {
    systemInputVolume: siv,
    billedAuthorised,
    unbilledAuthorised,
    authorisedConsumption,
    waterLosses,
    unauthorisedConsumption,
    customerMeterInaccuracy,
    dataHandlingErrors: i.dataHandlingErrors,
    apparentLosses,
    realLosses: carl,
    revenueWater,
    nonRevenueWater,
    nonRevenueWaterPercent: (nonRevenueWater / siv) * 100,
    nonRevenueWaterLitresPerConnectionPerDay: (nonRevenueWater * 1000) / nc / days,
    realLossesLitresPerDay,
    realLossesLitresPerConnectionPerDay: realLossesLitresPerDay / nc,
    uarlLitresPerDay: uarl,
    ili: uarl > 0 ? realLossesLitresPerDay / uarl : null,
    warnings,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
