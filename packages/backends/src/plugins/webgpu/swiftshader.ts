/** Folders where a Linux distribution's Chromium keeps SwiftShader's Vulkan driver and its own Vulkan loader. */
export const SWIFTSHADER_DIRS: readonly string[] = ['/usr/lib/chromium', '/usr/lib/chromium-browser'];

/** SwiftShader (a CPU implementation of Vulkan) as Chromium ships it: enough for Dawn to offer a software adapter. */
export interface SwiftShaderRecipe {
  /** The folder holding `libvk_swiftshader.so`, `vk_swiftshader_icd.json` and `libvulkan.so.1`. */
  readonly dir: string;
  /** The driver manifest: the value of `VK_ICD_FILENAMES`. */
  readonly icd: string;
  /** Chromium's Vulkan loader, `libvulkan.so.1` in `dir`. */
  readonly loader: string;
  /**
   * The environment to start a process with: `LD_LIBRARY_PATH` (the loader's folder first) and
   * `VK_ICD_FILENAMES`. The dynamic linker reads `LD_LIBRARY_PATH` only at process start.
   */
  readonly env: Readonly<Record<'LD_LIBRARY_PATH' | 'VK_ICD_FILENAMES', string>>;
}

/**
 * Find SwiftShader's Vulkan driver where Debian's `chromium-common` installs it (Node, Linux).
 * @param dirs - folders to look in, first match wins
 * @param env - environment whose LD_LIBRARY_PATH the recipe extends (default process.env)
 * @returns the recipe, or null when no folder has all three files
 * @example
 * ```ts
 * const recipe = await findSwiftShader();
 * if (recipe) spawn(process.execPath, ['train.js'], { env: { ...process.env, ...recipe.env } });
 * ```
 */
export async function findSwiftShader(
  dirs: readonly string[] = SWIFTSHADER_DIRS,
  env: Record<string, string | undefined> = process.env,
): Promise<SwiftShaderRecipe | null> {
  if (process.platform !== 'linux') return null;
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  for (const dir of dirs) {
    const icd = join(dir, 'vk_swiftshader_icd.json');
    const loader = join(dir, 'libvulkan.so.1');
    if (existsSync(icd) && existsSync(loader) && existsSync(join(dir, 'libvk_swiftshader.so'))) {
      const ld = [dir, ...(env['LD_LIBRARY_PATH'] ?? '').split(':').filter((d) => d !== '' && d !== dir)].join(':');
      return { dir, icd, loader, env: { LD_LIBRARY_PATH: ld, VK_ICD_FILENAMES: icd } };
    }
  }
  return null;
}

/** glibc's RTLD_NODELETE (Node's os.constants.dlopen does not list it). */
const RTLD_NOW_NODELETE = 0x2 | 0x1000;

/**
 * Apply the recipe inside this process, before Dawn starts: set `VK_ICD_FILENAMES` and load Chromium's
 * `libvulkan.so.1` by its path, kept resident, so that Dawn's later `dlopen("libvulkan.so.1")` finds it
 * by its soname (the same effect as `LD_LIBRARY_PATH`, which cannot change after start).
 * What `VIB_WEBGPU_SWIFTSHADER=1` does.
 * @param recipe - from {@link findSwiftShader}
 */
export function applySwiftShaderInProcess(recipe: SwiftShaderRecipe): void {
  process.env['VK_ICD_FILENAMES'] = recipe.icd;
  try {
    process.dlopen({ exports: {} }, recipe.loader, RTLD_NOW_NODELETE);
  } catch (error) {
    // A plain shared library "did not self-register" as a Node addon; it is loaded all the same.
    if (!/did not self-register/.test(error instanceof Error ? error.message : String(error))) throw error;
  }
}
