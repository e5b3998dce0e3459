/** String normalisation for string search: case- and accent-insensitive (search.html#string). */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const PLAIN = /^[\x20-\x7e]*$/;

export function normaliseText(value: string): string {
  // Most values are plain ASCII: skip the Unicode decomposition for them (it is the costly part).
  if (PLAIN.test(value)) return value.toLowerCase();
  return value.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
}
