/** ln 2: nats per bit. */
export const NATS_PER_BIT = Math.LN2;

/**
 * Convert nats to bits.
 * @param nats - an amount of information in nats
 * @returns the same amount in bits
 */
export function natsToBits(nats: number): number {
  return nats / NATS_PER_BIT;
}

/**
 * Convert bits to nats.
 * @param bits - an amount of information in bits
 * @returns the same amount in nats
 */
export function bitsToNats(bits: number): number {
  return bits * NATS_PER_BIT;
}

/** An amount of information reported in both units. */
export interface Information {
  /** The amount in nats (natural-log units), the unit every computation uses. */
  readonly nats: number;
  /** The same amount in bits: `nats / ln 2`. */
  readonly bits: number;
}

/**
 * Make an {@link Information} record from nats.
 * @param nats - amount in nats
 * @returns `{ nats, bits }`
 * @example
 * ```ts
 * import { information } from '@vib/core';
 * information(Math.LN2).bits; // 1
 * ```
 */
export function information(nats: number): Information {
  return { nats, bits: natsToBits(nats) };
}
