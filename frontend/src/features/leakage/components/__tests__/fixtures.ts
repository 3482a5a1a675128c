import type { components } from '@/lib/api/schema';

type Schemas = components['schemas'];

export const counts = (overrides: Partial<Schemas['LeakageCounts']> = {}): Schemas['LeakageCounts'] => ({
  zero_consumption: 0,
  reverse_flow: 0,
  reverse_export_kwh: 0,
  tamper: 0,
  tamper_previous: 0,
  tamper_meters: 0,
  bypass: 0,
  bypass_kwh: 0,
  energy_at_risk: 0,
  at_risk_kwh: 0,
  at_risk_no_history: 0,
  ...overrides,
});

export const leakageSummary = (overrides: Partial<Schemas['LeakageSummary']> = {}): Schemas['LeakageSummary'] => ({
  area: null,
  from: '2026-10-01',
  to: '2026-10-03',
  previous_from: '2026-09-28',
  previous_to: '2026-09-30',
  timezone: 'Africa/Lagos',
  generated_at: '2026-10-03T10:00:00Z',
  zero_hours: 48,
  offline_days: 3,
  overall: counts({
    zero_consumption: 2, reverse_flow: 1, reverse_export_kwh: 14.4, tamper: 5, tamper_previous: 2, tamper_meters: 3,
    bypass: 1, bypass_kwh: 9.5, energy_at_risk: 4, at_risk_kwh: 481.66, at_risk_no_history: 1,
  }),
  areas: [
    { area_id: 'a-1', area_name: 'Downtown', ...counts({ zero_consumption: 2, bypass: 1, bypass_kwh: 9.5, tamper: 1 }) },
    {
      area_id: 'a-2', area_name: 'Harbour',
      ...counts({ reverse_flow: 1, reverse_export_kwh: 14.4, tamper: 4, tamper_previous: 2, energy_at_risk: 4 }),
    },
  ],
  tamper_trend: [
    { day: '2026-10-01', count: 1 },
    { day: '2026-10-02', count: 3 },
    { day: '2026-10-03', count: 1 },
  ],
  ...overrides,
});

export const leakageMeter = (meterNumber: string, overrides: Partial<Schemas['LeakageMeter']> = {}): Schemas['LeakageMeter'] => ({
  meter_number: meterNumber,
  customer_name: 'Adaeze Obi',
  area_id: 'a-1',
  area_name: 'Downtown',
  since: '2026-10-02T14:15:00Z',
  import_kwh: null,
  export_kwh: null,
  hours: null,
  alerts: null,
  occurrences: null,
  alert_types: [],
  last_at: null,
  relay_state: null,
  voltage_v: null,
  days_silent: null,
  avg_daily_kwh: null,
  estimated_kwh: null,
  ...overrides,
});
