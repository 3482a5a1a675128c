import type { components } from '@/lib/api/schema';

type Schemas = components['schemas'];

export const MINE = '04312000000';
export const MINE_TOO = '04312007919';

export const myMeter = (meter_number: string, overrides: Partial<Schemas['MyMeter']> = {}): Schemas['MyMeter'] => ({
  meter_number,
  meter_type: 'Single Phase',
  status: 'active',
  area_name: 'Downtown',
  online: true,
  last_seen: '2025-01-15T10:00:00Z',
  relay_state: 'connected',
  relay_state_at: '2025-01-15T09:00:00Z',
  has_credit: true,
  credit: { value: 61_000, unit: 'Wh', at: '2025-01-15T09:30:00Z' },
  import_kwh: 10_422.5,
  last_reading_at: '2025-01-15T10:00:00Z',
  ...overrides,
});

export const myMeters = (items: Schemas['MyMeter'][]): Schemas['MyMeters'] => ({
  customer_id: 'c-1',
  customer_name: 'Chukwuemeka Okafor',
  items,
});

const point = (period: string, import_kwh: number | null): Schemas['ConsumptionPoint'] => ({
  period,
  start: `${period.length === 10 ? period : '2025-01-15'}T00:00:00+01:00`,
  import_kwh,
  export_kwh: import_kwh === null ? null : 0,
  readings: import_kwh === null ? 0 : 24,
});

export const myConsumption = (
  granularity: Schemas['MyConsumption']['granularity'],
  series: [string, number | null][],
): Schemas['MyConsumption'] => {
  const points = series.map(([period, kwh]) => point(period, kwh));
  const present = points.filter((p) => p.import_kwh !== null);
  return {
    meter_number: MINE,
    granularity,
    from: series[0]?.[0].slice(0, 10) ?? '2025-01-13',
    to: series.at(-1)?.[0].slice(0, 10) ?? '2025-01-15',
    timezone: 'Africa/Lagos',
    unit: 'kWh',
    series: points,
    totals: {
      import_kwh: present.length ? present.reduce((sum, p) => sum + (p.import_kwh ?? 0), 0) : null,
      export_kwh: present.length ? 0 : null,
      periods_with_data: present.length,
      periods: points.length,
    },
  };
};

export const tokenLoad = (id: string, overrides: Partial<Schemas['MyTokenLoad']> = {}): Schemas['MyTokenLoad'] => ({
  id,
  token: '****************7890',
  status: 'accepted',
  detail: 'accepted',
  credit_wh: 61_000,
  requested_at: '2025-01-14T08:00:00Z',
  finished_at: '2025-01-14T08:00:05Z',
  ...overrides,
});

export const myEvent = (type: string, at: string): Schemas['MyEvent'] => ({ at, type, severity: 'info' });
