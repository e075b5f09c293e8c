/** Number formatting shared by the summary, the progress line and the explanations. */

/** A whole number with thousands separators: 12345.6 -> "12,346". */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
