import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { aleaJump, aleaLanes, aleaState, polarFill, polarSpan, type AleaState } from './alea.js';

/** One Alea step at a time, the reference for the jump. */
function stepped(state: AleaState, steps: number): AleaState {
  let [c, s0, s1, s2] = state;
  for (let i = 0; i < steps; i++) {
    const t = 2091639 * s0 + c * 2.3283064365386963e-10;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    s2 = t - c;
  }
  return [c, s0, s1, s2];
}

describe('Alea jump-ahead and the polar method in spans', () => {
  it.each([0, 1, 2, 3, 4, 1000, 65_537, 1_000_003])('jumping %i steps lands on the state stepping reaches', (steps) => {
    for (const seed of ['7', '0.5', '987654321.25']) expect(aleaJump(aleaState(seed), steps)).toEqual(stepped(aleaState(seed), steps));
  });

  it.each([0, 2, 1000, 65_538])('lanes of stride %i start where stepping 0, 1, 2, … strides reaches', (stride) => {
    for (const seed of ['7', '987654321.25']) {
      const lanes = aleaLanes(aleaState(seed), 5, stride);
      expect(lanes).toHaveLength(5);
      lanes.forEach((lane, i) => expect(lane).toEqual(stepped(aleaState(seed), i * stride)));
    }
    // again, from the cached multiplier, from another state
    expect(aleaLanes(aleaState('1'), 3, stride)[2]).toEqual(stepped(aleaState('1'), 2 * stride));
    expect(() => aleaLanes(aleaState('1'), 2, -2)).toThrow(/stride must be a non-negative integer, got -2/);
  });

  it('refuses a negative or fractional jump', () => {
    expect(() => aleaJump(aleaState('1'), -1)).toThrow(/non-negative integer, got -1/);
    expect(() => aleaJump(aleaState('1'), 2.5)).toThrow(/got 2.5/);
  });

  it('spans of the stream, cut at even positions and joined, are the numbers of one polar draw and of tf.randomNormal', () => {
    tf.setBackend('cpu');
    const seed = 12345;
    const cuts = [0, 20_000, 20_002, 61_440, 100_000];
    const parts: number[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const from = cuts[i] as number;
      const span = (cuts[i + 1] as number) - from;
      const out = new Float32Array(span);
      const pairs = polarSpan(out, aleaJump(aleaState(String(seed)), from), span, 0, 1);
      // about π/4 of the candidate pairs are accepted
      expect(Math.abs(pairs / (span / 2) - Math.PI / 4)).toBeLessThan(span > 100 ? 0.03 : 1);
      parts.push(...out.subarray(0, 2 * pairs));
    }
    const whole = new Float32Array(parts.length);
    polarFill(whole, aleaState(String(seed)), 0, 1);
    expect(Float32Array.from(parts)).toEqual(whole);
    const want = tf.tidy(() => tf.randomNormal([parts.length], 0, 1, 'float32', seed).dataSync());
    expect(whole).toEqual(want);
  });

  it('a span advances the state by exactly its length', () => {
    const state = aleaState('3');
    polarSpan(new Float32Array(5000), state, 5000, 0, 1);
    expect(state).toEqual(stepped(aleaState('3'), 5000));
  });
});
