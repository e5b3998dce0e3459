/** The UCUM subset quantity limits compare with: prefixes, customary and time atoms, products and quotients. */
import { describe, expect, it } from 'vitest';
import { convertUcum, parseUcum } from '../../harness/validator/ucum.js';

describe('UCUM conversion', () => {
  it('converts within a dimension, through prefixes and plain atoms', () => {
    expect(convertUcum(2500, 'mg', 'g')).toBeCloseTo(2.5);
    expect(convertUcum(1, 'kg', 'g')).toBeCloseTo(1000);
    expect(convertUcum(90, 'min', 'h')).toBeCloseTo(1.5);
    expect(convertUcum(1, 'a', 'd')).toBeCloseTo(365.25);
    expect(convertUcum(1, '[lb_av]', 'kg')).toBeCloseTo(0.45359237);
    expect(convertUcum(100, 'mg/dL', 'g/L')).toBeCloseTo(1);
    expect(convertUcum(60, '/min', '/s')).toBeCloseTo(1);
    expect(convertUcum(1, 'L', 'mL')).toBeCloseTo(1000);
    expect(convertUcum(5, 'mmol{total}/L', 'umol/mL')).toBeCloseTo(5);
    expect(convertUcum(25, 'kg/m2', 'kg.m-2')).toBeCloseTo(25);
  });

  it('refuses across dimensions, and says unknown outside its subset', () => {
    expect(convertUcum(3, 'mL', 'g')).toBe('incompatible');
    expect(convertUcum(1, 's', 'm')).toBe('incompatible');
    expect(convertUcum(1, '10*3/uL', '10*9/L')).toBe('unknown');
    expect(convertUcum(1, 'Cel', '[degF]')).toBe('unknown');
    expect(parseUcum('')).toBeUndefined();
    expect(parseUcum('m g')).toBeUndefined();
  });
});
