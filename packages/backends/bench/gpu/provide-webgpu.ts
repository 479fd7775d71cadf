// The first module of pack.sh's bundles: hands the bundled @tensorflow/tfjs-backend-webgpu to @vib/backends, as any
// bundled Node app does. The bundle evaluates the package at its start, before Dawn's navigator.gpu exists, so the
// package registers no backend then; the webgpu plugin's setup registers it once its probe has installed Dawn.
import * as webgpu from '@tensorflow/tfjs-backend-webgpu';
import { provideWebGpuPackage } from '../../src/index.js';

provideWebGpuPackage(webgpu);
