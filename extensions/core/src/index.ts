/**
 * @devtime/core: what every DevTime client shares. An adapter creates one `DevTimeClient`, calls
 * `track()` per activity (privacy filters and git detection applied, heartbeat queued on disk) and
 * `flush()` (or runs an `Uploader`) to send the queue to the server.
 */
export * from './config.js';
export * from './privacy.js';
export * from './git.js';
export * from './heartbeat.js';
export * from './language.js';
export * from './queue.js';
export * from './sender.js';
export * from './uploader.js';
export * from './client.js';
export * from './version.js';
