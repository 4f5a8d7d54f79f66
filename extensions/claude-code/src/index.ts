export * from './payload.js';
export * from './handle.js';
export { addHooks, removeHooks, hookCommand, MARKER } from './install.js';
