/**
 * The fields every plugin record has: a stable name (what configs and CLI flags refer to)
 * and a one-line description (what `vib` lists).
 */
export interface PluginBase {
  /** Stable name, e.g. `standard-normal`. Never derived from a class name. */
  readonly name: string;
  /** One sentence shown in listings and errors. */
  readonly description: string;
}

/**
 * Map from plugin kind to the plugin record type of that kind.
 *
 * Packages add kinds by declaration merging:
 * ```ts
 * declare module '@vib/core' { interface PluginKindMap { prior: PriorPlugin } }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PluginKindMap {}

/** A registered kind: a key of {@link PluginKindMap}, or any string for untyped third-party kinds. */
export type PluginKind = keyof PluginKindMap | (string & {});

/** The plugin record type for kind `K`. */
export type PluginOf<K extends PluginKind> = K extends keyof PluginKindMap ? PluginKindMap[K] : PluginBase;
