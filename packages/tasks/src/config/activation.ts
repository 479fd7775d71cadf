import { z } from 'zod';

/** Activation of hidden Dense layers (encoder and decoders). */
export const activationSchema = z.enum(['relu', 'tanh', 'elu', 'sigmoid']);

/** Hidden layer sizes of an MLP. */
export const hiddenSizesSchema = z.array(z.number().int().min(1));
