/**
 * @devtime/cli as a library: the AI-tool history readers and the background flusher that the Claude
 * Code and Codex adapters share with the `devtime` command.
 */
export * from './claude-usage.js';
export * from './codex-usage.js';
export * from './transcripts.js';
export * from './background.js';
export * from './history.js';
export * from './json.js';
export * from './lines.js';
export * from './installed.js';
