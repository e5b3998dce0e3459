/**
 * Text for values the validator did not make: thrown values and parts of hostile input may be objects
 * without a prototype, whose conversion to a string itself throws.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return 'an unprintable value';
  }
}
