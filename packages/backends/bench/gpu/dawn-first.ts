// The first module of pack.sh's bundles: gives Node a `navigator.gpu` from Dawn (npm `webgpu`, left outside the
// bundle for its dawn.node) before @tensorflow/tfjs-backend-webgpu is evaluated, since that package registers its
// backend at import only where navigator.gpu already exists. Unbundled, @vib/backends' webgpu plugin does the same
// in its probe and imports the package after it; a bundle has the package inside it, evaluated at start. The probe
// then finds this navigator.gpu and uses it.
import { create, globals } from 'webgpu';

const g = globalThis as Record<string, unknown>;
for (const [name, value] of Object.entries(globals as Record<string, unknown>)) if (!(name in g)) g[name] = value;
Object.defineProperty(g, 'navigator', { value: { gpu: create([]) }, configurable: true, writable: true });
