/** Standard places of the Vulkan loader on Linux distributions. */
const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib64', '/lib/x86_64-linux-gnu', '/lib'];

/**
 * Whether the dynamic linker can find a Vulkan loader (`libvulkan.so.1`), which Dawn needs to reach any
 * GPU on Linux. Looks in LD_LIBRARY_PATH, the linker cache and the usual library folders, without loading it.
 * @param env - environment (default process.env)
 * @returns the path or `ld.so.cache` where it was found, or null; always `'not-linux'` elsewhere
 */
export async function findVulkanLoader(env: Record<string, string | undefined> = process.env): Promise<string | null> {
  if (process.platform !== 'linux') return 'not-linux';
  const { existsSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const dirs = [...(env['LD_LIBRARY_PATH'] ?? '').split(':').filter((d) => d !== ''), ...LIB_DIRS];
  for (const dir of dirs) {
    const file = join(dir, 'libvulkan.so.1');
    if (existsSync(file)) return file;
  }
  try {
    if (readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1')) return 'ld.so.cache';
  } catch {
    // no linker cache (some minimal images): the folders above were the answer
  }
  return null;
}
