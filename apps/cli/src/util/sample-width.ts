import type { VibModel } from '@vib/tasks';

/**
 * The widest layer a model's sampled codes pass through: K, then each decoder layer's output (the last one is the
 * prediction). With S codes per input and a batch of B inputs, the largest sampled tensor holds S × B × this width.
 * @param vm - the model
 * @returns the width, in values per code
 */
export function widthAfterBottleneck(vm: VibModel): number {
  let width = vm.config.latentDim;
  for (const layer of vm.decoderLayers) {
    const shape = layer.outputShape;
    const dims = (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
    width = Math.max(width, dims.reduce<number>((a, d) => a * (d ?? 1), 1));
  }
  return width;
}
