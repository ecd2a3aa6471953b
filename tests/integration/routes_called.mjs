// routes_called.mjs — after the whole integration suite: every route of
// `fazhi routes --json` was handled at least once (run.sh gave the servers
// FAZHI_ROUTE_LOG, where each handled request appends "METHOD pattern").
// A route no test calls fails the run, listed by name.
//
//   node routes_called.mjs BIN LOGFILE
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [bin, log] = process.argv.slice(2);
const routes = JSON.parse(execFileSync(bin, ['routes', '--json'], { encoding: 'utf8' }));
const hit = new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean));
const never = routes.map((r) => `${r.method} ${r.path}`).filter((k) => !hit.has(k));
if (never.length) {
	console.error(`# routes no integration test called (${never.length}):\n${never.map((k) => `#   ${k}`).join('\n')}`);
	process.exit(1);
}
console.log(`# every route was called (${routes.length} routes, ${hit.size} seen)`);
