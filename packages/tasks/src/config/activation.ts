import { z } from 'zod';
import { MAX_LAYER_WIDTH } from '../limits.js';

/** Activation of hidden Dense layers (encoder and decoders). */
export const activationSchema = z.enum(['relu', 'tanh', 'elu', 'sigmoid']);

/** Hidden layer sizes of an MLP, each 1..{@link MAX_LAYER_WIDTH}. */
export const hiddenSizesSchema = z.array(z.number().int().min(1).max(MAX_LAYER_WIDTH));
