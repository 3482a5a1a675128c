import type { components } from '@/lib/api/schema';
import { fetchFake, json, page } from '@/testing/fetch-fake';
import { cosemObject, deviceProfile, meter, meterStatus } from '@/testing/fixtures';

export const METER = '04312000000';

/** A small default profile: readable, writable and executable objects of several data types. */
export const objects = [
  cosemObject('0.0.1.0.0.255', { class_id: 8, name: 'Meter clock', group: 'Clock', access: 'RW', data_type: 'date-time' }),
  cosemObject('1.0.1.8.0.255', {
    name: 'Active energy import (+A) total',
    group: 'Energy',
    unit: 'Wh',
    scaler: 1,
    data_type: 'double-long-unsigned',
  }),
  cosemObject('1.0.32.7.0.255', {
    name: 'Voltage L1',
    group: 'Instantaneous',
    unit: 'V',
    scaler: 0.1,
    data_type: 'long-unsigned',
  }),
  cosemObject('1.0.31.7.0.255', {
    name: 'Current L1',
    group: 'Instantaneous',
    unit: 'A',
    scaler: 0.01,
    data_type: 'long-unsigned',
  }),
  cosemObject('1.0.0.8.0.255', {
    name: 'Demand period',
    group: 'Demand',
    unit: 'min',
    scaler: 0.5,
    access: 'RW',
    data_type: 'long-unsigned',
  }),
  cosemObject('0.0.42.0.0.255', { name: 'Logical device name', group: 'Nameplate', access: 'W', data_type: 'octet-string' }),
  cosemObject('0.0.96.3.10.255', { class_id: 70, name: 'Relay output state', group: 'Relay', data_type: 'boolean' }),
  cosemObject('0.0.96.3.10.255', {
    class_id: 70,
    kind: 'method',
    index: 1,
    name: 'Remote disconnect',
    group: 'Relay',
    access: 'X',
    data_type: 'integer',
  }),
];

export const defaultProfile = deviceProfile('p-0', {
  brand: 'HES Core',
  model: 'Simulated',
  is_default: true,
  objects,
});

/** The answers every single-meter page asks for when `METER` is chosen. */
export function fakeMeter(
  overrides: { online?: boolean; relay_state?: string | null; status?: Partial<components['schemas']['MeterStatus']> } = {},
) {
  const online = overrides.online ?? true;
  const record = meter(METER, {
    online,
    last_seen: '2025-01-15T09:59:30Z',
    customer_name: 'Chukwuemeka Okafor',
    sim_number: '8923401000000000000',
    status: 'installed',
  });
  fetchFake.on('GET', '/meters', () => page([record, meter('04312039595', { customer_name: 'Ibrahim Musa' })]));
  fetchFake.on('GET', `/meters/${METER}`, () => json(record));
  fetchFake.on('GET', `/meters/${METER}/status`, () =>
    json(meterStatus(METER, { online, relay_state: overrides.relay_state ?? null, ...overrides.status })),
  );
  fetchFake.on('GET', `/meters/${METER}/readings`, () =>
    json({
      meter_number: METER,
      from: '2025-01-14',
      to: '2025-01-15',
      latest_at: '2025-01-15T09:59:30Z',
      latest: [{ obis: '1.0.32.7.0.255', value: 229.8, unit: 'V' }],
      series: [],
    }),
  );
  fetchFake.on('GET', '/device-profiles', () => page([defaultProfile]));
  return record;
}

/** Answers `GET /jobs/{id}` with `answers` in turn (the last one from then on), as a polled job would. */
export function fakeJobPolls(id: string, ...answers: unknown[]) {
  let call = 0;
  fetchFake.on('GET', `/jobs/${id}`, () => json(answers[Math.min(call++, answers.length - 1)]));
}
