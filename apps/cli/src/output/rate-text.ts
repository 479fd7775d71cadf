/**
 * The rate for people: `rate 3.21 bits`, marked when it is a Monte Carlo estimate rather than a
 * closed-form KL (then it is no longer a guaranteed upper bound on I(X;Z)).
 * @param bits - the rate in bits
 * @param exact - whether it is a closed form
 * @returns the phrase
 */
export function rateText(bits: number, exact: boolean): string {
  return `rate ${bits.toFixed(2)} bits${exact ? '' : ' (Monte Carlo estimate, not a bound)'}`;
}
