// attachments.test.mjs — 印证材料 on register records and tasks, and the
// one attachment store under them: upload, list, download byte for byte
// (RFC 5987 name, SM3), the same content stored once, a file changed or
// removed on disk refused with its stable code and audited, replacement
// keeping history, withdrawal with a required reason on the timeline, the
// read and write scope of the record and the task, the body limit on the
// headers, file names, the per-record limit; evidence files still served,
// and an old evidence BLOB moved to the store when the server starts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { PG, addDays, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const today = todayCst();
const REC = '/api/v1/registers/rectification/records';
const MAX_UPLOAD = 10 << 20; // API_MAX_UPLOAD

let env, coord, coordB, dept, deptB, evaluator, recId, otherRec;
before(async () => {
	env = await setup({ users: [...defaultUsers(), { username: 'dept_b', role: 'department', scope: '330282', bodies: ['B330282-ZHZF'] }] });
	coord = await env.login('coord');
	coordB = await env.login('coord_b');
	dept = await env.login('dept_a');
	deptB = await env.login('dept_b');
	evaluator = await env.login('evaluator');
	const mk = async (body, issue) => {
		const r = await env.post(REC, coord, { body, data: { source: '法治督察', issue, deadline: addDays(today, 30) } });
		assert.equal(r.status, 201, r.text);
		return r.json.id;
	};
	recId = await mk('B330282-SCJG', '执法案卷归档不规范');
	otherRec = await mk('B330282-SCJG', '另一项整改');
});
after(async () => { await env?.close(); });

const sm3 = (buf) => createHash('sm3').update(buf).digest('hex');
const filesDir = () => (PG ? join(env.dir, 'fazhi.files') : env.dbPath + '.files');
const fileOf = (digest) => join(filesDir(), digest.slice(0, 2), digest.slice(2, 4), digest);
/** Every file in the store (outside tmp): their names. */
function storedFiles() {
	const out = [];
	for (const a of readdirSync(filesDir())) {
		if (a === 'tmp') continue;
		for (const b of readdirSync(join(filesDir(), a)))
			out.push(...readdirSync(join(filesDir(), a, b)));
	}
	return out;
}

const pdf = (text) => Buffer.concat([Buffer.from('%PDF-1.4\n%'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]), Buffer.from(`\n% ${text}\n%%EOF\n`)]);
const PDF_TYPE = 'application/pdf';

function upload(base, sess, bytes, { filename = '整改佐证（第一批）.pdf', type = PDF_TYPE } = {}) {
	const q = filename === null ? '' : `?${new URLSearchParams({ filename })}`;
	return env.req('POST', `${base}/attachments${q}`, { sess, body: bytes, contentType: type });
}
function replace(base, sess, aid, bytes, { filename = '整改佐证（更正）.pdf', reason = '原文件缺页', type = PDF_TYPE } = {}) {
	const q = new URLSearchParams({ filename });
	if (reason !== null) q.set('reason', reason);
	return env.req('PUT', `${base}/attachments/${aid}?${q}`, { sess, body: bytes, contentType: type });
}
const list = async (base, sess) => {
	const r = await env.get(`${base}/attachments`, sess);
	assert.equal(r.status, 200, r.text);
	return r.json;
};

/** The filename* of a Content-Disposition, decoded. */
function dispositionName(h) {
	const m = /filename\*=UTF-8''([^;]+)/.exec(h || '');
	return m ? decodeURIComponent(m[1]) : null;
}

const recBase = () => `${REC}/${recId}`;

test('a record\'s file goes in and comes back byte for byte, named as uploaded, under its SM3', async () => {
	const bytes = pdf('第一批');
	const r = await upload(recBase(), dept, bytes);
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.sm3, sm3(bytes));
	assert.equal(r.json.size, bytes.length);
	assert.equal(r.json.filename, '整改佐证（第一批）.pdf');
	assert.ok(existsSync(fileOf(r.json.sm3)), 'the file is in the store under its digest');
	assert.ok(readFileSync(fileOf(r.json.sm3)).equals(bytes));

	const l = await list(recBase(), coord);
	assert.equal(l.total, 1);
	assert.equal(l.in_force, 1);
	assert.equal(l.may_write, true);
	const item = l.items[0];
	assert.equal(item.id, r.json.id);
	assert.equal(item.status, 'current');
	assert.equal(item.status_label, '有效');
	assert.equal(item.uploaded_by, dept.user.display_name || 'dept_a', 'the uploader by name');
	assert.ok(Math.abs(item.created_at - Date.now() / 1000) < 600);

	const got = await env.get(`${recBase()}/attachments/${r.json.id}/content`, coord);
	assert.equal(got.status, 200);
	assert.ok(got.buf.equals(bytes), 'the same bytes');
	assert.equal(got.headers.get('content-type'), PDF_TYPE);
	assert.equal(got.headers.get('x-content-sm3'), r.json.sm3);
	assert.equal(dispositionName(got.headers.get('content-disposition')), '整改佐证（第一批）.pdf');
	assert.match(got.headers.get('content-disposition'), /^attachment; filename="[\x20-\x7e]+"; filename\*=/);

	// On the record's timeline.
	const rec = await env.get(recBase(), coord);
	const step = rec.json.timeline.find((e) => e.action === 'attach');
	assert.ok(step, JSON.stringify(rec.json.timeline));
	assert.equal(step.detail.filename, '整改佐证（第一批）.pdf');
	assert.equal(step.detail.sm3, r.json.sm3);
});

test('the same content is stored once, whichever record it is on', async () => {
	const bytes = pdf('两条记录共用');
	const a = await upload(recBase(), coord, bytes, { filename: 'a.pdf' });
	const b = await upload(`${REC}/${otherRec}`, coord, bytes, { filename: 'b.pdf' });
	assert.equal(a.status, 201, a.text);
	assert.equal(b.status, 201, b.text);
	assert.notEqual(a.json.id, b.json.id);
	assert.equal(a.json.sm3, b.json.sm3);
	const files = storedFiles();
	assert.equal(files.filter((f) => f === a.json.sm3).length, 1, 'one file');
	assert.equal(new Set(files).size, files.length);
	assert.deepEqual(readdirSync(join(filesDir(), 'tmp')), [], 'no temporary file left');
	for (const f of files) assert.equal(sm3(readFileSync(fileOf(f))), f, 'every file holds its name\'s content');
});

test('a file changed or removed on disk is refused with a stable code and audited, never served', async () => {
	const bytes = pdf('将被篡改');
	const r = await upload(recBase(), dept, bytes, { filename: '篡改测试.pdf' });
	assert.equal(r.status, 201, r.text);
	const path = fileOf(r.json.sm3);
	const url = `${recBase()}/attachments/${r.json.id}/content`;
	const tampered = Buffer.from(bytes);
	tampered[tampered.length - 3] ^= 1;
	writeFileSync(path, tampered);
	const bad = await env.get(url, coord);
	expectError(assert, bad, 500, 'attachment_corrupt');
	assert.match(bad.json.error.message, /损坏.*SM3/);
	assert.ok(!bad.buf.includes(Buffer.from('将被篡改')), 'nothing of the file in the answer');
	assert.equal(bad.headers.get('content-disposition'), null);
	const log = await env.audit({ action: 'download' });
	const entry = log.find((e) => e.entity === 'rectification' && e.entity_id === String(recId) && e.result === 'refused');
	assert.ok(entry, JSON.stringify(log));
	assert.equal(JSON.parse(entry.detail).code, 'attachment_corrupt');

	renameSync(path, path + '.gone');
	expectError(assert, await env.get(url, coord), 500, 'attachment_missing');
	renameSync(path + '.gone', path);
	writeFileSync(path, bytes);
	assert.equal((await env.get(url, coord)).status, 200, 'served again once restored');
});

test('replacing keeps the old version as history; a reason is required', async () => {
	const v1 = await upload(recBase(), dept, pdf('替换前'), { filename: '方案.pdf' });
	assert.equal(v1.status, 201, v1.text);
	const v2bytes = pdf('替换后');
	expectError(assert, await replace(recBase(), dept, v1.json.id, v2bytes, { reason: null }), 422, 'invalid', 'reason');
	expectError(assert, await replace(recBase(), dept, v1.json.id, Buffer.from('not a pdf')), 415, 'unsupported_media_type');
	const v2 = await replace(recBase(), dept, v1.json.id, v2bytes, { filename: '方案（修订）.pdf', reason: '原文件缺页' });
	assert.equal(v2.status, 200, v2.text);
	assert.equal(v2.json.replaces, v1.json.id);
	assert.equal(v2.json.sm3, sm3(v2bytes));

	const items = (await list(recBase(), coord)).items;
	const old = items.find((x) => x.id === v1.json.id), now = items.find((x) => x.id === v2.json.id);
	assert.equal(old.status, 'replaced');
	assert.equal(old.status_label, '已替换');
	assert.equal(old.replaced_by, v2.json.id);
	assert.equal(now.status, 'current');
	assert.equal(now.replaces, v1.json.id);
	assert.equal(now.replace_reason, '原文件缺页');
	// The old version stays readable; only the version in force is replaced.
	const oldGot = await env.get(`${recBase()}/attachments/${v1.json.id}/content`, coord);
	assert.ok(oldGot.buf.equals(pdf('替换前')));
	expectError(assert, await replace(recBase(), dept, v1.json.id, v2bytes), 409, 'conflict');

	const log = await env.audit({ action: 'attach_replace' });
	const entry = log.find((e) => JSON.parse(e.detail).attachment === v2.json.id);
	assert.ok(entry);
	assert.equal(JSON.parse(entry.detail).reason, '原文件缺页');
	assert.equal(entry.entity, 'rectification');
	assert.equal(entry.entity_id, String(recId));
});

test('withdrawing needs a reason, is audited, shows on the timeline, and stops the downloads', async () => {
	const r = await upload(recBase(), dept, pdf('传错了'), { filename: '误传.pdf' });
	assert.equal(r.status, 201, r.text);
	const w = `${recBase()}/attachments/${r.json.id}/withdraw`;
	const none = await env.post(w, dept, {});
	expectError(assert, none, 422, 'invalid', 'reason');
	assert.match(none.json.error.message, /撤回理由/);
	expectError(assert, await env.post(w, dept, { reason: '' }), 422, 'invalid', 'reason');
	const ok = await env.post(w, dept, { reason: '上传了其他案件的材料' });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.status, 'withdrawn');
	expectError(assert, await env.post(w, dept, { reason: '再撤一次' }), 409, 'conflict');

	const item = (await list(recBase(), coord)).items.find((x) => x.id === r.json.id);
	assert.equal(item.status, 'withdrawn');
	assert.equal(item.status_label, '已撤回');
	assert.equal(item.withdraw_reason, '上传了其他案件的材料');
	assert.ok(item.withdrawn_by);
	assert.ok(item.withdrawn_at > 0);
	const gone = await env.get(`${recBase()}/attachments/${r.json.id}/content`, coord);
	expectError(assert, gone, 410, 'attachment_withdrawn');
	assert.match(gone.json.error.message, /已撤回/);

	const rec = await env.get(recBase(), coord);
	const step = rec.json.timeline.find((e) => e.action === 'attach_withdraw');
	assert.ok(step, JSON.stringify(rec.json.timeline));
	assert.equal(step.detail.reason, '上传了其他案件的材料');
	assert.equal(step.detail.filename, '误传.pdf');
	const log = await env.audit({ action: 'attach_withdraw' });
	assert.ok(log.some((e) => JSON.parse(e.detail).attachment === r.json.id && e.result === 'ok'));
	// A record with 印证材料 is not deleted (its id must not pass to another record).
	expectError(assert, await env.req('DELETE', recBase(), { sess: coord }), 409, 'conflict');
});

test('reading follows the record\'s read scope, writing its write scope', async () => {
	const l = await list(recBase(), coord);
	const aid = l.items[0].id;
	// Another county: the same 404 the record itself gives.
	expectError(assert, await env.get(recBase(), coordB), 404, 'not_found');
	expectError(assert, await env.get(`${recBase()}/attachments`, coordB), 404, 'not_found');
	expectError(assert, await env.get(`${recBase()}/attachments/${aid}/content`, coordB), 404, 'not_found');
	expectError(assert, await upload(recBase(), coordB, pdf('越权')), 404, 'not_found');
	// Another department of the same county.
	expectError(assert, await env.get(recBase(), deptB), 404, 'not_found');
	expectError(assert, await env.get(`${recBase()}/attachments`, deptB), 404, 'not_found');
	expectError(assert, await upload(recBase(), deptB, pdf('越权')), 404, 'not_found');
	expectError(assert, await env.post(`${recBase()}/attachments/${aid}/withdraw`, deptB, { reason: '越权撤回' }), 404, 'not_found');
	expectError(assert, await replace(recBase(), deptB, aid, pdf('越权替换')), 404, 'not_found');
	// A reader without record.write reads but does not write.
	assert.equal((await list(recBase(), evaluator)).may_write, false);
	expectError(assert, await upload(recBase(), evaluator, pdf('无权')), 403, 'forbidden');
	// An attachment of another record is not reachable through this one.
	const other = (await list(`${REC}/${otherRec}`, coord)).items[0].id;
	expectError(assert, await env.get(`${recBase()}/attachments/${other}/content`, coord), 404, 'not_found');
	expectError(assert, await env.get(`/api/v1/registers/proposal/records/${recId}/attachments`, coord), 404, 'not_found');
	assert.equal((await list(recBase(), coord)).total, l.total, 'nothing was added');
});

/** Sends only the headers of an upload; resolves the status line's code. */
function headersOnly(path, sess, length) {
	return new Promise((ok) => {
		const s = connect({ host: '127.0.0.1', port: env.port });
		let buf = '';
		s.on('connect', () => s.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nCookie: ${sess.cookie}\r\n` +
			`X-CSRF-Token: ${sess.csrf}\r\nContent-Type: ${PDF_TYPE}\r\nContent-Length: ${length}\r\n\r\n`));
		s.on('data', (d) => {
			buf += d.toString('latin1');
			if (buf.includes('\r\n\r\n')) { s.destroy(); ok(buf); }
		});
		s.on('error', () => ok(buf));
		s.on('close', () => ok(buf));
	});
}

test('a body over the upload limit is refused on its headers; bad names and types are refused in Chinese', async () => {
	const before = (await list(recBase(), coord)).total;
	const answer = await headersOnly(`${recBase()}/attachments?filename=big.pdf`, dept, MAX_UPLOAD + 1);
	assert.match(answer, /^HTTP\/1\.1 413/, answer);
	for (const filename of ['../../etc/passwd', 'a\\b.pdf', '', '.', '材'.repeat(101)]) {
		const r = await upload(recBase(), dept, pdf('名字不对'), { filename });
		expectError(assert, r, 422, 'invalid', 'filename');
		assert.match(r.json.error.message, /文件名/);
	}
	expectError(assert, await upload(recBase(), dept, pdf('无名'), { filename: null }), 422, 'invalid', 'filename');
	const txt = await upload(recBase(), dept, Buffer.from('纯文本'), { type: 'text/plain', filename: 'a.txt' });
	expectError(assert, txt, 415, 'unsupported_media_type');
	assert.match(txt.json.error.message, /PDF/);
	expectError(assert, await upload(recBase(), dept, Buffer.alloc(0)), 422, 'invalid', 'file');
	assert.equal((await list(recBase(), coord)).total, before, 'nothing of the refused ones was stored');
});

test('at most 20 attachments in force on one record: the next is refused (audited)', async () => {
	const base = `${REC}/${otherRec}`;
	let inForce = (await list(base, coord)).in_force;
	for (let i = 0; inForce < 20; i++, inForce++)
		assert.equal((await upload(base, coord, pdf(`第 ${i} 份`), { filename: `${i}.pdf` })).status, 201);
	const r = await upload(base, coord, pdf('第二十一份'));
	expectError(assert, r, 409, 'attachment_limit');
	assert.match(r.json.error.message, /20/);
	const log = await env.audit({ action: 'attach' });
	assert.ok(log.some((e) => e.result === 'refused' && e.entity_id === String(otherRec)));
});

test('tasks (分解任务) carry 印证材料 too, within the task\'s scope', async () => {
	let r = await env.post('/api/v1/assignments', coord, { indicator: '7.27.1', body: 'B330282-SCJG', role: 'lead', due_date: addDays(today, 20) });
	assert.equal(r.status, 201, r.text);
	const base = `/api/v1/assignments/${r.json.id}`;
	const bytes = pdf('任务佐证');
	const up = await upload(base, dept, bytes, { filename: '任务落实情况.pdf' });
	assert.equal(up.status, 201, up.text);
	const got = await env.get(`${base}/attachments/${up.json.id}/content`, coord);
	assert.ok(got.buf.equals(bytes));
	assert.equal(dispositionName(got.headers.get('content-disposition')), '任务落实情况.pdf');
	assert.equal((await list(base, evaluator)).total, 1, 'read as the task is read (eval.read)');
	expectError(assert, await env.get(`${base}/attachments`, coordB), 404, 'not_found');
	expectError(assert, await env.get(`${base}/attachments/${up.json.id}/content`, deptB), 404, 'not_found');
	expectError(assert, await upload(base, deptB, pdf('越权')), 404, 'not_found');
	expectError(assert, await upload(base, evaluator, pdf('无权')), 403, 'forbidden');

	const v2 = await replace(base, dept, up.json.id, pdf('任务佐证二'), { reason: '补充盖章页' });
	assert.equal(v2.status, 200, v2.text);
	const w = await env.post(`${base}/attachments/${v2.json.id}/withdraw`, dept, { reason: '与任务无关' });
	assert.equal(w.status, 200, w.text);
	const items = (await list(base, coord)).items;
	assert.deepEqual(items.map((x) => x.status), ['replaced', 'withdrawn']);
	expectError(assert, await env.get(`${base}/attachments/${v2.json.id}/content`, coord), 410, 'attachment_withdrawn');
	const log = await env.audit({ entity: 'assignment' });
	assert.deepEqual(['attach', 'attach_replace', 'attach_withdraw'].map((a) => log.some((e) => e.action === a && e.entity_id === String(r.json.id))), [true, true, true]);
});

test('evidence goes to the store, and an evidence BLOB of an earlier version moves there at start', async () => {
	const Y = today.slice(0, 4);
	const bytes = pdf('指标印证材料');
	const q = new URLSearchParams({ indicator: '7.27.1', region: '330282', period: Y, filename: '指标材料.pdf' });
	const up = await env.req('POST', `/api/v1/evidence?${q}`, { sess: coord, body: bytes, contentType: PDF_TYPE });
	assert.equal(up.status, 201, up.text);
	assert.ok(readFileSync(fileOf(up.json.sm3)).equals(bytes), 'in the store');
	assert.equal(await env.sql(`SELECT length(content) || ',' || in_store FROM evidence WHERE id = ${up.json.id}`), '0,1');

	// Rows as an earlier version wrote them: content in the database.
	const old = pdf('旧版本存于数据库的材料'), broken = pdf('摘要对不上的材料');
	const hex = (b) => (PG ? `'\\x${b.toString('hex')}'::bytea` : `X'${b.toString('hex')}'`);
	const ins = (b, digest, name) => `INSERT INTO evidence(system_id, indicator_id, region_code, period, filename, content_type,` +
		` size, sm3, content, uploaded_by, created_at) VALUES ('fz-template-2021', '7.27.1', '330282', '${Y}', '${name}',` +
		` '${PDF_TYPE}', ${b.length}, '${digest}', ${hex(b)}, (SELECT id FROM users WHERE username = 'coord'), 1700000000) RETURNING id`;
	await env.stop();
	const oldId = Number(await env.sql(ins(old, sm3(old), '旧材料.pdf')));
	const brokenId = Number(await env.sql(ins(broken, sm3(pdf('别的内容')), '损坏.pdf')));
	await env.start();
	assert.match(env.serverLog, /迁入附件目录/);
	assert.equal(await env.sql(`SELECT length(content) || ',' || in_store FROM evidence WHERE id = ${oldId}`), '0,1');
	assert.ok(readFileSync(fileOf(sm3(old))).equals(old));
	const s = await env.login('coord');
	const got = await env.get(`/api/v1/evidence/${oldId}/content`, s);
	assert.equal(got.status, 200, got.text);
	assert.ok(got.buf.equals(old), 'the moved file, byte for byte');
	assert.equal(got.headers.get('x-content-sm3'), sm3(old));
	// The row whose content did not match its digest stays, refused.
	assert.equal(await env.sql(`SELECT in_store FROM evidence WHERE id = ${brokenId}`), '0');
	expectError(assert, await env.get(`/api/v1/evidence/${brokenId}/content`, s), 500, 'attachment_corrupt');
	const log = await env.audit({ action: 'migrate' });
	assert.equal(log.length, 1);
	assert.deepEqual(JSON.parse(log[0].detail), { moved: 1, refused: [brokenId] });
	// Moving again at the next start: nothing more to move, the refused one left.
	await env.restart();
	assert.equal((await env.audit({ action: 'migrate' })).length, 2);
	assert.equal(JSON.parse((await env.audit({ action: 'migrate' }))[0].detail).moved, 0);
});

test('backup copies the files, checked: a damaged file fails it', async () => {
	const bytes = pdf('备份的材料');
	const r = await upload(recBase(), dept, bytes, { filename: '备份.pdf' });
	assert.equal(r.status, 201, r.text);
	const out = join(env.dir, PG ? 'copy.dump' : 'copy.db');
	const b = await env.fazhi(['backup', '--db', env.uri, out]);
	assert.equal(b.code, 0, b.stderr);
	const copied = join(out + '.files', r.json.sm3.slice(0, 2), r.json.sm3.slice(2, 4), r.json.sm3);
	assert.ok(readFileSync(copied).equals(bytes));
	for (const f of storedFiles()) assert.ok(existsSync(join(out + '.files', f.slice(0, 2), f.slice(2, 4), f)), f);

	const path = fileOf(r.json.sm3);
	writeFileSync(path, Buffer.from('damaged'));
	const bad = await env.fazhi(['backup', '--db', env.uri, join(env.dir, PG ? 'bad.dump' : 'bad.db')]);
	assert.notEqual(bad.code, 0);
	assert.match(bad.stderr, new RegExp(`${r.json.sm3}.*损坏`));
	writeFileSync(path, bytes);
});
