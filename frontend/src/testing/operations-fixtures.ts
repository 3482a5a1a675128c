import type { components } from '@/lib/api/schema';

type Schemas = components['schemas'];

const stamp = '2025-01-15T10:00:00Z';

export const meterCounts = (overrides: Partial<Schemas['MeterCounts']> = {}): Schemas['MeterCounts'] => ({
  total: 60,
  online: 42,
  offline: 10,
  never_online: 8,
  online_last_24h: 50,
  online_rate: 70,
  ...overrides,
});

export const eventItem = (id: string, overrides: Partial<Schemas['EventItem']> = {}): Schemas['EventItem'] => ({
  id,
  at: stamp,
  meter_number: '04312000000',
  area_id: 'a-1',
  area_name: 'Downtown',
  type: 'meter_cover_opened',
  severity: 'high',
  tamper: true,
  details: {},
  ...overrides,
});

/** Twelve five-minute slots from 09:00; `missing` slots have no reading (null, a gap). */
export const energyLastHour = (missing: number[] = []): Schemas['EnergyPoint'][] =>
  Array.from({ length: 12 }, (_, index) => ({
    at: new Date(Date.UTC(2025, 0, 15, 9, index * 5)).toISOString(),
    import_kwh: missing.includes(index) ? null : 1.5,
    export_kwh: null,
  }));

export const dashboardSummary = (
  overrides: Partial<Omit<Schemas['DashboardSummary'], 'meters' | 'alerts'>> & {
    meters?: Partial<Schemas['MeterCounts']>;
    alerts?: Partial<Schemas['AlertCounts']>;
  } = {},
): Schemas['DashboardSummary'] => {
  const { meters, alerts, ...rest } = overrides;
  return {
    area: null,
    generated_at: stamp,
    meters: meterCounts(meters),
    alerts: { active: 3, critical: 1, ...alerts },
    energy_last_hour: energyLastHour([4]),
    energy_last_hour_kwh: 16.5,
    top_areas: [
      { area_id: 'a-1', area_name: 'Downtown', import_kwh: 812.4 },
      { area_id: 'a-2', area_name: 'Harbour', import_kwh: 377 },
    ],
    latest_events: [eventItem('e-1'), eventItem('e-2', { meter_number: '04312007919', type: 'power_failure', severity: 'warning', tamper: false })],
    ...rest,
  };
};

export const alert = (id: string, overrides: Partial<Schemas['Alert']> = {}): Schemas['Alert'] => ({
  id,
  meter_number: '04312000000',
  area_id: 'a-1',
  area_name: 'Downtown',
  type: 'meter_cover_opened',
  severity: 'critical',
  source: 'meter',
  count: 1,
  first_at: '2025-01-15T09:00:00Z',
  last_at: stamp,
  active: true,
  details: null,
  acknowledged_at: null,
  acknowledged_by: null,
  note: null,
  ...overrides,
});

export const eventAnalysis = (overrides: Partial<Schemas['EventAnalysis']> = {}): Schemas['EventAnalysis'] => ({
  total: 9,
  by_type: [
    { type: 'power_failure', count: 5 },
    { type: 'meter_cover_opened', count: 4 },
  ],
  by_day: [
    { day: '2025-01-14', counts: { power_failure: 2, meter_cover_opened: 1 } },
    { day: '2025-01-15', counts: { power_failure: 3, meter_cover_opened: 3 } },
  ],
  by_area: [
    { area_id: 'a-1', area_name: 'Downtown', count: 7 },
    { area_id: null, area_name: 'No area', count: 2 },
  ],
  top_meters: [
    { meter_number: '04312000000', count: 6, tamper: 4 },
    { meter_number: '04312007919', count: 3, tamper: 0 },
  ],
  tamper_trend: [
    { day: '2025-01-14', count: 1 },
    { day: '2025-01-15', count: 3 },
  ],
  ...overrides,
});

export const consumptionPoint = (
  period: string,
  import_kwh: number | null,
  overrides: Partial<Schemas['ConsumptionPoint']> = {},
): Schemas['ConsumptionPoint'] => ({
  period,
  start: `${period}T00:00:00+01:00`,
  import_kwh,
  export_kwh: import_kwh === null ? null : 0,
  readings: import_kwh === null ? 0 : 96,
  ...overrides,
});

export const consumptionReport = (overrides: Partial<Schemas['ConsumptionReport']> = {}): Schemas['ConsumptionReport'] => ({
  scope: 'all',
  meter_number: null,
  area_id: null,
  granularity: 'daily',
  from: '2025-01-13',
  to: '2025-01-15',
  timezone: 'Africa/Lagos',
  unit: 'kWh',
  series: [consumptionPoint('2025-01-13', 12.5), consumptionPoint('2025-01-14', null), consumptionPoint('2025-01-15', 7.25)],
  totals: { import_kwh: 19.75, export_kwh: 0, periods_with_data: 2, periods: 3 },
  flags: [],
  rows: [
    {
      meter_number: '04312000000',
      customer_name: 'Chukwuemeka Okafor',
      area_name: 'Downtown',
      import_kwh: 19.75,
      export_kwh: 0,
      days_with_data: 2,
    },
    { meter_number: '04312007919', customer_name: null, area_name: 'Harbour', import_kwh: null, export_kwh: null, days_with_data: 0 },
  ],
  ...overrides,
});

export const onlineRow = (meter_number: string, overrides: Partial<Schemas['OnlineRow']> = {}): Schemas['OnlineRow'] => ({
  meter_number,
  area_id: 'a-1',
  area_name: 'Downtown',
  customer_name: null,
  status: 'active',
  online: true,
  first_seen: '2025-01-01T08:00:00Z',
  last_seen: stamp,
  days_with_data: 14,
  hours_online: 712.5,
  never_online: false,
  ...overrides,
});

export const onlineRatePage = (
  items: Schemas['OnlineRow'][],
  overrides: Partial<Schemas['OnlineRatePage']> = {},
): Schemas['OnlineRatePage'] => ({
  items,
  total: items.length,
  page: 1,
  page_size: 25,
  summary: meterCounts(),
  trend: [
    { day: '2025-01-13', meters_seen: 40, online_rate: 66.7 },
    { day: '2025-01-14', meters_seen: 0, online_rate: null },
    { day: '2025-01-15', meters_seen: 42, online_rate: 70 },
  ],
  ...overrides,
});

export const readingImportReport = (
  overrides: Partial<Schemas['ReadingImportReport']> = {},
): Schemas['ReadingImportReport'] => ({
  dry_run: true,
  rows: 192,
  meters: 2,
  new_points: 190,
  unchanged_points: 2,
  from: '2025-01-14T00:00:00+01:00',
  to: '2025-01-14T23:45:00+01:00',
  errors: [],
  errors_left_off: 0,
  written: 0,
  flags: 0,
  ...overrides,
});

export const report = (id: string, overrides: Partial<Schemas['Report']> = {}): Schemas['Report'] => ({
  id,
  kind: 'consumption',
  format: 'csv',
  title: 'Consumption',
  params: { granularity: 'daily', from: '2025-01-01', to: '2025-01-31', area: 'a-1' },
  status: 'done',
  schedule: null,
  area_id: 'a-1',
  created_by: 'operator',
  created_at: stamp,
  finished_at: '2025-01-15T10:00:12Z',
  error: null,
  filename: `consumption-${id}.csv`,
  size: 2048,
  url: `https://files.example.com/reports/${id}.csv?X-Amz-Signature=abc`,
  ...overrides,
});

export const reportPage = (items: Schemas['Report'][]): Schemas['ReportPage'] => ({
  items,
  total: items.length,
  page: 1,
  page_size: 25,
});

export const reportSchedule = (
  id: string,
  overrides: Partial<Schemas['ReportScheduleView']> = {},
): Schemas['ReportScheduleView'] => ({
  id,
  area_id: null,
  cadence: 'daily',
  format: 'csv',
  enabled: true,
  ...overrides,
});
