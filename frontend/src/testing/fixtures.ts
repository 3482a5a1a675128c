import type { components } from '@/lib/api/schema';

type Schemas = components['schemas'];
type Role = Schemas['UserInfo']['role'];

const READ = [
  'areas:read',
  'meters:read',
  'sims:read',
  'customers:read',
  'profiles:read',
  'devices:read',
  'jobs:read',
  'reports:read',
];
const WRITE = [
  'areas:write',
  'meters:write',
  'sims:write',
  'customers:write',
  'profiles:write',
  'commands:execute',
  'alerts:acknowledge',
  'readings:import',
  'theft:run',
  'cases:write',
];

/** What the API grants each role (its permission table). */
const PERMISSIONS: Record<Role, string[]> = {
  admin: ['self', ...READ, ...WRITE, 'users:manage', 'audit:read', 'settings:manage'],
  operator: ['self', ...READ, ...WRITE],
  viewer: ['self', ...READ],
  customer: ['self', 'own:read'],
};

export const userInfo = (role: Role, overrides: Partial<Schemas['UserInfo']> = {}): Schemas['UserInfo'] => ({
  username: role,
  role,
  full_name: `Test ${role}`,
  customer_id: role === 'customer' ? 'c-1' : null,
  must_change_password: false,
  permissions: PERMISSIONS[role],
  ...overrides,
});

export const tokenResponse = (user: Schemas['UserInfo'], n = 1): Schemas['TokenResponse'] => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  token_type: 'bearer',
  expires_in: 900,
  user,
});

const stamp = '2025-01-15T10:00:00Z';

export const area = (id: string, name: string, meter_count = 0): Schemas['Area'] => ({
  id,
  name,
  description: null,
  supply: null,
  meter_count,
  created_at: stamp,
  updated_at: stamp,
});

export const meter = (meter_number: string, overrides: Partial<Schemas['Meter']> = {}): Schemas['Meter'] => ({
  meter_number,
  concentrator_id: 'DCU-0001',
  meter_type: 'Single Phase',
  area_id: 'a-1',
  area_name: 'Downtown',
  status: 'warehouse',
  sim_number: null,
  customer_id: null,
  customer_name: null,
  device_profile: null,
  security: null,
  generating: false,
  online: false,
  first_seen: null,
  last_seen: null,
  created_at: stamp,
  updated_at: stamp,
  ...overrides,
});

export const cosemObject = (
  obis: string,
  overrides: Partial<Schemas['CosemObject']> = {},
): Schemas['CosemObject'] => ({
  obis,
  class_id: 3,
  kind: 'attribute',
  index: 2,
  name: `Object ${obis}`,
  group: 'General',
  unit: null,
  scaler: null,
  access: 'R',
  data_type: null,
  ...overrides,
});

export const deviceProfile = (
  id: string,
  overrides: Partial<Schemas['DeviceProfile']> = {},
): Schemas['DeviceProfile'] => ({
  id,
  brand: 'Hexing',
  model: 'HXE110',
  meter_type: 'Single Phase',
  objects: [],
  push_layout: [],
  is_default: false,
  meter_count: 0,
  created_at: stamp,
  updated_at: stamp,
  ...overrides,
});

export const meterStatus = (
  meter_number: string,
  overrides: Partial<Schemas['MeterStatus']> = {},
): Schemas['MeterStatus'] => ({
  meter_number,
  online: true,
  first_seen: '2025-01-15T08:00:00Z',
  last_seen: '2025-01-15T09:59:30Z',
  peer: '10.0.0.7:40112',
  relay_state: null,
  device_profile: null,
  last_reading_at: '2025-01-15T09:59:30Z',
  edge: null,
  invocation_counters: null,
  ...overrides,
});

export const itemResult = (
  obis: string,
  overrides: Partial<Schemas['ItemResult']> = {},
): Schemas['ItemResult'] => ({
  op: 'get',
  obis,
  class_id: 3,
  index: 2,
  name: null,
  unit: null,
  scaler: null,
  ok: true,
  value: null,
  reason: null,
  detail: null,
  at: '2025-01-15T10:00:05Z',
  ...overrides,
});

/** A job; `results` maps each meter to its items (none: still pending). */
export const job = (
  id: string,
  results: Record<string, Schemas['ItemResult'][] | null>,
  overrides: Partial<Schemas['Job']> = {},
): Schemas['Job'] => {
  const meters = Object.entries(results);
  const done = meters.filter(([, items]) => items !== null).length;
  return {
    id,
    kind: 'read',
    title: `read on ${meters.length} meter(s)`,
    status: done === meters.length ? 'done' : 'running',
    progress: { done, total: meters.length },
    items: [],
    results: meters.map(([meter_number, items]) => ({
      meter_number,
      status: items === null ? 'pending' : items.every((item) => item.ok) ? 'done' : 'failed',
      items: items ?? [],
    })),
    created_by: 'operator',
    created_at: stamp,
    finished_at: done === meters.length ? stamp : null,
    ...overrides,
  };
};

export const tokenLoad = (id: string, overrides: Partial<Schemas['TokenLoad']> = {}): Schemas['TokenLoad'] => ({
  id,
  meter_number: '04312000000',
  token: '****************7890',
  status: 'accepted',
  detail: 'accepted',
  credit_wh: 96772,
  job: id,
  requested_by: 'operator',
  requested_at: stamp,
  finished_at: stamp,
  ...overrides,
});

export const unregisteredDevice = (
  address: string,
  overrides: Partial<Schemas['UnregisteredDevice']> = {},
): Schemas['UnregisteredDevice'] => ({
  address,
  peer: '10.0.0.9:51234',
  first_seen: stamp,
  last_seen: stamp,
  frames: 12,
  ...overrides,
});
