/** Quoting user input in error messages without echoing megabytes of it (issue 19: a 149 KB cell filled the terminal). */

/** Longest piece of user input a message quotes; beyond it, an ellipsis and the total length. */
export const QUOTE_MAX_CHARS = 200;

/** Quotes user input for an error message, cut at QUOTE_MAX_CHARS with an ellipsis and the input's length. */
export function quoteInput(text: string): string {
  return text.length <= QUOTE_MAX_CHARS ? `"${text}"` : `"${text.slice(0, QUOTE_MAX_CHARS)}…" (${text.length.toLocaleString('en-US')} chars)`;
}
