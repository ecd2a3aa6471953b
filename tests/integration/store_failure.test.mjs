// store_failure.test.mjs — a store that fails answers cleanly: 500 with a
// request id (X-Request-Id and error.request_id), the store's own message
// only in the server log, never a 404 or a 200 with a partial page; a read
// of a full ID number or an export is refused when its audit entry cannot
// be written;
// on PostgreSQL, connections killed mid-suite (pg_terminate_backend) give
// each pooled handle at most one 500, every later request succeeds and the
// server never crashes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { PG, freshIdNumber, setup } from './harness.mjs';

let env, coord;
const POOL = 4; // `fazhi serve --threads 2` (harness) keeps threads + 2 handles

before(async () => {
	env = await setup({ users: [
		{ username: 'coord', role: 'coordinator' },
		{ username: 'auditor', role: 'auditor' },
	] });
	coord = await env.login('coord');
});
after(async () => { await env?.close(); });

/** A 500 as the API gives it: a request id in body and header, no store text. */
function expectServerError(r, ...secrets) {
	assert.equal(r.status, 500, `expected 500, got ${r.status}: ${r.text}`);
	const id = r.json?.error?.request_id;
	assert.match(id || '', /^[0-9a-f]{16}$/, `request id in ${r.text}`);
	assert.equal(r.headers.get('x-request-id'), id);
	assert.match(r.json.error.code, /^(store_error|internal|audit_failed)$/);
	for (const s of ['no such table', 'does not exist', 'SELECT', 'relation', ...secrets])
		assert.ok(!r.text.includes(s), `no store detail (${s}) in ${r.text}`);
	assert.ok(env.serverLog.includes(id), 'the request id is in the server log with the details');
	return id;
}

function alive() {
	assert.equal(env.child.exitCode, null, `server exited:\n${env.serverLog}`);
	assert.equal(env.child.signalCode, null, `server killed:\n${env.serverLog}`);
}

test('a store error on a list, a detail and an export answers 500 with a request id, never 404 or 200', async () => {
	const list = await env.get('/api/v1/people?limit=5', coord);
	assert.equal(list.status, 200, list.text);
	const id = list.json.items[0].id;
	await env.sql('ALTER TABLE people RENAME TO people_gone');
	try {
		const logStart = env.serverLog.length;
		const rid = expectServerError(await env.get('/api/v1/people?limit=5', coord), 'people_gone');
		assert.match(env.serverLog.slice(logStart), new RegExp(`${rid}.*people`), 'the store message is logged');
		expectServerError(await env.get(`/api/v1/people/${id}`, coord));
		expectServerError(await env.get('/api/v1/people?format=xlsx', coord));
	} finally {
		await env.sql('ALTER TABLE people_gone RENAME TO people');
	}
	const again = await env.get(`/api/v1/people/${id}`, coord);
	assert.equal(again.status, 200, again.text);
	alive();
});

test('a full ID number or an export is not given out when its audit entry cannot be written', async () => {
	const idn = freshIdNumber('330282');
	const c = await env.post('/api/v1/subjects', coord, { kind: 'person', name: '钱七', id_number: idn, region: '330282' });
	assert.equal(c.status, 201, c.text);
	const sid = c.json.id;
	await env.sql('ALTER TABLE audit_log RENAME TO audit_log_gone');
	let r, x;
	try {
		r = await env.get(`/api/v1/subjects/${sid}`, coord);
		x = await env.get('/api/v1/subjects?format=xlsx', coord);
	} finally {
		await env.sql('ALTER TABLE audit_log_gone RENAME TO audit_log');
	}
	expectServerError(r, idn);
	expectServerError(x);
	assert.equal(x.headers.get('content-disposition'), null, 'no attachment with a refusal');
	const ex = await env.get('/api/v1/subjects?format=xlsx', coord);
	assert.equal(ex.status, 200);
	const ok = await env.get(`/api/v1/subjects/${sid}`, coord);
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.id_number, idn);
	alive();
});

/** n requests at once; resolves their answers. */
function burst(n) {
	return Promise.all(Array.from({ length: n }, (_, i) =>
		env.get(i % 2 ? '/api/v1/bodies?limit=3' : '/api/v1/people?limit=3', coord)));
}

test('PostgreSQL: connections terminated mid-suite — at most one 500 per pooled handle, then every request succeeds', { skip: !PG && 'PostgreSQL only' }, async () => {
	// Every pooled handle connected, with statements prepared.
	for (let i = 0; i < 4; i++)
		for (const r of await burst(2 * POOL)) assert.equal(r.status, 200, r.text);
	const killed = await env.sql('SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity ' +
		'WHERE datname = current_database() AND pid <> pg_backend_pid()');
	assert.ok(Number(killed) >= 1, `terminated ${killed} backends`);
	const answers = [];
	for (let i = 0; i < 4; i++) answers.push(...await burst(2 * POOL));
	const failed = answers.filter((r) => r.status !== 200);
	for (const r of failed) expectServerError(r);
	assert.ok(failed.length <= POOL, `${failed.length} failures for ${POOL} handles: ${failed.map((r) => r.text).join('\n')}`);
	alive();
	// Recovered: reads and a write all succeed.
	for (let i = 0; i < 3; i++)
		for (const r of await burst(2 * POOL)) assert.equal(r.status, 200, r.text);
	const w = await env.post('/api/v1/subjects', coord, { kind: 'person', name: '孙八', id_number: freshIdNumber('330282'), region: '330282' });
	assert.equal(w.status, 201, w.text);
	assert.equal((await env.get('/api/v1/health')).status, 200);
	alive();
});
