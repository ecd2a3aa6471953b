// evidence.test.mjs — evidence files (type checked by content, SM3 digest
// equal to OpenSSL's, the same bytes back), task decomposition (assignments:
// create, list, progress, done) and the progress board's overdue counts of
// assignments and rectification items per body.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addDays, expectError, run, setup, todayCst, writeTemp } from './harness.mjs';

const today = todayCst();
const Y = today.slice(0, 4);
const REC = '/api/v1/registers/rectification/records';

let env, coord, coordA, coordB, dept, evaluator;
before(async () => {
	env = await setup();
	coord = await env.login('coord');
	coordA = await env.login('coord_a');
	coordB = await env.login('coord_b');
	dept = await env.login('dept_a');
	evaluator = await env.login('evaluator');
});
after(async () => { await env?.close(); });

const PDF = Buffer.concat([
	Buffer.from('%PDF-1.4\n%', 'latin1'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]),
	Buffer.from('\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n' +
		'trailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1'),
]);

function upload(sess, bytes, { type = 'application/pdf', filename = '整改报告.pdf', indicator = '7.27.1', region = '330282', period = Y } = {}) {
	const q = new URLSearchParams({ indicator, region, period, filename });
	return env.req('POST', `/api/v1/evidence?${q}`, { sess, body: bytes, contentType: type });
}

async function opensslSm3(bytes) {
	const f = writeTemp(env, `sm3-${Date.now()}.bin`, bytes);
	const r = await run('openssl', ['dgst', '-sm3', '-r', f]);
	assert.equal(r.code, 0, `openssl dgst -sm3: ${r.stderr}`);
	return r.stdout.trim().split(/\s+/)[0].toLowerCase();
}

test('a PDF is stored with its SM3 digest (as OpenSSL computes it) and comes back byte for byte', async () => {
	const r = await upload(coordA, PDF);
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.size, PDF.length);
	assert.equal(r.json.content_type, 'application/pdf');
	assert.equal(r.json.filename, '整改报告.pdf');
	assert.match(r.json.sm3, /^[0-9a-f]{64}$/);
	assert.equal(r.json.sm3, await opensslSm3(PDF));

	const got = await env.get(`/api/v1/evidence/${r.json.id}/content`, coordA);
	assert.equal(got.status, 200);
	assert.ok(got.buf.equals(PDF), 'the same bytes');
	assert.equal(got.headers.get('content-type'), 'application/pdf');
	assert.equal(got.headers.get('x-content-sm3'), r.json.sm3);

	const list = await env.get(`/api/v1/evidence?region=330282&period=${Y}&indicator=7.27.1`, coord);
	assert.equal(list.status, 200, list.text);
	assert.deepEqual(list.json.items.map((x) => [x.id, x.sm3, x.size]), [[r.json.id, r.json.sm3, PDF.length]]);
	// Out of the other county's reach.
	expectError(assert, await env.get(`/api/v1/evidence/${r.json.id}/content`, coordB), 404, 'not_found');
	assert.equal((await env.get(`/api/v1/evidence?region=330282&period=${Y}`, coordB)).json.total, 0);
	expectError(assert, await upload(coordB, PDF), 404, 'not_found');
	// A PNG declared as such is accepted too, with its own digest.
	const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-not-really')]);
	const p = await upload(coord, png, { type: 'image/png', filename: 'photo.png' });
	assert.equal(p.status, 201, p.text);
	assert.equal(p.json.sm3, await opensslSm3(png));
});

test('content that does not match the declared type is refused (415)', async () => {
	const count = async () => (await env.get(`/api/v1/evidence?region=330282&period=${Y}`, coord)).json.total;
	const before = await count();
	const text = Buffer.from('这不是 PDF 文件，只是文本。\n');
	expectError(assert, await upload(coord, text), 415, 'unsupported_media_type');
	expectError(assert, await upload(coord, PDF, { type: 'image/png', filename: 'x.png' }), 415, 'unsupported_media_type');
	expectError(assert, await upload(coord, PDF, { type: 'text/plain', filename: 'x.txt' }), 415, 'unsupported_media_type');
	expectError(assert, await upload(coord, PDF, { filename: '../etc/passwd' }), 422, 'invalid', 'filename');
	expectError(assert, await upload(coord, PDF, { indicator: '9.99' }), 404, 'not_found');
	// The evaluator may read but not upload.
	expectError(assert, await upload(evaluator, PDF), 403, 'forbidden');
	assert.equal(await count(), before, 'nothing of the refused ones was stored');
});

let lead, coop;
test('assignments: create, list, progress, done', async () => {
	let r = await env.post('/api/v1/assignments', coord, { indicator: '7.27.1', body: 'B330282-SCJG', role: 'lead', due_date: addDays(today, 30) });
	assert.equal(r.status, 201, r.text);
	lead = r.json;
	assert.equal(lead.role, 'lead');
	assert.equal(lead.role_label, '牵头');
	assert.equal(lead.progress, 0);
	assert.equal(lead.done_date, null);
	assert.equal(lead.status, 'on_time');
	assert.equal(lead.system, 'fz-template-2021');
	r = await env.post('/api/v1/assignments', coordA, { indicator: '7.27.1', body: 'B330282-ZHZF', role: 'cooperate', due_date: addDays(today, -3) });
	assert.equal(r.status, 201, r.text);
	coop = r.json;
	assert.equal(coop.status, 'overdue');
	assert.equal(coop.role_label, '配合');
	expectError(assert, await env.post('/api/v1/assignments', coord, { indicator: '7.27.1', body: 'B330282-SCJG', role: 'lead', due_date: addDays(today, 9) }), 409, 'conflict');
	expectError(assert, await env.post('/api/v1/assignments', coord, { indicator: '9.99', body: 'B330282-SCJG', role: 'lead', due_date: today }), 422, 'invalid', 'indicator');
	expectError(assert, await env.post('/api/v1/assignments', coord, { indicator: '7.27.2', body: 'B330282-SCJG', role: 'boss', due_date: today }), 422, 'invalid', 'role');
	expectError(assert, await env.post('/api/v1/assignments', coord, { indicator: '7.27.2', body: 'B330282-SCJG', role: 'lead', due_date: '2026-13-01' }), 422, 'invalid', 'due_date');
	expectError(assert, await env.post('/api/v1/assignments', coordB, { indicator: '7.27.2', body: 'B330282-SCJG', role: 'lead', due_date: today }), 422, 'invalid', 'body');
	expectError(assert, await env.post('/api/v1/assignments', dept, { indicator: '7.27.2', body: 'B330282-SCJG', role: 'lead', due_date: today }), 403, 'forbidden');

	r = await env.get('/api/v1/assignments?indicator=7.27.1', coord);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.items.map((x) => x.id), [lead.id, coop.id], 'lead first');
	assert.equal(r.json.total, 2);
	const scjg = await env.idOf('bodies', { q: 'B330282-SCJG' }, coord);
	assert.deepEqual((await env.get(`/api/v1/assignments?body=${scjg}`, coord)).json.items.map((x) => x.id), [lead.id]);
	assert.deepEqual((await env.get('/api/v1/assignments', dept)).json.items.map((x) => x.id), [lead.id], 'the department sees its own');
	assert.equal((await env.get('/api/v1/assignments', coordB)).json.total, 0);

	r = await env.patch(`/api/v1/assignments/${lead.id}`, dept, { progress: 40, note: '已制定办理方案' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.progress, 40);
	assert.equal(r.json.note, '已制定办理方案');
	assert.equal(r.json.done_date, null);
	expectError(assert, await env.patch(`/api/v1/assignments/${lead.id}`, dept, { progress: 101 }), 422, 'invalid', 'progress');
	expectError(assert, await env.patch(`/api/v1/assignments/${lead.id}`, dept, { progress: '50' }), 422, 'invalid', 'progress');
	expectError(assert, await env.patch(`/api/v1/assignments/${coop.id}`, dept, { progress: 10 }), 404, 'not_found');
	expectError(assert, await env.patch(`/api/v1/assignments/${lead.id}`, coordB, { progress: 10 }), 404, 'not_found');
	r = await env.patch(`/api/v1/assignments/${lead.id}`, dept, { note: '按计划推进' });
	assert.equal(r.json.progress, 40, 'progress kept when not given');

	r = await env.patch(`/api/v1/assignments/${lead.id}`, dept, { done: true });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.done_date, today);
	assert.equal(r.json.progress, 100);
	assert.equal(r.json.status, 'closed_on_time');
	assert.equal(r.json.note, '按计划推进');
	// A later note (no "done") keeps it done; done: false reopens it.
	r = await env.patch(`/api/v1/assignments/${lead.id}`, dept, { note: '已报送总结' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.done_date, today, 'a note does not reopen a done assignment');
	assert.equal(r.json.status, 'closed_on_time');
	r = await env.patch(`/api/v1/assignments/${coop.id}`, coordA, { done: true });
	assert.equal(r.json.status, 'closed_late');
	r = await env.patch(`/api/v1/assignments/${coop.id}`, coordA, { done: false, progress: 60 });
	assert.equal(r.json.done_date, null);
	assert.equal(r.json.progress, 60);
	assert.equal(r.json.status, 'overdue');
	r = await env.get(`/api/v1/assignments?indicator=7.27.1`, coord);
	assert.equal(r.json.items.find((x) => x.id === lead.id).done_date, today);
});


test('the board counts overdue assignments and open overdue rectification items per body', async () => {
	// A second overdue assignment for ZHZF, but done: not overdue.
	let r = await env.post('/api/v1/assignments', coord, { indicator: '7.27.2', body: 'B330282-ZHZF', role: 'lead', due_date: addDays(today, -10) });
	assert.equal(r.status, 201, r.text);
	assert.equal((await env.patch(`/api/v1/assignments/${r.json.id}`, coord, { done: true })).status, 200);
	// One still overdue for SCJG, due today (not overdue) for SCJG.
	r = await env.post('/api/v1/assignments', coord, { indicator: '8.34.1', body: 'B330282-SCJG', role: 'cooperate', due_date: addDays(today, -1) });
	assert.equal(r.status, 201, r.text);
	r = await env.post('/api/v1/assignments', coord, { indicator: '8.34.2', body: 'B330282-SCJG', role: 'cooperate', due_date: today });
	assert.equal(r.status, 201, r.text);

	const past = addDays(today, -40);
	const rect = async (body, deadline, start = past) => {
		const x = await env.post(REC, coord, { body, start_date: start, data: { source: '法治督察', issue: `看板测试 ${body} ${deadline}`, deadline } });
		assert.equal(x.status, 201, x.text);
		return x.json.id;
	};
	// SCJG: one overdue open, one 申请销号 late (late, no longer overdue: the
	// office's review is apart), one open on time, one overdue but closed.
	await rect('B330282-SCJG', addDays(today, -5));
	const requested = await rect('B330282-SCJG', addDays(today, -1));
	assert.equal((await env.post(`${REC}/${requested}/transitions`, dept, { transition: 'request_close', data: { measures: 'm', result: 'r' } })).status, 200);
	await rect('B330282-SCJG', addDays(today, 15));
	const closed = await rect('B330282-SCJG', addDays(today, -20));
	assert.equal((await env.post(`${REC}/${closed}/transitions`, dept, { transition: 'request_close', data: { measures: 'm', result: 'r' } })).status, 200);
	assert.equal((await env.post(`${REC}/${closed}/transitions`, coord, { transition: 'close' })).status, 200);
	// ZHZF: one overdue open. 余姚 SCJG: one overdue open (another county).
	await rect('B330282-ZHZF', addDays(today, -2));
	await rect('B330281-SCJG', addDays(today, -2));

	r = await env.get('/api/v1/board?region=330282', coord);
	assert.equal(r.status, 200, r.text);
	const row = (code) => r.json.items.find((x) => x.body_code === code);
	assert.deepEqual(r.json.items.map((x) => x.body_code).sort(), ['B330282-SCJG', 'B330282-ZHZF']);
	const scjg = row('B330282-SCJG'), zhzf = row('B330282-ZHZF');
	assert.deepEqual(
		{ lead: scjg.lead, cooperate: scjg.cooperate, done: scjg.done, overdue: scjg.overdue, open: scjg.items_open, rover: scjg.items_overdue },
		{ lead: 1, cooperate: 2, done: 1, overdue: 1, open: 3, rover: 1 }, JSON.stringify(scjg));
	assert.equal(scjg.avg_progress, Math.trunc((100 + 0 + 0) / 3));
	assert.equal(zhzf.avg_progress, Math.trunc((60 + 100) / 2));
	assert.deepEqual(
		{ lead: zhzf.lead, cooperate: zhzf.cooperate, done: zhzf.done, overdue: zhzf.overdue, open: zhzf.items_open, rover: zhzf.items_overdue },
		{ lead: 1, cooperate: 1, done: 1, overdue: 1, open: 1, rover: 1 }, JSON.stringify(zhzf));
	// The board's rectification counts agree with the register's overdue filter.
	for (const x of [scjg, zhzf]) {
		const l = await env.get(`${REC}?status=overdue&body=${x.body_id}&limit=200`, coord);
		assert.equal(l.json.total, x.items_overdue, x.body_code);
	}

	// The city board holds both counties; a county coordinator only its own.
	const city = await env.get('/api/v1/board?region=330200', coord);
	assert.equal(city.json.items.find((x) => x.body_code === 'B330281-SCJG').items_overdue, 1);
	const own = await env.get('/api/v1/board', coordB);
	assert.equal(own.json.region, '330281');
	assert.deepEqual(own.json.items.map((x) => x.body_code), ['B330281-SCJG']);
	expectError(assert, await env.get('/api/v1/board?region=330282', coordB), 404, 'not_found');
	// The export has the same rows.
	const xlsx = await env.get('/api/v1/board?region=330282&format=xlsx', coord);
	assert.equal(xlsx.status, 200);
	assert.equal(xlsx.buf.subarray(0, 2).toString('latin1'), 'PK');
});

test('task progress: contradictions refused, never clamped; 100 % is completion with its date; kept as history', async () => {
	let r = await env.post('/api/v1/assignments', coord, { indicator: '7.27.2', body: 'B330282-SCJG', role: 'lead', due_date: addDays(today, 20),
		content: '制定行政执法案卷评查方案并组织实施', requirements: '每季度报送一次进展，年底前完成评查报告' });
	assert.equal(r.status, 201, r.text);
	const t = r.json;
	assert.equal(t.content, '制定行政执法案卷评查方案并组织实施');
	assert.equal(t.requirements, '每季度报送一次进展，年底前完成评查报告');
	const p = (body) => env.patch(`/api/v1/assignments/${t.id}`, dept, body);
	for (const bad of [-1, 101, 150, 3.5]) {
		const e = await p({ progress: bad });
		expectError(assert, e, 422, 'invalid', 'progress');
		assert.match(e.json.error.message, /^进度应为 0 到 100 的整数/);
		assert.doesNotMatch(e.json.error.message, /progress/, 'the field by its Chinese label only');
	}
	expectError(assert, await p({ done: true, progress: 80 }), 422, 'invalid', 'progress');
	expectError(assert, await p({ done: false, progress: 100 }), 422, 'invalid', 'progress');
	r = await p({ progress: 30, note: '方案已起草' });
	assert.equal(r.json.progress, 30);
	r = await p({ progress: 100, note: '评查报告已印发' });
	assert.equal(r.json.done_date, today, '100 % is completion, dated today');
	assert.equal(r.json.status, 'closed_on_time');
	const lower = await p({ progress: 90 });
	expectError(assert, lower, 422, 'invalid', 'done');
	assert.match(lower.json.error.message, new RegExp(`任务已于 ${today} 完成`));
	expectError(assert, await p({ done: false }), 422, 'invalid', 'progress');
	r = await p({ done: false, progress: 90, note: '补充材料' });
	assert.equal(r.json.done_date, null);
	r = await env.get(`/api/v1/assignments/${t.id}`, coord);
	assert.deepEqual(r.json.history.map((h) => [h.progress, h.done_date, h.note]),
		[[30, null, '方案已起草'], [100, today, '评查报告已印发'], [90, null, '补充材料']]);
	assert.ok(r.json.history.every((h) => h.reported_by && h.reported_at > 0));
	expectError(assert, await env.post('/api/v1/assignments', coord, { indicator: '7.27.3', body: 'B330282-SCJG', role: 'lead', due_date: today, content: 'x'.repeat(2001) }), 422, 'invalid', 'content');
});
