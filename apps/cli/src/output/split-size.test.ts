import { describe, expect, it } from 'vitest';
import { examples, fewTestNote } from './split-size.js';

describe('split sizes', () => {
  it('counts with a thousands separator and the singular for one', () => {
    expect([examples(10000, 'test'), examples(1, 'test'), examples(0, 'training')]).toEqual(['10,000 test examples', '1 test example', '0 training examples']);
  });

  it('gives a classifier the step of its accuracy, and a reconstruction run no accuracy at all', () => {
    expect(fewTestNote(40)).toMatch(/^the test split holds only 40 examples: an accuracy on it moves in steps of 2\.5 points, and every test figure is a mean over those 40\. Hold out more: /);
    expect(fewTestNote(40, false)).toMatch(/^the test split holds only 40 examples: every test figure is a mean over those 40\. Hold out more: /);
  });
});
