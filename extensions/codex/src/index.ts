export * from './handle.js';
export * from './config-edit.js';
export * from './hooks-file.js';
