// docs.test.mjs — the operator and API docs are checked against the code,
// so they cannot drift: every route the router serves (`fazhi routes
// --json`) is in docs/api.md; every setting (`fazhi settings` on a fresh
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

test('every route is documented in docs/api.md', async () => {
	const { routes } = JSON.parse(await fazhi(['routes', '--json']));
	assert.ok(routes.length > 30, 'the router table is read');
	const api = doc('api.md');
	const missing = routes.filter((r) => !api.includes(r.pattern)).map((r) => `${r.method} ${r.pattern}`);
	assert.deepEqual(missing, [], 'routes missing from docs/api.md');
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
