/**
 * JSON as every part of the project receives it: parsed, untrusted, `unknown` until looked into. The
 * guards here are the one way to look; a part that needs to know whether a value is an object asks
 * `isJsonObject`, never its own copy of the test.
 */

/** A JSON object: any keys (hostile ones such as `__proto__` included), any values. */
export type JsonObject = Record<string, unknown>;

/** An object, not an array and not null: what `{...}` parses to. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a string, otherwise undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The objects of an array (anything else in it skipped); an empty list when it is not an array. */
export function objectsOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/**
 * A copy of a JSON value with the keys of every object in sorted order (arrays keep theirs): two values
 * with the same content serialise the same. Keys are own data properties (a `__proto__` key stays one).
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

/**
 * The string as V8 keeps property names (internalized). A key built by concatenation (`_${name}`,
 * `value${Type}`) is looked up in the string table on every property read with it; one made by this is
 * read as fast as a literal. For keys computed once and read many times (the validator's, per element).
 */
export function asPropertyName(text: string): string {
  return Object.keys({ [text]: true })[0]!;
}
