export { fileSystemIO, type FileSystemIOOptions } from './io/file-system-io.js';
