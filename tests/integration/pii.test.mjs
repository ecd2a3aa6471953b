// pii.test.mjs — natural persons' ID numbers: masked in lists and exports,
// in full only in the detail for roles that work with subjects (and that
// read is audited), never stored in clear.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { PG, expectError, fixtureRecords, freshIdNumber, run, setup, unzip } from './harness.mjs';

let env, coord, evaluator, reviewer, a;
const persons = fixtureRecords().filter((r) => r.type === 'subject' && r.kind === 'person');
const masked = (idn) => `${idn.slice(0, 6)}********${idn.slice(-4)}`;
let created; // an ID number written through the API

before(async () => {
	env = await setup({ users: [
		{ username: 'coord', role: 'coordinator' },
		{ username: 'coord_a', role: 'coordinator', scope: '330282' },
		{ username: 'evaluator', role: 'evaluator' },
		{ username: 'reviewer', role: 'legal_reviewer' },
		{ username: 'auditor', role: 'auditor' },
	] });
	[coord, evaluator, reviewer, a] = await Promise.all(['coord', 'evaluator', 'reviewer', 'coord_a'].map((u) => env.login(u)));
	created = freshIdNumber('330282');
	const r = await env.post('/api/v1/subjects', coord, { kind: 'person', name: '赵六', id_number: created, region: '330282' });
	assert.equal(r.status, 201, r.text);
});
after(async () => { await env?.close(); });

test('lists show ID numbers masked (first 6, last 4)', async () => {
	const r = await env.get('/api/v1/subjects?kind=person&limit=200', coord);
	assert.equal(r.status, 200);
	assert.equal(r.json.total, persons.length + 1);
	for (const p of [...persons.map((x) => x.id_number), created]) {
		const item = r.json.items.find((x) => x.id_number === masked(p));
		assert.ok(item, `masked ${masked(p)} in the list`);
		assert.match(item.id_number, /^\d{6}\*{8}\d{3}[\dX]$/);
		assert.ok(!r.text.includes(p), 'no full ID number anywhere in the list');
	}
	assert.ok(r.json.items.every((x) => x.uscc === null));
});

test('the detail shows the full ID number to a coordinator, and the read is audited', async () => {
	const p = persons[0];
	const id = await env.idOf('subjects', { q: p.name, kind: 'person' }, coord);
	const r = await env.get(`/api/v1/subjects/${id}`, coord);
	assert.equal(r.status, 200);
	assert.equal(r.json.id_number, p.id_number);
	const reads = await env.audit({ action: 'read_pii', entity: 'subject', entity_id: String(id) });
	assert.ok(reads.some((e) => e.actor === 'coord'));
	assert.ok(!JSON.stringify(reads).includes(p.id_number), 'the audit entry does not hold the number');
	// A legal reviewer (PII permission) sees it too; in scope only.
	assert.equal((await env.get(`/api/v1/subjects/${id}`, reviewer)).json.id_number, p.id_number);
	assert.equal((await env.get(`/api/v1/subjects/${id}`, a)).json.id_number, p.id_number);
	const inB = persons.find((x) => x.region === '330281');
	const idB = await env.idOf('subjects', { q: inB.name, kind: 'person' }, coord);
	expectError(assert, await env.get(`/api/v1/subjects/${idB}`, a), 404, 'not_found');
});

test('roles without the PII permission see the masked form in the detail', async () => {
	const p = persons[1];
	const id = await env.idOf('subjects', { q: p.name, kind: 'person' }, coord);
	const r = await env.get(`/api/v1/subjects/${id}`, evaluator);
	assert.equal(r.status, 200);
	assert.equal(r.json.id_number, masked(p.id_number));
	assert.ok(!r.text.includes(p.id_number));
	const reads = await env.audit({ action: 'read_pii', actor: 'evaluator' });
	assert.equal(reads.length, 0, 'nothing read, nothing audited');
});

test('the .xlsx export holds masked ID numbers only', async () => {
	const r = await env.get('/api/v1/subjects?format=xlsx&kind=person', coord);
	assert.equal(r.status, 200);
	const files = unzip(r.buf);
	const xml = Object.entries(files).filter(([n]) => n.startsWith('xl/')).map(([, b]) => b.toString('utf8')).join('\n');
	assert.ok(xml.includes(masked(persons[0].id_number)), 'the export has the masked form');
	for (const p of [...persons.map((x) => x.id_number), created])
		assert.ok(!xml.includes(p), `full ${p} not in the export`);
});

test('write answers and audit entries never echo a full ID number', async () => {
	const dup = await env.post('/api/v1/subjects', coord, { kind: 'person', name: '重复', id_number: created, region: '330282' });
	expectError(assert, dup, 409, 'conflict', 'id_number');
	assert.ok(!dup.text.includes(created));
	const all = await env.audit({});
	const text = JSON.stringify(all);
	for (const p of [...persons.map((x) => x.id_number), created])
		assert.ok(!text.includes(p), `audit log free of ${p}`);
	assert.ok(!text.includes('赵六'), 'natural persons\' names are not in the audit detail either');
});

test('the store holds no ID number in clear (dump of every table)', async () => {
	const ids = [...persons.map((x) => x.id_number), created];
	const dump = PG
		? await run('pg_dump', ['--data-only', '--no-owner', env.uri])
		: await run('sqlite3', ['-cmd', '.timeout 10000', env.dbPath, '.dump']);
	assert.equal(dump.code, 0, dump.stderr);
	assert.ok(dump.stdout.includes(masked(ids[0])), 'the dump does hold the masked forms (the check can see data)');
	const hex = (s) => Buffer.from(s).toString('hex');
	for (const idn of ids) {
		assert.ok(!dump.stdout.includes(idn), `${idn} in clear in the dump`);
		assert.ok(!dump.stdout.toLowerCase().includes(hex(idn)), `${idn} as hex bytes in the dump`);
	}
});

test('the raw SQLite database file holds no 18-digit ID number', { skip: PG && 'SQLite only' }, async () => {
	// Flush the write-ahead log into the main file, then read every byte on disk.
	await env.sql('PRAGMA wal_checkpoint(TRUNCATE)');
	const files = [env.dbPath, env.dbPath + '-wal', env.dbPath + '-journal'].filter((f) => existsSync(f));
	const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
	assert.ok(bytes.length > 4096);
	assert.ok(bytes.includes(masked(persons[0].id_number)), 'the masked form is on disk (the grep can see data)');
	assert.ok(bytes.includes(Buffer.from('张三')), 'names are on disk');
	for (const idn of [...persons.map((x) => x.id_number), created]) {
		assert.equal(bytes.indexOf(idn), -1, `${idn} in clear in ${files.join(', ')}`);
		assert.equal(bytes.indexOf(Buffer.from(idn, 'utf16le')), -1, `${idn} as UTF-16`);
	}
});
