// audit_labels.mjs — after the whole integration suite: every key of every
// audit detail the tests made has a Chinese label in the audit viewer
// (`fazhi audit labels`); the field names under "changes" are a
// register's fields, labelled by its definition. A key without a label
// fails the run, named with an entity it was seen on.
//
//   node audit_labels.mjs BIN DETAILS_FILE
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [bin, file] = process.argv.slice(2);
const labels = JSON.parse(execFileSync(bin, ['audit', 'labels'], { encoding: 'utf8' }));
const missing = new Map(); // key → an entity it was seen on
let entries = 0;
const walk = (entity, o) => {
	if (Array.isArray(o)) return o.forEach((x) => walk(entity, x));
	if (!o || typeof o !== 'object') return;
	for (const [k, v] of Object.entries(o)) {
		if (!(k in labels) && !missing.has(k)) missing.set(k, entity);
		if (k !== 'changes') walk(entity, v);
	}
};
for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
	const tab = line.indexOf('\t');
	let detail;
	try {
		detail = JSON.parse(line.slice(tab + 1));
	} catch {
		continue; // a row a test wrote by hand to break the chain
	}
	entries++;
	walk(line.slice(0, tab), detail);
}
if (missing.size) {
	console.error(`# audit detail keys without a Chinese label (${missing.size}):\n${[...missing].map(([k, e]) => `#   ${k} (on ${e})`).join('\n')}`);
	process.exit(1);
}
console.log(`# every audit detail key has a Chinese label (${entries} distinct details)`);
