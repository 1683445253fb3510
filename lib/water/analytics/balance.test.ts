import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { computeWaterBalance, uarlLitresPerDay, type WaterBalanceInput } from './balance';

/**
 * A worked example, checked by hand (a month of a mid-sized utility):
 *   SIV 1,300,000; billed 950,000 metered + 30,000 unmetered = 980,000 (revenue water);
 *   unbilled 19,000 metered + 1,000 unmetered = 20,000; authorised 1,000,000; water losses 300,000.
 *   Apparent: unauthorised 1 % of SIV = 13,000; meters under-register 5 %: (950,000 + 19,000)·0.05/0.95
 *   = 969,000/0.95 − 969,000 = 1,020,000 − 969,000 = 51,000; data handling 6,000 → 70,000.
 *   Real losses (CARL) 300,000 − 70,000 = 230,000 m³ → 230,000,000 l / 30 d = 7,666,666.67 l/day.
 *   NRW = 1,300,000 − 980,000 = 320,000 = 24.615 % of SIV; 320,000,000 l / 20,000 / 30 = 533.33 l/conn/day.
 *   UARL = (18·400 + 0.8·20,000 + 25·100)·40 = (7,200 + 16,000 + 2,500)·40 = 1,028,000 l/day.
 *   ILI = 7,666,666.67 / 1,028,000 = 7.458.
 */
const example: WaterBalanceInput = {
  systemInputVolume: 1_300_000,
  billedMetered: 950_000,
  billedUnmetered: 30_000,
  unbilledMetered: 19_000,
  unbilledUnmetered: 1_000,
  unauthorised: { percentOfSystemInput: 1 },
  customerMeterInaccuracyPercent: 5,
  dataHandlingErrors: 6_000,
  serviceConnections: 20_000,
  mainsLengthKm: 400,
  privatePipeLengthKm: 100,
  averagePressureM: 40,
  periodDays: 30,
};

function errorOf(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('water balance (W-19)', () => {
  it('W-19 the balance of a worked example: NRW %, l/conn/day, UARL and ILI as computed by hand', () => {
    const b = computeWaterBalance(example);
    expect(b.billedAuthorised).toBe(980_000);
    expect(b.revenueWater).toBe(980_000);
    expect(b.unbilledAuthorised).toBe(20_000);
    expect(b.authorisedConsumption).toBe(1_000_000);
    expect(b.waterLosses).toBe(300_000);
    expect(b.unauthorisedConsumption).toBe(13_000);
    expect(b.customerMeterInaccuracy).toBeCloseTo(51_000, 6);
    expect(b.apparentLosses).toBeCloseTo(70_000, 6);
    expect(b.realLosses).toBeCloseTo(230_000, 6);
    expect(b.nonRevenueWater).toBe(320_000);
    expect(b.nonRevenueWaterPercent).toBeCloseTo(24.615, 3);
    expect(b.nonRevenueWaterLitresPerConnectionPerDay).toBeCloseTo(533.333, 3);
    expect(b.realLossesLitresPerDay).toBeCloseTo(7_666_666.667, 2);
    expect(b.realLossesLitresPerConnectionPerDay).toBeCloseTo(383.333, 3);
    expect(b.uarlLitresPerDay).toBe(1_028_000);
    expect(b.ili).toBeCloseTo(7.458, 3);
    expect(b.warnings).toEqual([]);
  });

  it('W-19 unauthorised consumption may be given as a volume; small low-pressure systems carry UARL caveats', () => {
    const b = computeWaterBalance({ ...example, unauthorised: { volume: 13_000 }, serviceConnections: 2_000, averagePressureM: 20 });
    expect(b.realLosses).toBeCloseTo(230_000, 6);
    expect(b.uarlLitresPerDay).toBe((18 * 400 + 0.8 * 2_000 + 25 * 100) * 20);
    expect(b.warnings).toEqual(['uarl_small_system', 'uarl_low_pressure']);
  });

  it('W-19 impossible balances are refused: authorised consumption above system input', () => {
    const e = errorOf(() => computeWaterBalance({ ...example, billedMetered: 1_290_000 }));
    expect(e.code).toBe('water_balance_impossible');
    expect(e.status).toBe(422);
    expect(e.fields).toHaveProperty('systemInputVolume');
  });

  it('W-19 impossible balances are refused: apparent losses larger than the water losses (negative real losses)', () => {
    // water losses 300,000; unauthorised 25 % of SIV = 325,000 alone exceeds them
    const e = errorOf(() => computeWaterBalance({ ...example, unauthorised: { percentOfSystemInput: 25 } }));
    expect(e.code).toBe('water_balance_impossible');
    expect(e.fields).toHaveProperty('apparentLosses');
  });

  it('W-19 malformed inputs are refused field by field', () => {
    const e = errorOf(() =>
      computeWaterBalance({ ...example, billedMetered: -1, serviceConnections: 0, customerMeterInaccuracyPercent: 100, periodDays: 0 }),
    );
    expect(e.code).toBe('validation_failed');
    expect(Object.keys(e.fields ?? {}).sort()).toEqual(['billedMetered', 'customerMeterInaccuracyPercent', 'periodDays', 'serviceConnections']);
    expect(errorOf(() => computeWaterBalance({ ...example, systemInputVolume: Number.NaN })).code).toBe('validation_failed');
  });

  it('W-19 UARL is (18·Lm + 0.8·Nc + 25·Lp)·P', () => {
    expect(uarlLitresPerDay(1, 0, 0, 1)).toBe(18);
    expect(uarlLitresPerDay(0, 10, 0, 1)).toBe(8);
    expect(uarlLitresPerDay(0, 0, 2, 3)).toBe(150);
  });

  it('W-19 invariant: the components always add up to the system input, and NRW = SIV − revenue water', () => {
    const arb = fc
      .record({
        bm: fc.integer({ min: 0, max: 1_000_000 }),
        bu: fc.integer({ min: 0, max: 100_000 }),
        um: fc.integer({ min: 0, max: 100_000 }),
        uu: fc.integer({ min: 0, max: 100_000 }),
        lossShare: fc.double({ min: 0.01, max: 0.8, noNaN: true }),
        unauthShare: fc.double({ min: 0, max: 1, noNaN: true }),
        meterPct: fc.double({ min: 0, max: 10, noNaN: true }),
        dheShare: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .filter((r) => r.bm + r.bu + r.um + r.uu > 0);
    fc.assert(
      fc.property(arb, (r) => {
        const authorised = r.bm + r.bu + r.um + r.uu;
        const siv = authorised / (1 - r.lossShare);
        const losses = siv - authorised;
        const meter = ((r.bm + r.um) * r.meterPct) / 100 / (1 - r.meterPct / 100);
        // keep apparent losses within the water losses so the balance is possible
        const room = Math.max(0, losses - meter);
        const unauth = room * r.unauthShare * 0.5;
        const dhe = room * r.dheShare * 0.5;
        fc.pre(meter <= losses);
        const b = computeWaterBalance({
          ...example,
          systemInputVolume: siv,
          billedMetered: r.bm,
          billedUnmetered: r.bu,
          unbilledMetered: r.um,
          unbilledUnmetered: r.uu,
          unauthorised: { volume: unauth },
          customerMeterInaccuracyPercent: r.meterPct,
          dataHandlingErrors: dhe,
        });
        const sum = b.billedAuthorised + b.unbilledAuthorised + b.apparentLosses + b.realLosses;
        expect(Math.abs(sum - siv)).toBeLessThanOrEqual(1e-6 * siv);
        expect(b.nonRevenueWater).toBeCloseTo(siv - b.revenueWater, 6);
        expect(Math.abs(b.nonRevenueWater - (b.unbilledAuthorised + b.waterLosses))).toBeLessThanOrEqual(1e-6 * siv);
        expect(b.realLosses).toBeGreaterThanOrEqual(0);
        expect(b.nonRevenueWaterPercent).toBeGreaterThanOrEqual(0);
        expect(b.nonRevenueWaterPercent).toBeLessThanOrEqual(100);
      }),
      { numRuns: 500 },
    );
  });
});
