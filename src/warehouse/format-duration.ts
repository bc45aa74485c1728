/**
 * A duration in microseconds as MySQL prints a TIME: '[-]HH:MM:SS[.ffffff]', hours at least
 * two digits and possibly more than 24, fraction without trailing zeros (like timestamps).
 */
export function formatDuration(micros: bigint): string {
  const negative = micros < 0n;
  let rest = negative ? -micros : micros;
  const fraction = rest % 1_000_000n;
  rest /= 1_000_000n;
  const seconds = rest % 60n;
  rest /= 60n;
  const minutes = rest % 60n;
  const hours = rest / 60n;
  const two = (n: bigint) => n.toString().padStart(2, "0");
  const frac = fraction === 0n ? "" : "." + fraction.toString().padStart(6, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${two(hours)}:${two(minutes)}:${two(seconds)}${frac}`;
}
