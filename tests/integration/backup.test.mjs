// backup.test.mjs — `fazhi backup`: an online copy, mode 0600, that
// verifies (with the audit keys restored beside it), holds the same data,
// serves the same uploaded files (OUT.files) and (with its key, written
// only with --with-key) the same personal data.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { PG, fixtureRecords, freshUscc, run, setup } from './harness.mjs';

let env, coord, file;
const FILE = Buffer.from('%PDF-1.4\n% 备份前上传的印证材料\n%%EOF\n');
before(async () => {
	env = await setup();
	coord = await env.login('coord');
	// Data written through the server just before the backup is in it.
	const r = await env.post('/api/v1/subjects', coord, { kind: 'enterprise', name: '备份前新建公司', uscc: freshUscc(), region: '330282' });
	assert.equal(r.status, 201, r.text);
	// So is a file uploaded to a record (it lives outside the database).
	const rec = await env.post('/api/v1/registers/rectification/records', coord,
		{ body: 'B330282-SCJG', data: { source: '法治督察', issue: '备份前的整改', deadline: '2099-01-01' } });
	assert.equal(rec.status, 201, rec.text);
	const up = await env.req('POST', `/api/v1/registers/rectification/records/${rec.json.id}/attachments?filename=${encodeURIComponent('备份.pdf')}`,
		{ sess: coord, body: FILE, contentType: 'application/pdf' });
	assert.equal(up.status, 201, up.text);
	file = `/api/v1/registers/rectification/records/${rec.json.id}/attachments/${up.json.id}/content`;
});
after(async () => { await env?.close(); });

const person = fixtureRecords().find((r) => r.kind === 'person');
const AUDIT_FILES = ['audit-key', 'audit-sign.pem', 'audit-checkpoints'];

/** Restores the audit trust files (kept apart from backups) for a copy. */
function restoreAuditFiles(fromPrefix, toPrefix) {
	for (const f of AUDIT_FILES) copyFileSync(fromPrefix + f, toPrefix + f);
}

async function subjectsTotal(e) {
	const s = await e.login('coord');
	const r = await e.get('/api/v1/subjects?limit=1', s);
	assert.equal(r.status, 200, r.text);
	return r.json.total;
}

/** Serves the copy and compares it with the original over HTTP. */
async function compareServed(existing) {
	const copy = await setup({ existing });
	try {
		assert.equal(await subjectsTotal(copy), await subjectsTotal(env), 'same number of subjects');
		const s = await copy.login('coord');
		const id = await copy.idOf('subjects', { q: person.name, kind: 'person' }, s);
		const d = await copy.get(`/api/v1/subjects/${id}`, s);
		assert.equal(d.json.id_number, person.id_number, 'the copy\'s key opens the sealed ID numbers');
		assert.equal((await copy.get('/api/v1/subjects?q=' + encodeURIComponent('备份前新建'), s)).json.total, 1);
		const got = await copy.get(file, s);
		assert.equal(got.status, 200, got.text);
		assert.ok(got.buf.equals(FILE), 'the uploaded file, byte for byte, from the backup\'s files');
	} finally {
		await copy.close();
	}
}

test('SQLite: the backup is 0600, has no key unless --with-key, verifies, has the same subjects, and its key works', { skip: PG && 'SQLite backend only' }, async () => {
	const out = join(env.dir, 'copy.db');
	const r = await env.fazhi(['backup', '--db', env.uri, out]);
	assert.equal(r.code, 0, r.stderr);
	assert.ok(existsSync(out));
	assert.ok(existsSync(out + '.files'), 'the uploaded files beside it (OUT.files)');
	assert.equal(statSync(out).mode & 0o777, 0o600, 'backup private');
	assert.ok(!existsSync(out + '.key'), 'no key beside the backup without --with-key');
	assert.doesNotMatch(r.stderr, /警告/);
	for (const f of AUDIT_FILES) assert.ok(!existsSync(`${out}.${f}`), `no ${f} beside the backup`);

	// Verifying the copy needs the audit keys, restored from where they are kept.
	const bare = await env.fazhi(['audit', 'verify', '--db', `sqlite:${out}`]);
	assert.notEqual(bare.code, 0);
	assert.match(bare.stderr, /审计密钥/);
	restoreAuditFiles(env.dbPath + '.', out + '.');
	const v = await env.fazhi(['audit', 'verify', '--db', `sqlite:${out}`]);
	assert.equal(v.code, 0, v.stderr);
	const n = await run('sqlite3', [out, 'SELECT COUNT(*) FROM subjects']);
	assert.equal(Number(n.stdout.trim()), await subjectsTotal(env));

	// --with-key: the key beside it, private, and a warning.
	const out2 = join(env.dir, 'copy2.db');
	const k = await env.fazhi(['backup', '--with-key', '--db', env.uri, out2]);
	assert.equal(k.code, 0, k.stderr);
	assert.match(k.stderr, /警告/);
	assert.equal(statSync(out2).mode & 0o777, 0o600);
	// cli_key_path("sqlite:OUT") is OUT.key: the backup writes the key there.
	assert.equal(statSync(out2 + '.key').mode & 0o777, 0o600, 'key file private');
	assert.equal(readFileSync(out2 + '.key', 'utf8').trim(), readFileSync(env.dbPath + '.key', 'utf8').trim());
	restoreAuditFiles(env.dbPath + '.', out2 + '.');
	await compareServed({ uri: `sqlite:${out2}`, dbPath: out2 });

	// The original records the backups; an existing OUT is not overwritten.
	const log = await env.audit({ action: 'backup' });
	assert.equal(log.length, 2);
	assert.deepEqual(log.map((e) => JSON.parse(e.detail).with_key), [true, false]);
	const again = await env.fazhi(['backup', '--db', env.uri, out]);
	assert.notEqual(again.code, 0);
	assert.match(again.stderr, /已存在|exists/);
});

test('PostgreSQL: pg_dump backup restores into a store that verifies and holds the same data', { skip: !PG && 'PostgreSQL backend only' }, async () => {
	const out = join(env.dir, 'copy.dump');
	const r = await env.fazhi(['backup', '--db', env.uri, out]);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(readFileSync(out).subarray(0, 5).toString('latin1'), 'PGDMP', 'pg_dump custom format');
	assert.equal(statSync(out).mode & 0o777, 0o600, 'backup private');
	assert.ok(!existsSync(out + '.key'), 'no key beside the backup without --with-key');
	const name = `fazhi_it_restore_${randomBytes(4).toString('hex')}`;
	const server = process.env.FAZHI_TEST_PG_URI;
	const target = new URL(server);
	target.pathname = '/' + name;
	assert.equal((await run('psql', [server, '-qAt', '-c', `CREATE DATABASE ${name}`])).code, 0);
	try {
		const rs = await run('pg_restore', ['--no-owner', '--dbname', target.toString(), out]);
		assert.equal(rs.code, 0, rs.stderr);
		const v = await env.fazhi(['audit', 'verify', '--db', target.toString()]);
		assert.equal(v.code, 0, v.stderr);
		// The restored store gets its own copy of the keys (its checkpoints
		// must not go into the original's file).
		const keys = join(env.dir, 'restored');
		mkdirSync(keys);
		copyFileSync(env.env.FAZHI_KEY_FILE, join(keys, 'fazhi.key'));
		// The files go where the restored store looks for them (beside its key).
		cpSync(out + '.files', join(keys, 'fazhi.files'), { recursive: true });
		restoreAuditFiles(join(env.dir, 'fazhi.'), join(keys, 'fazhi.'));
		await compareServed({ uri: target.toString(), keyFile: join(keys, 'fazhi.key') });
	} finally {
		await run('psql', [server, '-qAt', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
	}
});
