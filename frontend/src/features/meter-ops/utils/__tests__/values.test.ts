import { describe, expect, it } from 'vitest';
import { applyScaler, cosemDateTime, formatValue, parseInput } from '@/features/meter-ops/utils/values';

describe('meter values', () => {
  it('applies the profile scaler and unit to raw register values, without float noise', () => {
    expect(applyScaler(2301, 0.1)).toBe(230.1);
    expect(formatValue(2301, { unit: 'V', scaler: 0.1 })).toBe('230.1 V');
    expect(formatValue(2300, { unit: 'V', scaler: 0.1 })).toBe('230.0 V');
    expect(formatValue(958, { scaler: 0.001 })).toBe('0.958');
    expect(formatValue(6615820, { unit: 'Wh', scaler: 1 })).toBe('6,615,820 Wh');
    expect(formatValue(229.8, { unit: 'V', scaler: 0.1 }, { scaled: true })).toBe('229.8 V');
    expect(formatValue(228, { unit: 'V', scaler: 0.1 }, { scaled: true })).toBe('228.0 V');
    expect(formatValue(null, { unit: 'V' })).toBe('—');
  });

  it('names the relay states and booleans, and shows structures briefly', () => {
    const relay = { obis: '0.0.96.3.10.255', class_id: 70 };
    expect(formatValue(true, { ...relay, index: 2 })).toBe('Connected');
    expect(formatValue(false, { ...relay, index: 2 })).toBe('Disconnected');
    expect(formatValue(2, { ...relay, index: 3 })).toBe('Ready for reconnection (2)');
    expect(formatValue(true, {})).toBe('Yes');
    expect(formatValue([4, '0'], { obis: '0.0.19.40.0.255', index: 6 })).toBe('rejected: wrong format or check digit');
    expect(formatValue([[1, '0000600100ff', 2, 0], [8, '0000010000ff', 2, 0]], { data_type: 'array' })).toBe('2 entries');
    expect(formatValue([], { data_type: 'array' })).toBe('No entries');
  });

  it('decodes a COSEM date-time sent as 12 octets in hex', () => {
    expect(cosemDateTime('07ea0b1aff102e0d3d000000')).toBe('2026-11-26T16:46:13.610Z');
    // deviation −60 (local = UTC + 1 h): 10:00 local is 09:00 UTC
    expect(cosemDateTime('07ea0b1aff0a000000ffc400')).toBe('2026-11-26T09:00:00.000Z');
    expect(cosemDateTime('ffffffffffffffffff800000')).toBeNull();
    expect(cosemDateTime('not hex')).toBeNull();
  });

  it('turns what was entered into what the meter expects, by data type', () => {
    const voltage = { data_type: 'long-unsigned', scaler: 0.1, unit: 'V' };
    expect(parseInput('230.1', voltage)).toEqual({ ok: true, value: 2301 });
    expect(parseInput('-1', voltage)).toEqual({ ok: false, error: 'Enter a value between 0 and 6,553.5 V' });
    expect(parseInput('1e3', voltage)).toEqual({ ok: false, error: 'Enter a number' });
    expect(parseInput('128', { data_type: 'integer', scaler: null, unit: null })).toMatchObject({ ok: false });
    expect(parseInput('1.5', { data_type: 'float32', scaler: null, unit: null })).toEqual({ ok: true, value: 1.5 });
    expect(parseInput(true, { data_type: 'boolean', scaler: null, unit: null })).toEqual({ ok: true, value: true });
    expect(parseInput('METER-1', { data_type: 'visible-string', scaler: null, unit: null })).toEqual({ ok: true, value: 'METER-1' });
    expect(parseInput('2026-11-26T10:00:00Z', { data_type: 'date-time', scaler: null, unit: null })).toEqual({
      ok: true,
      value: '2026-11-26T10:00:00Z',
    });
    expect(parseInput('2026-11-26 10:00', { data_type: 'date-time', scaler: null, unit: null })).toMatchObject({
      ok: true,
      value: expect.stringMatching(/^2026-11-26T10:00:00[+-]\d{2}:\d{2}$/) as unknown,
    });
    expect(parseInput('x', { data_type: 'array', scaler: null, unit: null })).toMatchObject({ ok: false });
  });
});
