import { alemiFig1 } from './alemi-fig1.js';
import { alemiFig2 } from './alemi-fig2.js';
import { alemiRobustness } from './alemi-robustness.js';
import { alemiTable1 } from './alemi-table1.js';
import { alemiUncertainty } from './alemi-uncertainty.js';
import { saxeRelu, tishbyInfoplane } from './infoplane-repro.js';
import type { Reproduction } from './reproduction.js';

/** Every reproduction `vib reproduce` knows, by name. */
export const REPRODUCTIONS: Readonly<Record<string, Reproduction>> = Object.fromEntries(
  [alemiTable1, alemiFig1, alemiFig2, alemiRobustness, alemiUncertainty, tishbyInfoplane, saxeRelu].map((r) => [r.name, r]),
);
