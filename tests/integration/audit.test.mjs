// audit.test.mjs — the keyed, hash-chained audit log: reading and filtering
// it as the auditor, verifying it (CLI and HTTP), the append-only triggers,
// the signed checkpoints (export, SIGTERM), and detecting changed, deleted
// and truncated entries. The tests run in order on one store.
import assert from 'node:assert/strict';
import { createPublicKey, verify as verifySig } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { PG, expectError, freshUscc, setup } from './harness.mjs';

let env, aud;
before(async () => {
	// coord fails 7 logins here; failures count over a window a success does not clear.
	env = await setup({ settings: { lock_threshold: 20 } });
	aud = await env.login('auditor');
	// Some traffic of different kinds.
	const coord = await env.login('coord');
	await env.get('/api/v1/subjects', coord);
	await env.tryLogin('coord', 'Wrong-Pass1x');
	await env.get('/api/v1/users', coord); // refused
});
after(async () => { await env?.close(); });

const verifyCli = () => env.fazhi(['audit', 'verify', '--db', env.uri]);
// The trust files: beside a SQLite database; on PostgreSQL beside the
// personal-data key (FAZHI_KEY_FILE = DIR/fazhi.key → DIR/fazhi.audit-…).
const trustFile = (name) => PG ? join(env.dir, `fazhi.${name}`) : `${env.dbPath}.${name}`;
const checkpoints = () => readFileSync(trustFile('audit-checkpoints'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
// What an attacker with the database file does first.
const dropGuard = () => env.sql(PG
	? 'DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log; DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log'
	: 'DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete');

test('an untouched store verifies: CLI exit 0, HTTP ok=true', async () => {
	const r = await verifyCli();
	assert.equal(r.code, 0, r.stderr);
	const n = Number(/(\d+) 条/.exec(r.stdout)?.[1]);
	assert.ok(n >= 10, r.stdout);
	const h = await env.get('/api/v1/audit/verify', aud);
	assert.equal(h.status, 200, h.text);
	assert.equal(h.json.ok, true);
	assert.equal(h.json.first_bad, null);
	assert.equal(h.json.reason, null);
	assert.ok(h.json.checked >= n);
	const v = await env.audit({ action: 'verify' }, aud);
	assert.equal(v[0].result, 'ok');
});

test('the log lists and filters: action, actor, result, entity, dates', async () => {
	const logins = await env.audit({ action: 'login' }, aud);
	assert.ok(logins.length >= 3);
	assert.ok(logins.every((e) => e.action === 'login'));
	const failed = await env.audit({ action: 'login', result: 'failed', actor: 'coord' }, aud);
	assert.equal(failed.length, 1);
	assert.equal(failed[0].ip, '127.0.0.1');
	const users = await env.audit({ entity: 'user', action: 'create' }, aud);
	assert.ok(users.length >= 8);
	assert.ok(users.every((e) => e.actor === 'cli'));
	const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // China time
	const all = await env.get('/api/v1/audit?limit=1', aud);
	const byDay = await env.get(`/api/v1/audit?limit=1&from=${today}&to=${today}`, aud);
	assert.ok(byDay.json.total > 0 && byDay.json.total <= all.json.total + 2);
	const old = await env.get('/api/v1/audit?to=2000-01-01', aud);
	assert.equal(old.json.total, 0);
	expectError(assert, await env.get('/api/v1/audit?from=2024-13-01', aud), 400, 'bad_param', 'from');
	expectError(assert, await env.get('/api/v1/audit?to=yesterday', aud), 400, 'bad_param', 'to');
	// Entries carry their chain hash.
	assert.ok(all.json.items.every((e) => /^[0-9a-f]{64}$/.test(e.hash)));
});

test('parallel writes from several sessions keep the chain whole', async () => {
	const sessions = await Promise.all(['coord', 'coord_a', 'coord_b', 'sysadmin'].map((u) => env.login(u)));
	const before = (await env.get('/api/v1/audit?limit=1', aud)).json.total;
	const reqs = [];
	for (let i = 0; i < 24; i++) {
		const s = sessions[i % 3];
		const region = s.user.scope_region || '330282';
		reqs.push(env.post('/api/v1/subjects', s, { kind: 'enterprise', name: `并发写入公司${i}`, uscc: freshUscc(region), region }));
		reqs.push(env.post('/api/v1/bodies', sessions[3], { code: `B-PAR-${i}`, name: `并发机关${i}`, kind: 'department', region }));
		reqs.push(env.tryLogin('coord', i % 4 ? undefined : 'Wrong-Pass1x'));
	}
	const rs = await Promise.all(reqs);
	assert.ok(rs.every((r) => r.status < 500), rs.filter((r) => r.status >= 500).map((r) => r.text).join('\n'));
	assert.equal(rs.filter((r) => r.status === 201).length, 48);
	const after = (await env.get('/api/v1/audit?limit=1', aud)).json.total;
	assert.ok(after >= before + 48 + 24, `${before} → ${after}`);
	const r = await verifyCli();
	assert.equal(r.code, 0, r.stderr);
	const ids = (await env.sql('SELECT id FROM audit_log ORDER BY id')).split('\n').map(Number);
	assert.deepEqual(ids, ids.map((_, i) => i + 1), 'ids without gaps');
});

test('nobody can change the log over HTTP', async () => {
	for (const [m, p] of [['DELETE', '/api/v1/audit'], ['POST', '/api/v1/audit'], ['PATCH', '/api/v1/audit'], ['DELETE', '/api/v1/audit/1']]) {
		const r = await env.req(m, p, { sess: aud, body: m === 'DELETE' ? undefined : {} });
		assert.ok([404, 405].includes(r.status), `${m} ${p}: ${r.status}`);
	}
});

test('the store, its keys and checkpoint file are private (0600)', async () => {
	const files = ['audit-key', 'audit-sign.pem', 'audit-checkpoints'].map(trustFile);
	if (!PG) files.push(env.dbPath, env.dbPath + '.key');
	for (const f of files)
		assert.equal(statSync(f).mode & 0o777, 0o600, f);
	assert.equal(checkpoints()[0].kind, 'anchor', 'fazhi init anchors the new chain key');
});

test('UPDATE and DELETE on audit_log are refused by the triggers', async () => {
	await assert.rejects(env.sql("UPDATE audit_log SET actor = 'x' WHERE id = 1"), /append-only|只能追加/);
	await assert.rejects(env.sql('DELETE FROM audit_log WHERE id = 1'), /append-only|只能追加/);
	if (PG) await assert.rejects(env.sql('TRUNCATE audit_log'), /append-only|只能追加/);
	assert.equal(await env.sql("SELECT COUNT(*) FROM audit_log WHERE actor = 'x'"), '0');
	assert.equal((await verifyCli()).code, 0);
});

test('the auditor exports the signed checkpoints and the public key; they verify; the export is audited', async () => {
	const w = await env.fazhi(['audit', 'checkpoint', '--db', env.uri]);
	assert.equal(w.code, 0, w.stderr);
	const r = await env.get('/api/v1/audit/checkpoints', aud);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.algorithm, 'Ed25519');
	assert.ok(r.json.checkpoints.length >= 2);
	assert.deepEqual(r.json.checkpoints.map((c) => c.kind).slice(-1), ['manual']);
	const key = createPublicKey(r.json.public_key);
	for (const c of r.json.checkpoints) {
		const msg = `fazhi-audit-checkpoint/1|${c.kind}|${c.id}|${c.hash}|${c.count}|${c.ts}`;
		assert.ok(verifySig(null, Buffer.from(msg), key, Buffer.from(c.sig, 'hex')), `signature of ${msg}`);
	}
	const last = r.json.checkpoints.at(-1);
	assert.equal(await env.sql(`SELECT hash FROM audit_log WHERE id = ${last.id}`), last.hash);
	const log = await env.audit({ action: 'export', entity: 'audit_checkpoints' }, aud);
	assert.equal(log.length, 1);
	for (const u of ['sysadmin', 'secadmin', 'coord'])
		expectError(assert, await env.get('/api/v1/audit/checkpoints', await env.login(u)), 403, 'forbidden');
});

let original3;
test('a changed entry (detail of entry 3) is found: CLI non-zero naming entry 3, HTTP ok=false', async () => {
	await dropGuard();
	original3 = await env.sql('SELECT detail FROM audit_log WHERE id = 3');
	assert.ok(original3.length > 0);
	await env.sql(`UPDATE audit_log SET detail = '{"x":1}' WHERE id = 3`);
	const r = await verifyCli();
	assert.notEqual(r.code, 0);
	assert.match(r.stderr, /entry 3\b/, r.stderr);
	assert.match(r.stderr, /此前 2 条完好/);
	const h = await env.get('/api/v1/audit/verify', aud);
	assert.equal(h.status, 200);
	assert.equal(h.json.ok, false);
	assert.equal(h.json.first_bad, 3);
	assert.equal(h.json.checked, 2);
	assert.match(h.json.reason, /摘要|哈希/);
	// The failed verification is itself audited.
	const v = await env.audit({ action: 'verify', result: 'broken' }, aud);
	assert.equal(v.length, 1);
	// New entries keep being appended after the break; it is still found.
	await env.login('coord');
	const again = await env.get('/api/v1/audit/verify', aud);
	assert.equal(again.json.first_bad, 3);
});

test('changing a hashed field (actor of entry 4) is found too', async () => {
	// First restore #3: the chain is whole again.
	await env.sql(`UPDATE audit_log SET detail = '${original3.replace(/'/g, "''")}' WHERE id = 3`);
	assert.equal((await verifyCli()).code, 0, 'restored chain verifies');
	const actor = await env.sql('SELECT actor FROM audit_log WHERE id = 4');
	await env.sql("UPDATE audit_log SET actor = 'someone_else' WHERE id = 4");
	const r = await verifyCli();
	assert.notEqual(r.code, 0);
	assert.match(r.stderr, /entry 4\b/, r.stderr);
	assert.equal((await env.get('/api/v1/audit/verify', aud)).json.first_bad, 4);
	await env.sql(`UPDATE audit_log SET actor = '${actor}' WHERE id = 4`);
	assert.equal((await verifyCli()).code, 0);
});

test('a deleted entry (5) is found: CLI non-zero naming position 5, HTTP first_bad 5', async () => {
	await env.sql('CREATE TABLE keep5 AS SELECT * FROM audit_log WHERE id = 5');
	await env.sql('DELETE FROM audit_log WHERE id = 5');
	const r = await verifyCli();
	assert.notEqual(r.code, 0);
	assert.match(r.stderr, /entry 5\b/, r.stderr);
	assert.match(r.stderr, /删除/);
	assert.match(r.stderr, /此前 4 条完好/);
	const h = await env.get('/api/v1/audit/verify', aud);
	assert.equal(h.json.ok, false);
	assert.equal(h.json.first_bad, 5);
	assert.equal(h.json.checked, 4);
	assert.match(h.json.reason, /删除/);
	assert.equal(h.json.check, 'sequence');
	await env.sql('INSERT INTO audit_log SELECT * FROM keep5; DROP TABLE keep5');
	assert.equal((await verifyCli()).code, 0, 'restored');
});

test('serve writes a checkpoint at SIGTERM; then deleting the last rows fails verify (checkpoint-count)', async () => {
	const before = checkpoints().length;
	await env.stop(); // SIGTERM
	const cps = checkpoints();
	assert.equal(cps.length, before + 1);
	const last = cps.at(-1);
	assert.equal(last.kind, 'shutdown');
	const total = Number(await env.sql('SELECT COUNT(*) FROM audit_log'));
	assert.equal(last.count, total);
	assert.equal(last.id, total);
	assert.equal((await verifyCli()).code, 0);
	// An attacker with the database file: drop the triggers, cut the end off.
	await dropGuard();
	await env.sql(`DELETE FROM audit_log WHERE id > ${total - 3}`);
	const r = await verifyCli();
	assert.notEqual(r.code, 0);
	assert.match(r.stderr, /checkpoint-count/, r.stderr);
	assert.match(r.stderr, /末尾条目被删除/);
	assert.match(r.stderr, new RegExp(`现有 ${total - 3} 条`));
});

test('a log recomputed without the key fails verify (hmac)', async () => {
	// A well-formed entry appended with a plain hash, as a script would.
	const last = (await env.sql('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')).split('|');
	const id = Number(last[0]) + 1;
	await env.sql(`INSERT INTO audit_log(id, ts, actor_id, actor, ip, action, entity, entity_id, result, detail, digest, alg, prev_hash, hash)
		SELECT ${id}, ts, actor_id, actor, ip, action, entity, entity_id, result, detail, digest, alg, '${last[1]}', '${'ab'.repeat(32)}'
		FROM audit_log WHERE id = ${id - 1}`);
	const r = await verifyCli();
	assert.notEqual(r.code, 0);
	assert.match(r.stderr, new RegExp(`entry ${id} \\[hmac\\]`), r.stderr);
});
