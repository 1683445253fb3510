import { describe, expect, it } from 'vitest';
import { currentSlot, validateSchedule } from './schedule';

describe('periodic schedules in Astana time', () => {
  it("X-1 dailyAt '00:05' is 19:05 UTC of the previous day", () => {
    expect(currentSlot({ dailyAt: '00:05' }, new Date('2026-03-10T19:05:00Z'))).toEqual({
      slot: '2026-03-11',
      at: new Date('2026-03-10T19:05:00Z'),
    });
    // One second earlier it is 00:04:59 on 11 March Astana: the latest slot is 10 March 00:05 Astana.
    expect(currentSlot({ dailyAt: '00:05' }, new Date('2026-03-10T19:04:59Z'))).toEqual({
      slot: '2026-03-10',
      at: new Date('2026-03-09T19:05:00Z'),
    });
  });

  it("X-1 dailyAt '23:30' on an Astana date whose UTC date differs", () => {
    // 2026-03-10T20:00Z is 11 March 01:00 Astana: the latest 23:30 is 10 March Astana = 18:30Z.
    expect(currentSlot({ dailyAt: '23:30' }, new Date('2026-03-10T20:00:00Z'))).toEqual({
      slot: '2026-03-10',
      at: new Date('2026-03-10T18:30:00Z'),
    });
  });

  it('X-1 everyMinutes slots are aligned to Astana midnight', () => {
    // 360 min: 00:00, 06:00, 12:00, 18:00 Astana. 2026-03-10T02:00Z is 07:00 Astana → slot 06:00 Astana = 01:00Z.
    expect(currentSlot({ everyMinutes: 360 }, new Date('2026-03-10T02:00:00Z'))).toEqual({
      slot: '2026-03-10T06:00',
      at: new Date('2026-03-10T01:00:00Z'),
    });
    expect(currentSlot({ everyMinutes: 1 }, new Date('2026-03-10T02:00:59.999Z')).slot).toBe('2026-03-10T07:00');
    expect(currentSlot({ everyMinutes: 15 }, new Date('2026-03-10T02:14:00Z')).slot).toBe('2026-03-10T07:00');
    expect(currentSlot({ everyMinutes: 15 }, new Date('2026-03-10T02:15:00Z')).slot).toBe('2026-03-10T07:15');
  });

  it('rejects schedules that cannot be honoured', () => {
    expect(() => validateSchedule({ dailyAt: '24:00' })).toThrow(/HH:mm/);
    expect(() => validateSchedule({ dailyAt: '7:30' })).toThrow(/HH:mm/);
    expect(() => validateSchedule({ everyMinutes: 0 })).toThrow(/everyMinutes/);
    expect(() => validateSchedule({ everyMinutes: 1.5 })).toThrow(/everyMinutes/);
  });
});
