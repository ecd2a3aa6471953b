// docs.test.mjs — the operator and API docs are checked against the code,
// so they cannot drift: docs/api.md's route table and role matrix are the
// code's (`fazhi routes --markdown`, `fazhi roles --markdown`); every setting (`fazhi settings` on a fresh
// store) has exactly one row in docs/operations.md with the default the
// code uses, and no row names a setting the code does not have; every
// `fazhi serve` option in `--help` has its row; every test file the docs
// name as evidence exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO, run } from './harness.mjs';

const doc = (name) => readFileSync(join(REPO, 'docs', name), 'utf8');

async function fazhi(args, env = {}) {
	const r = await run(BIN, args, { env: { ...process.env, ...env } });
	assert.equal(r.code, 0, `fazhi ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

// The text between "<!-- generated: CMD -->" and "<!-- end: CMD -->".
function generated(text, cmd) {
	const m = new RegExp(`<!-- generated: ${cmd} -->\\n([\\s\\S]*?)<!-- end: ${cmd} -->`).exec(text);
	assert.ok(m, `docs/api.md has no generated part for ${cmd}`);
	return m[1];
}

test('docs/api.md carries the route table and the role matrix as the code prints them', async () => {
	const routes = JSON.parse(await fazhi(['routes', '--json']));
	assert.ok(Array.isArray(routes) && routes.length > 30, 'the router table is read');
	const api = doc('api.md');
	assert.equal(generated(api, 'fazhi routes --markdown'), await fazhi(['routes', '--markdown']),
		'docs/api.md route table differs from `fazhi routes --markdown`: run scripts/gen-docs.sh');
	assert.equal(generated(api, 'fazhi roles --markdown'), await fazhi(['roles', '--markdown']),
		'docs/api.md role matrix differs from `fazhi roles --markdown`: run scripts/gen-docs.sh');
	for (const r of routes)
		assert.ok(api.includes(`| ${r.method} | \`${r.path}\` |`), `${r.method} ${r.path} in the table`);
	// the input schema is part of the route: every JSON body route names its fields
	for (const r of routes.filter((x) => ['POST', 'PUT', 'PATCH'].includes(x.method) && !x.flags.includes('raw')))
		assert.ok(Array.isArray(r.fields), `${r.method} ${r.path} declares its body fields`);
});

test('docs/operations.md lists every setting once, with the default the code uses', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'fazhi-docs-'));
	try {
		const db = `sqlite:${join(dir, 'd.db')}`;
		await fazhi(['init', '--db', db]);
		const code = new Map();
		for (const line of (await fazhi(['settings', '--db', db])).split('\n')) {
			const m = /^([\w.]+)\s+(-?\d+)\s/.exec(line);
			if (m) code.set(m[1], m[2]);
		}
		assert.ok(code.size >= 8, 'settings are listed');
		const rows = new Map();
		for (const m of doc('operations.md').matchAll(/^\| `([a-z_.]+)` \| (-?\d+) \|/gm)) {
			assert.ok(!rows.has(m[1]), `setting ${m[1]} has two rows in docs/operations.md`);
			rows.set(m[1], m[2]);
		}
		for (const [k, v] of code)
			assert.equal(rows.get(k), v, `docs/operations.md: setting ${k} (default ${v})`);
		for (const k of rows.keys())
			assert.ok(code.has(k), `docs/operations.md names a setting the code does not have: ${k}`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('README lists every command `fazhi --help` knows', async () => {
	const r = await run(BIN, ['--help']);
	const cmds = [...(r.stdout + r.stderr).matchAll(/^  ([a-z]+) {2,}/gm)].map((m) => m[1]);
	assert.ok(cmds.length >= 15, `commands: ${cmds}`);
	const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
	for (const c of cmds) assert.match(readme, new RegExp(`^fazhi ${c}\\b`, 'm'), `README: fazhi ${c}`);
});

test('docs/operations.md has a row for every `fazhi serve` option', async () => {
	const r = await run(BIN, ['serve', '--help']);
	const help = r.stdout + r.stderr;
	const opts = new Set([...help.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]));
	assert.ok(opts.size >= 6, 'serve options are listed');
	const ops = doc('operations.md');
	const rows = new Set([...ops.matchAll(/^\| `(--[a-z-]+)[ `]/gm)].map((m) => m[1]));
	assert.deepEqual([...opts].filter((o) => !rows.has(o)), [], 'serve options missing from docs/operations.md');
	assert.deepEqual([...rows].filter((o) => !opts.has(o)), [], 'docs/operations.md rows for options serve does not have');
});

test('every test file the docs cite as evidence exists', () => {
	const texts = readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => doc(f));
	texts.push(readFileSync(join(REPO, 'README.md'), 'utf8'));
	const cited = new Set();
	for (const t of texts)
		for (const m of t.matchAll(/\btests\/[\w./-]+\.(?:c|mjs|sh)\b/g))
			cited.add(m[0]);
	assert.ok(cited.size > 5, 'the docs cite tests');
	assert.deepEqual([...cited].filter((p) => !existsSync(join(REPO, p))), [], 'cited test files that do not exist');
});
