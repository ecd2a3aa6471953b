// records_import.test.mjs — POST /api/v1/registers/{reg}/records/import:
// a CSV file (BOM, Chinese headers, quoted commas and line breaks) imports
// every row, listed afterwards with its values and one audit entry; a bad
// row answers 422 naming the row and nothing is written; a body outside
// the caller's scope is a row error (audited as a refusal); JSON Lines by
// its content type; other content types refused. Field rules apply to
// imported rows; back-dated history is a coordinator's act; a row cap per
// request (413, pointing to the CLI); `fazhi records import` in batched
// transactions; each import's audit entry holds the file's SM3 digest,
// the row count and the id range, and each record links to its import.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';

import { expectError, setup, todayCst, writeTemp } from './harness.mjs';

const IMP = '/api/v1/registers/rectification/records/import';
const LIST = '/api/v1/registers/rectification/records';
const HEAD = '责任单位,起算日期,问题来源,问题描述,整改期限,整改措施';

let env, coord, coordA, dept;
const MAX_ROWS = 20;

before(async () => {
	env = await setup({ settings: { import_max_rows: MAX_ROWS, import_batch_rows: 100 } });
	coord = await env.login('coord');
	coordA = await env.login('coord_a');
	dept = await env.login('dept_a');
});

const sm3 = (buf) => createHash('sm3').update(buf).digest('hex');
after(async () => { await env?.close(); });

function upload(sess, body, contentType = 'text/csv; charset=utf-8', path = IMP) {
	return env.req('POST', path, { sess, body, contentType });
}

async function total() {
	const r = await env.get(`${LIST}?limit=1`, coord);
	assert.equal(r.status, 200, r.text);
	return r.json.total;
}

test('a good CSV file imports every row: 200 {"imported":N}, the records listed with their values', async () => {
	const csv = '\uFEFF' + HEAD + '\r\n' +
		'B330282-SCJG,2024/3/5,法治督察,"导入甲, 含逗号",2024-06-30,"第一步\n第二步 ""加引号"""\r\n' +
		'B330281-SCJG,2024-03-06,案卷评查,导入乙,2024/7/1,\r\n';
	const r = await upload(coord, Buffer.from(csv, 'utf8'));
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.imported, 2);
	assert.equal(r.json.sm3, sm3(Buffer.from(csv, 'utf8')));
	assert.equal(r.json.last_id - r.json.first_id >= 1, true, r.text);

	const a = await env.get(`${LIST}?q=${encodeURIComponent('导入甲')}`, coord);
	assert.equal(a.json.total, 1, a.text);
	const rec = a.json.items[0];
	assert.equal(rec.title, '导入甲, 含逗号');
	assert.equal(rec.state, 'pending');
	assert.equal(rec.start_date, '2024-03-05');
	assert.equal(rec.due_date, '2024-06-30');
	assert.equal(rec.body_name, '慈溪市市场监督管理局');
	assert.deepEqual(rec.data, { source: '法治督察', issue: '导入甲, 含逗号', deadline: '2024-06-30',
		measures: '第一步\n第二步 "加引号"' });
	const b = await env.get(`${LIST}?q=${encodeURIComponent('导入乙')}`, coord);
	assert.equal(b.json.items[0].due_date, '2024-07-01');
	assert.equal(b.json.items[0].body_name, '余姚市市场监督管理局');

	const audit = await env.audit({ action: 'import', entity: 'rectification' });
	assert.equal(audit.length, 1, JSON.stringify(audit));
	assert.equal(audit[0].actor, 'coord');
	const detail = JSON.parse(audit[0].detail);
	assert.equal(detail.records, 2);
	// The file's digest, the id range and the import the records link to.
	assert.equal(detail.sm3, sm3(Buffer.from(csv, 'utf8')));
	assert.deepEqual([detail.import_id, detail.first_id, detail.last_id], [r.json.import_id, r.json.first_id, r.json.last_id]);
	assert.equal(await env.sql(`SELECT COUNT(*) FROM records WHERE import_id = ${r.json.import_id}`), '2');
	assert.equal(await env.sql(`SELECT COUNT(*) FROM records WHERE import_id = ${r.json.import_id} AND id BETWEEN ${r.json.first_id} AND ${r.json.last_id}`), '2');
	assert.equal(await env.sql(`SELECT register, source, sm3, row_count, status FROM imports WHERE id = ${r.json.import_id}`),
		`rectification|api|${detail.sm3}|2|done`);
});

test('bad rows: 422 import_failed naming each row (as Excel numbers them) and nothing written', async () => {
	const before = await total();
	const csv = HEAD + '\n' +
		'B330282-SCJG,2024-03-05,法治督察,"好的一行\n占两行",2024-06-30,\n' +
		'B330282-SCJG,2024-03-05,乱填,坏的来源,2024-06-30,\n' +
		'B330282-SCJG,2024-03-05,其他,又一条,2024-02-30,\n';
	const r = await upload(coord, csv);
	expectError(assert, r, 422, 'import_failed');
	assert.match(r.json.error.message, /未导入任何记录/);
	assert.deepEqual(r.json.rows.map((x) => [x.line, x.field]), [[3, 'source'], [4, 'deadline']]);
	assert.match(r.json.rows[0].message, /乱填/);
	assert.equal(await total(), before, 'nothing imported');
});

test('file-level faults: unknown column, GBK text, broken quoting; the same 422 shape', async () => {
	let r = await upload(coord, HEAD + ',备注\nB330282-SCJG,2024-03-05,其他,x,2024-06-30,,y\n');
	expectError(assert, r, 422, 'import_failed');
	assert.deepEqual(r.json.rows.map((x) => [x.line, x.field]), [[1, '备注']]);
	assert.match(r.json.rows[0].message, /未知的列“备注”/);
	// 其他 in GBK, as Excel on Chinese Windows saves it.
	const gbk = Buffer.concat([Buffer.from('body,start_date,source,issue,deadline\nB330282-SCJG,2024-03-05,'),
		Buffer.from([0xC6, 0xE4, 0xCB, 0xFB]), Buffer.from(',x,2024-06-30\n')]);
	r = await upload(coord, gbk);
	expectError(assert, r, 422, 'import_failed');
	assert.match(r.json.rows[0].message, /UTF-8/);
	r = await upload(coord, HEAD + '\nB330282-SCJG,2024-03-05,其他,"未闭合,2024-06-30,\n');
	expectError(assert, r, 422, 'import_failed');
	assert.match(r.json.rows[0].message, /引号/);
});

test('scope: a body outside the caller\'s scope is a row error, audited as a refusal; nothing written', async () => {
	const before = await total();
	const csv = HEAD + '\n' +
		'B330282-SCJG,2024-03-05,其他,本县单位,2024-06-30,\n' +
		'B330281-SCJG,2024-03-05,其他,外县单位,2024-06-30,\n' +
		'B330282-ZHZF,2024-03-05,其他,同县他单位,2024-06-30,\n';
	const r = await upload(coordA, csv);
	expectError(assert, r, 422, 'import_failed');
	assert.deepEqual(r.json.rows.map((x) => [x.line, x.field]), [[3, 'body']]);
	assert.match(r.json.rows[0].message, /不在您的管辖范围内/);
	assert.equal(await total(), before);
	const refusals = await env.audit({ action: 'import', result: 'refused' });
	assert.equal(refusals.length, 1, JSON.stringify(refusals));
	assert.equal(refusals[0].actor, 'coord_a');
	// Its own county alone goes in.
	const ok = await upload(coordA, HEAD + '\nB330282-SCJG,2024-03-05,其他,本县导入,2024-06-30,\n');
	assert.equal(ok.status, 200, ok.text);
	assert.equal(await total(), before + 1);
});

test('field rules apply to imported rows: a body cannot import items with the deadline it would set itself', async () => {
	const before = await total();
	const r = await upload(dept, HEAD + '\nB330282-SCJG,2024-03-05,其他,本单位自定期限,2099-12-31,\n');
	expectError(assert, r, 422, 'import_failed');
	// Every field the body may not give, each refused in its own words.
	assert.ok(r.json.rows.some((x) => x.field === 'deadline' && /^无权填写整改期限/.test(x.message)), r.text);
	assert.ok(r.json.rows.every((x) => x.line === 2 && /^无权填写/.test(x.message) && x.code === 'field_forbidden'), r.text);
	assert.equal(r.json.bad, 1);
	assert.equal(await total(), before);
	const refusals = await env.audit({ action: 'import', result: 'refused' });
	assert.ok(refusals.some((x) => x.actor === 'dept_a'), JSON.stringify(refusals));
});

test('back-dated history is a coordinator\'s act: others refused (audited), a coordinator\'s import counts it', async () => {
	const today = todayCst();
	const row = (issue) => JSON.stringify({ body: 'B330282-SCJG', start_date: '2024-03-05',
		data: { source: '其他', issue, deadline: '2024-06-30' },
		history: [{ transition: 'request_close', date: '2024-04-01', data: { measures: 'm', result: 'r' } },
			{ transition: 'close', date: '2024-04-05' }] }) + '\n';
	const before = await total();
	let r = await upload(dept, row('倒签历史（责任单位）'), 'application/x-ndjson');
	expectError(assert, r, 422, 'import_failed');
	// The history first; the fields the body may not give follow.
	assert.deepEqual([r.json.rows[0].line, r.json.rows[0].field, r.json.rows[0].label], [1, 'history', '办理历史']);
	assert.match(r.json.rows[0].message, /补录历史.*只能由协调员/);
	assert.ok(r.json.rows.slice(1).every((x) => x.code === 'field_forbidden'), r.text);
	assert.equal(await total(), before);
	const refused = await env.audit({ action: 'import', result: 'refused' });
	assert.ok(refused.some((x) => x.actor === 'dept_a' && /补录历史/.test(x.detail)), JSON.stringify(refused));
	// History dated today is not back-dating (its steps still follow the field rules).
	const todays = JSON.stringify({ body: 'B330282-SCJG', start_date: '2024-03-05',
		data: { source: '其他', issue: '今日历史', deadline: '2024-06-30' },
		history: [{ transition: 'start', date: today }] }) + '\n';
	r = await upload(coordA, todays, 'application/x-ndjson');
	assert.equal(r.status, 200, r.text);
	r = await upload(coord, row('倒签历史（协调员）'), 'application/x-ndjson');
	assert.equal(r.status, 200, r.text);
	const rec = (await env.get(`${LIST}?q=${encodeURIComponent('倒签历史（协调员）')}`, coord)).json.items[0];
	assert.equal(rec.closed_date, '2024-04-05');
	assert.equal(rec.deadline_status, 'closed_on_time');
	const audit = (await env.audit({ action: 'import', entity: 'rectification', result: 'ok' }))
		.map((x) => JSON.parse(x.detail)).find((d) => d.import_id === r.json.import_id);
	assert.equal(audit.backdated, 2);
	assert.equal(await env.sql(`SELECT backdated FROM imports WHERE id = ${r.json.import_id}`), '2');
});

test(`a request holds at most import_max_rows (${MAX_ROWS}) rows: 413 pointing to the CLI, nothing imported`, async () => {
	const rows = (n, tag) => Array.from({ length: n }, (_, i) => `B330282-SCJG,2024-03-05,其他,${tag} ${i},2024-06-30,`).join('\n');
	const before = await total();
	const r = await upload(coord, HEAD + '\n' + rows(MAX_ROWS + 1, '超限'));
	expectError(assert, r, 413, 'too_many_rows');
	assert.match(r.json.error.message, new RegExp(`${MAX_ROWS} 行`));
	assert.match(r.json.error.message, /fazhi records import/);
	assert.equal(await total(), before);
	const ok = await upload(coord, HEAD + '\n' + rows(MAX_ROWS, '上限内'));
	assert.equal(ok.status, 200, ok.text);
	assert.equal(await total(), before + MAX_ROWS);
});

test('`fazhi records import`: every row checked first, then batched transactions; digest, count and id range audited', async () => {
	const n = 250; // import_batch_rows 100: three batches
	const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ body: i % 2 ? 'B330282-SCJG' : 'B330281-SCJG',
		start_date: '2024-03-05', data: { source: '其他', issue: `命令行导入 ${i}`, deadline: '2024-06-30' },
		history: i % 5 ? [] : [{ transition: 'start', date: '2024-03-10' }] })).join('\n') + '\n';
	const before = await total();
	// A bad row near the end: nothing at all is written.
	const bad = lines.replace('命令行导入 240","deadline":"2024-06-30"', '命令行导入 240","deadline":"2024-02-30"');
	let r = await env.fazhi(['records', 'import', '--db', env.uri, '--register', 'rectification', writeTemp(env, 'bad.jsonl', bad)]);
	assert.equal(r.code, 1, r.stdout + r.stderr);
	assert.match(r.stderr, /第 241 行/);
	assert.equal(await total(), before);
	const file = writeTemp(env, 'big.jsonl', lines);
	r = await env.fazhi(['records', 'import', '--db', env.uri, '--register', 'rectification', file]);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	assert.equal(await total(), before + n);
	const entry = (await env.audit({ action: 'import', entity: 'rectification', result: 'ok' }))
		.map((x) => JSON.parse(x.detail)).find((d) => d.source === 'cli');
	assert.ok(entry, 'the CLI import is audited');
	assert.equal(entry.records, n);
	assert.equal(entry.batches, 3);
	assert.equal(entry.backdated, n / 5);
	assert.equal(entry.sm3, sm3(Buffer.from(lines)));
	assert.equal(await env.sql(`SELECT COUNT(*) FROM records WHERE import_id = ${entry.import_id} AND id BETWEEN ${entry.first_id} AND ${entry.last_id}`), String(n));
	assert.equal(await env.sql(`SELECT row_count || '|' || status FROM imports WHERE id = ${entry.import_id}`), `${n}|done`);
});

test('JSON Lines by content type; other types 415; unknown register 404; read-only roles 403', async () => {
	const line = JSON.stringify({ body: 'B330282-SCJG', start_date: '2024-03-05',
		data: { source: '其他', issue: 'JSON 行导入', deadline: '2024-06-30' } });
	let r = await upload(coord, line + '\n', 'application/x-ndjson');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.imported, 1);
	r = await upload(coord, '{"body":"B330282-SCJG"}\n', 'application/jsonl');
	expectError(assert, r, 422, 'import_failed');
	// Every missing value of the line, not just the first.
	assert.deepEqual(r.json.rows.map((x) => [x.line, x.field, x.label]),
		[[1, 'start_date', '起算日期'], [1, 'source', '问题来源'], [1, 'issue', '问题描述'], [1, 'deadline', '整改期限']]);
	expectError(assert, await upload(coord, line, 'application/json'), 415, 'unsupported_media_type');
	expectError(assert, await upload(coord, line, 'text/csv', '/api/v1/registers/nosuch/records/import'), 404, 'not_found');
	const auditor = await env.login('auditor');
	expectError(assert, await upload(auditor, HEAD + '\n'), 403, 'forbidden');
});
