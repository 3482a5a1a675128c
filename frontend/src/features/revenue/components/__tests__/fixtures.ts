import type { components } from '@/lib/api/schema';

type Schemas = components['schemas'];

const stamp = '2026-10-20T08:00:00Z';

export const theftScore = (meter_number: string, overrides: Partial<Schemas['TheftScoreItem']> = {}): Schemas['TheftScoreItem'] => ({
  meter_number,
  area_id: 'a-1',
  area_name: 'Downtown',
  customer_name: 'Ama Mensah',
  as_of: '2026-10-19',
  score: 0.91,
  risk: 'high',
  reasons: ['Daily use fell 86 % below last month', 'Uses 12 % of its area average', 'Meter cover opened twice'],
  rule_hits: [{ rule: 'consumption_drop', message: 'Daily use fell 86 % below last month', value: 86, since: '2026-10-08' }],
  model_score: 0.88,
  data_days: 60,
  open_case: null,
  confirmed_thefts: 0,
  ...overrides,
});

/** Ten days; `gaps` are days without data for the meter. */
const days = (gaps: number[], value: (n: number) => number) =>
  Array.from({ length: 10 }, (_, n) => ({ day: `2026-10-${String(10 + n).padStart(2, '0')}`, import_kwh: gaps.includes(n) ? null : value(n) }));

export const theftDetail = (meter_number: string, overrides: Partial<Schemas['TheftScoreDetail']> = {}): Schemas['TheftScoreDetail'] => ({
  ...theftScore(meter_number),
  profile: days([3], (n) => (n < 5 ? 8 : 1.2)),
  area_profile: days([], () => 7.5),
  events: [{ at: '2026-10-12T03:00:00Z', type: 'meter_cover_opened', severity: 'high', tamper: true }],
  cases: [{ id: 'C-000003', status: 'resolved', outcome: 'no_theft', created_at: '2026-05-01T08:00:00Z', resolved_at: '2026-05-03T08:00:00Z' }],
  history: [
    { as_of: '2026-10-18', score: 0.7 },
    { as_of: '2026-10-19', score: 0.91 },
  ],
  ...overrides,
});

export const theftRun = (id: string, overrides: Partial<Schemas['TheftRun']> = {}): Schemas['TheftRun'] => ({
  id,
  area_id: null,
  as_of: '2026-10-19',
  status: 'done',
  trigger: 'schedule',
  requested_by: 'system',
  created_at: stamp,
  finished_at: stamp,
  meters_scored: 120,
  high: 3,
  medium: 7,
  alerts_raised: 2,
  error: null,
  ...overrides,
});

export const scorePage = (items: Schemas['TheftScoreItem'][], as_of: string | null = '2026-10-19') => ({
  items,
  total: items.length,
  page: 1,
  page_size: 25,
  as_of,
});

export const caseItem = (id: string, overrides: Partial<Schemas['Case']> = {}): Schemas['Case'] => ({
  id,
  meter_number: '04318000201',
  area_id: 'a-1',
  area_name: 'Downtown',
  customer_name: 'Ama Mensah',
  title: '04318000201: Daily use fell 86 % below last month',
  status: 'open',
  assignee: null,
  outcome: null,
  source: 'alert',
  alert_ids: ['al-1'],
  created_by: 'operator',
  created_at: stamp,
  updated_at: stamp,
  resolved_at: null,
  resolved_by: null,
  ...overrides,
});

export const caseDetail = (id: string, overrides: Partial<Schemas['CaseDetail']> = {}): Schemas['CaseDetail'] => ({
  ...caseItem(id),
  evidence: {
    captured_at: stamp,
    as_of: '2026-10-19',
    score: 0.91,
    risk: 'high',
    reasons: ['Daily use fell 86 % below last month'],
    rule_hits: [{ rule: 'consumption_drop', message: 'Daily use fell 86 % below last month', value: 86, since: '2026-10-08' }],
    consumption: days([2], (n) => (n < 5 ? 8 : 1.2)),
    events: [{ at: '2026-10-12T03:00:00Z', type: 'magnetic_field', severity: 'critical', tamper: true }],
    alert: {
      id: 'al-1',
      type: 'investigation',
      severity: 'high',
      count: 1,
      first_at: stamp,
      last_at: stamp,
      details: { reasons: ['Uses 12 % of its area average'], score: 0.91 },
    },
  },
  timeline: [
    { at: stamp, by: 'operator', kind: 'opened', text: 'Opened from alert investigation' },
    { at: '2026-10-20T09:00:00Z', by: 'operator', kind: 'note', text: 'Neighbour reported a bypass' },
  ],
  ...overrides,
});

export const assignees = {
  items: [
    { username: 'admin0', full_name: 'Ada Admin', role: 'admin' },
    { username: 'operator1', full_name: null, role: 'operator' },
  ],
};
