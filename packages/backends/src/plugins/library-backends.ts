import type { BackendPlugin } from '../backend-plugin.js';
import { libraryBackend } from './library-backend.js';

/** Plain-JavaScript backend bundled with @tensorflow/tfjs: always available, slowest. */
export const cpuBackend: BackendPlugin = libraryBackend({
  name: 'cpu',
  description: 'Plain JavaScript backend (always available, slowest)',
  priority: 10,
  environments: ['node', 'browser'],
  tfName: 'cpu',
  specifier: null,
  installHint: '',
  tier: 'stock',
});

/** WebGL backend bundled with @tensorflow/tfjs (browsers with WebGL 1/2). */
export const webglBackend: BackendPlugin = libraryBackend({
  name: 'webgl',
  description: 'WebGL backend (browser GPU)',
  priority: 70,
  environments: ['browser'],
  tfName: 'webgl',
  specifier: null,
  installHint: '',
  tier: 'library',
  probe: async () => {
    const doc = (globalThis as { document?: { createElement(t: string): { getContext(k: string): unknown } } }).document;
    const canvas = doc?.createElement('canvas');
    return canvas && (canvas.getContext('webgl2') || canvas.getContext('webgl')) ? null : 'this browser offers no WebGL context';
  },
});

/** libtensorflow CPU backend from the optional @tensorflow/tfjs-node. */
export const tensorflowBackend: BackendPlugin = libraryBackend({
  name: 'tensorflow',
  description: 'libtensorflow CPU backend (Node; optional package @tensorflow/tfjs-node)',
  priority: 80,
  environments: ['node'],
  tfName: 'tensorflow',
  specifier: '@tensorflow/tfjs-node',
  installHint: 'it needs internet at install to download libtensorflow; see packages/backends/README.md',
  tier: 'library',
});

/** libtensorflow CUDA backend from the optional @tensorflow/tfjs-node-gpu. */
export const tensorflowGpuBackend: BackendPlugin = libraryBackend({
  name: 'tensorflow-gpu',
  description: 'libtensorflow CUDA backend (Node, Linux x64 + NVIDIA GPU; optional package @tensorflow/tfjs-node-gpu)',
  priority: 100,
  environments: ['node'],
  tfName: 'tensorflow',
  specifier: '@tensorflow/tfjs-node-gpu',
  installHint:
    'it needs internet at install to download libtensorflow, plus CUDA 11.2 and cuDNN 8.1 (see packages/backends/README.md)',
  tier: 'library',
});
