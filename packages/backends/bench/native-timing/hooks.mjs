// Module hooks for `bench/profile-step.ts … parts`: the `@vib/native-blas` that @vib/backends imports resolves to
// timed-native-blas.mjs, which times every call of the addon's functions. Only that wrapper gets the real module.
const wrapper = new URL('./timed-native-blas.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === '@vib/native-blas' && context.parentURL !== wrapper) return { url: wrapper, shortCircuit: true };
  return nextResolve(specifier, context);
}
