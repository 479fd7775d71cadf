/** Result of {@link optionalImport}. */
export type OptionalImport<T> = { readonly ok: true; readonly module: T } | { readonly ok: false; readonly reason: string };

/**
 * Dynamically import an optional package, turning "not installed" and load failures into a reason.
 * The specifier is kept opaque to bundlers so an absent package is not an error at build time.
 * @param specifier - package name
 * @returns the module, or why it could not be loaded
 */
export async function optionalImport<T = unknown>(specifier: string): Promise<OptionalImport<T>> {
  try {
    const module = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as T;
    return { ok: true, module };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const msg = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(msg);
    return { ok: false, reason: notFound ? `${specifier} is not installed` : `${specifier} failed to load: ${msg}` };
  }
}
