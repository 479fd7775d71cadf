import * as tf from '@tensorflow/tfjs';
import { NegativeKLError } from '../errors/negative-kl-error.js';
import { ShapeError } from '../errors/shape-error.js';
import type { KLRuleResult } from './kl-types.js';
import { describeKind } from '../config/describe-kind.js';

/** What a rule must return, for messages. */
const CONTRACT = 'a KL rule returns { total: a tf.Tensor of shape [B] (nats per row), perDim: a tf.Tensor of shape [B, K] or null }';

/**
 * Check what a KL rule returned against its contract, before anything reads it: `total` a tensor of shape [B],
 * `perDim` null, absent or [B, K] (B = the larger batch of p and q, K their event size). A `total` of [B, K] (a sum
 * left out) would otherwise be averaged into a rate of the wrong size without an error. No values are read.
 * @param rule - the rule's pair, `P‖Q`, for messages
 * @param r - what the rule returned
 * @param batch - B
 * @param eventSize - K
 * @returns r, checked
 * @throws {@link ShapeError} naming the rule, what it returned and what it must return
 */
export function checkRuleResult(rule: string, r: unknown, batch: number, eventSize: number): KLRuleResult {
  const got = r as { total?: unknown; perDim?: unknown } | null | undefined;
  const fail = (what: string): never => {
    throw new ShapeError(`the KL rule ${rule} returned ${what}: ${CONTRACT}`, { details: { rule, batch, eventSize } });
  };
  if (got === null || typeof got !== 'object' || got instanceof tf.Tensor) return fail(describeKind(got));
  if (!(got.total instanceof tf.Tensor)) return fail(`total = ${describeKind(got.total)}`);
  if (!tf.util.arraysEqual(got.total.shape, [batch])) return fail(`total = ${describeKind(got.total)} for B = ${batch}${got.total.rank === 2 ? ' (a sum over the K dimensions left out?)' : ''}`);
  if (got.perDim !== null && got.perDim !== undefined) {
    if (!(got.perDim instanceof tf.Tensor)) return fail(`perDim = ${describeKind(got.perDim)}`);
    if (!tf.util.arraysEqual(got.perDim.shape, [batch, eventSize])) return fail(`perDim = ${describeKind(got.perDim)} for B = ${batch}, K = ${eventSize}`);
  }
  return got as KLRuleResult;
}

/**
 * The most negative a closed-form KL row may be: float32 rounding of a sum of K terms near 0, log-determinants
 * included (10⁻³ nats, plus 10⁻⁵ a dimension).
 * @param eventSize - K
 * @returns the slack in nats
 */
export function closedFormSlack(eventSize: number): number {
  return 1e-3 + 1e-5 * eventSize;
}

/**
 * Throw if a rule's KL is below 0 in some row by more than float32 rounding explains: a KL is never negative, so the
 * rule (a sign, a term, the order of p and q) is wrong.
 * @param pName - p's type name
 * @param qName - q's type name
 * @param rule - the rule's pair
 * @param values - the rule's total per row
 * @param eventSize - K
 * @throws {@link NegativeKLError} naming the rule, the row and its value
 */
export function expectNonNegativeRule(pName: string, qName: string, rule: string, values: ArrayLike<number>, eventSize: number): void {
  const slack = closedFormSlack(eventSize);
  for (let b = 0; b < values.length; b++) {
    const v = values[b] ?? 0;
    if (v < -slack) {
      throw new NegativeKLError(
        `KL(${pName} ‖ ${qName}) from the rule registered for ${rule} is ${v.toPrecision(5)} nats in batch row ${b}: a KL is never negative ` +
          `(float32 rounding explains at most −${slack.toPrecision(2)}), so the rule is wrong: check its signs, its terms and the order of p and q`,
        { details: { p: pName, q: qName, rule, row: b, nats: v, boundNats: slack } },
      );
    }
  }
}
