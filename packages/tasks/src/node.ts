export { fileSystemIO } from './io/file-system-io.js';
