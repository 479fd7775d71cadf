/** The backends the page offers, fastest first. */
export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** A browser backend name. */
export type BrowserBackendName = (typeof BROWSER_BACKENDS)[number];
