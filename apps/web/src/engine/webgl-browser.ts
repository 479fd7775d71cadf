import * as tf from '@tensorflow/tfjs';
import { webglBackend, type BackendPlugin } from '@vib/backends';

/**
 * The tfjs flag that keeps WebGL training finite. With packed unary kernels, tfjs-backend-webgl 4.22
 * computes the padding lanes of a packed texture too (a [13, 2] tensor is stored as 2×2 texels, the last
 * row's second half is padding), and on SwiftShader those lanes can hold Inf/NaN once activations grow.
 * The packed matMul of the kernel gradient zᵀ·∂logits sums over the batch in steps of two rows, so an odd
 * final batch (3,277 = 51·64 + 13 on the 12-bit task) multiplies a padding lane: 0·NaN = NaN, and the
 * decoder's kernel turns NaN after one step. Unpacked unary kernels write no padding lanes (tensors are
 * packed for matMul by tfjs' own pack program, which zero-fills them), and train at the same speed here.
 */
export const WEBGL_SAFE_FLAGS: Readonly<Record<string, boolean>> = { WEBGL_PACK_UNARY_OPERATIONS: false };

/**
 * WebGL, imported only when chosen (its own chunk; the page's `@tensorflow/tfjs` has no backends, see
 * tfjs-lean.ts), with {@link WEBGL_SAFE_FLAGS} set before it runs a kernel (its flags exist once it is imported).
 */
export const webglBrowser: BackendPlugin = {
  ...webglBackend,
  description: 'WebGL backend (browser GPU), loaded on demand',
  async setup(options) {
    if (!tf.findBackendFactory('webgl')) await import('@tensorflow/tfjs-backend-webgl');
    for (const [flag, value] of Object.entries(WEBGL_SAFE_FLAGS)) tf.env().set(flag, value);
    return { ...(await webglBackend.setup(options)), reason: '@tensorflow/tfjs-backend-webgl, loaded on demand (packed unary kernels off)' };
  },
};
