/**
 * Enough of UCUM (unitsofmeasure.org) to compare two quantities written in different units: metric
 * atoms with their prefixes (mg, kL, ms), the common customary and time atoms, products, quotients and
 * integer exponents (mg/dL, kg.m-2, /min), and annotations in braces (which count as 1). A unit outside
 * this subset is "unknown": the caller cannot compare, and says so, rather than guess.
 */

/** Exponents of the base dimensions: length, mass, time, amount, temperature, current, luminosity. */
type Dimension = readonly [number, number, number, number, number, number, number];

interface Unit {
  /** The factor to the base units (metre, gram, second, mole, kelvin, ampere, candela). */
  factor: number;
  dimension: Dimension;
}

const NONE: Dimension = [0, 0, 0, 0, 0, 0, 0];
const dim = (index: number, power = 1): Dimension =>
  NONE.map((value, i) => (i === index ? power : value)) as unknown as Dimension;
const LENGTH = 0;
const MASS = 1;
const TIME = 2;

/** Atoms that take metric prefixes. */
const METRIC: Record<string, Unit> = {
  m: { factor: 1, dimension: dim(LENGTH) },
  g: { factor: 1, dimension: dim(MASS) },
  s: { factor: 1, dimension: dim(TIME) },
  mol: { factor: 1, dimension: dim(3) },
  K: { factor: 1, dimension: dim(4) },
  A: { factor: 1, dimension: dim(5) },
  cd: { factor: 1, dimension: dim(6) },
  L: { factor: 1e-3, dimension: dim(LENGTH, 3) },
  l: { factor: 1e-3, dimension: dim(LENGTH, 3) },
  Pa: { factor: 1000, dimension: [-1, 1, -2, 0, 0, 0, 0] },
  J: { factor: 1000, dimension: [2, 1, -2, 0, 0, 0, 0] },
  cal: { factor: 4184, dimension: [2, 1, -2, 0, 0, 0, 0] },
  eq: { factor: 1, dimension: dim(3) },
};

/** Atoms that take no prefix. */
const PLAIN: Record<string, Unit> = {
  min: { factor: 60, dimension: dim(TIME) },
  h: { factor: 3600, dimension: dim(TIME) },
  d: { factor: 86_400, dimension: dim(TIME) },
  wk: { factor: 604_800, dimension: dim(TIME) },
  mo: { factor: 2_629_800, dimension: dim(TIME) },
  a: { factor: 31_557_600, dimension: dim(TIME) },
  '[lb_av]': { factor: 453.59237, dimension: dim(MASS) },
  '[oz_av]': { factor: 28.349523125, dimension: dim(MASS) },
  '[in_i]': { factor: 0.0254, dimension: dim(LENGTH) },
  '[ft_i]': { factor: 0.3048, dimension: dim(LENGTH) },
  'mm[Hg]': { factor: 133_322.387415, dimension: [-1, 1, -2, 0, 0, 0, 0] },
  '%': { factor: 0.01, dimension: NONE },
  '1': { factor: 1, dimension: NONE },
};

const PREFIXES: Record<string, number> = {
  Y: 1e24,
  Z: 1e21,
  E: 1e18,
  P: 1e15,
  T: 1e12,
  G: 1e9,
  M: 1e6,
  k: 1e3,
  h: 1e2,
  da: 1e1,
  d: 1e-1,
  c: 1e-2,
  m: 1e-3,
  u: 1e-6,
  n: 1e-9,
  p: 1e-12,
  f: 1e-15,
  a: 1e-18,
  z: 1e-21,
  y: 1e-24,
};

function atom(text: string): Unit | undefined {
  const plain = PLAIN[text] ?? METRIC[text];
  if (plain) return plain;
  for (const [prefix, factor] of Object.entries(PREFIXES)) {
    if (!text.startsWith(prefix)) continue;
    const base = METRIC[text.slice(prefix.length)];
    if (base) return { factor: base.factor * factor, dimension: base.dimension };
  }
  return undefined;
}

/** A term with an optional integer exponent: `m2`, `s-1`, `10*3` is not in this subset. */
function term(text: string): Unit | undefined {
  const withoutAnnotation = text.replace(/\{[^{}]*\}/g, '');
  if (withoutAnnotation === '') return PLAIN['1'];
  const match = /^(.*?[^0-9-+])([-+]?[0-9]+)?$/.exec(withoutAnnotation);
  if (!match) return withoutAnnotation === '1' ? PLAIN['1'] : undefined;
  const unit = atom(match[1] as string);
  if (!unit) return undefined;
  const power = match[2] === undefined ? 1 : Number(match[2]);
  return {
    factor: unit.factor ** power,
    dimension: unit.dimension.map((d) => d * power) as unknown as Dimension,
  };
}

/** A UCUM expression read as a factor and a dimension, or undefined outside the subset. */
export function parseUcum(code: string): Unit | undefined {
  if (code === '' || /\s/.test(code) || code.includes('(')) return undefined;
  let factor = 1;
  const dimension = [...NONE];
  // A leading '/' divides one: `/min`.
  const tokens = code.startsWith('/') ? ['1', ...code.split(/(?=[./])/)] : code.split(/(?=[./])/);
  for (const token of tokens) {
    const dividing = token.startsWith('/');
    const text = token.startsWith('/') || token.startsWith('.') ? token.slice(1) : token;
    const unit = term(text);
    if (!unit) return undefined;
    factor = dividing ? factor / unit.factor : factor * unit.factor;
    unit.dimension.forEach((d, i) => (dimension[i] = (dimension[i] as number) + (dividing ? -d : d)));
  }
  return { factor, dimension: dimension as unknown as Dimension };
}

/** A value in unit `from`, expressed in unit `to`; 'incompatible' across dimensions, 'unknown' outside the subset. */
export function convertUcum(value: number, from: string, to: string): number | 'incompatible' | 'unknown' {
  const source = parseUcum(from);
  const target = parseUcum(to);
  if (!source || !target) return 'unknown';
  if (source.dimension.some((d, i) => d !== target.dimension[i])) return 'incompatible';
  return (value * source.factor) / target.factor;
}
