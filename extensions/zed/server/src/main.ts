/** Entry point: `node devtime-ls.js --stdio` (how the Zed extension starts it). */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
