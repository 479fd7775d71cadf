/** The backends the page offers; `auto` picks the fastest by a measured probe. */
export const BROWSER_BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** A browser backend choice. */
export type BrowserBackendName = (typeof BROWSER_BACKENDS)[number];
