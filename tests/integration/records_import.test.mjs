// records_import.test.mjs — POST /api/v1/registers/{reg}/records/import:
// a CSV file (BOM, Chinese headers, quoted commas and line breaks) imports
// every row, listed afterwards with its values and one audit entry; a bad
// row answers 422 naming the row and nothing is written; a body outside
// the caller's scope is a row error (audited as a refusal); JSON Lines by
// its content type; other content types refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { expectError, setup } from './harness.mjs';

const IMP = '/api/v1/registers/rectification/records/import';
const LIST = '/api/v1/registers/rectification/records';
const HEAD = '责任单位,起算日期,问题来源,问题描述,整改期限,整改措施';

let env, coord, dept;

before(async () => {
	env = await setup();
	coord = await env.login('coord');
	dept = await env.login('dept_a');
});
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
	assert.deepEqual(r.json, { imported: 2 });

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
	assert.equal(JSON.parse(audit[0].detail).records, 2);
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
		'B330282-SCJG,2024-03-05,其他,本单位,2024-06-30,\n' +
		'B330281-SCJG,2024-03-05,其他,外县单位,2024-06-30,\n' +
		'B330282-ZHZF,2024-03-05,其他,同县他单位,2024-06-30,\n';
	const r = await upload(dept, csv);
	expectError(assert, r, 422, 'import_failed');
	assert.deepEqual(r.json.rows.map((x) => [x.line, x.field]), [[3, 'body'], [4, 'body']]);
	assert.match(r.json.rows[0].message, /不在您的管辖范围内/);
	assert.equal(await total(), before);
	const refusals = await env.audit({ action: 'import', result: 'refused' });
	assert.equal(refusals.length, 1, JSON.stringify(refusals));
	assert.equal(refusals[0].actor, 'dept_a');
	// Its own body alone goes in.
	const ok = await upload(dept, HEAD + '\nB330282-SCJG,2024-03-05,其他,本单位导入,2024-06-30,\n');
	assert.equal(ok.status, 200, ok.text);
	assert.equal(await total(), before + 1);
});

test('JSON Lines by content type; other types 415; unknown register 404; read-only roles 403', async () => {
	const line = JSON.stringify({ body: 'B330282-SCJG', start_date: '2024-03-05',
		data: { source: '其他', issue: 'JSON 行导入', deadline: '2024-06-30' } });
	let r = await upload(coord, line + '\n', 'application/x-ndjson');
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json, { imported: 1 });
	r = await upload(coord, '{"body":"B330282-SCJG"}\n', 'application/jsonl');
	expectError(assert, r, 422, 'import_failed');
	assert.deepEqual(r.json.rows.map((x) => [x.line, x.field]), [[1, 'start_date']]);
	expectError(assert, await upload(coord, line, 'application/json'), 415, 'unsupported_media_type');
	expectError(assert, await upload(coord, line, 'text/csv', '/api/v1/registers/nosuch/records/import'), 404, 'not_found');
	const auditor = await env.login('auditor');
	expectError(assert, await upload(auditor, HEAD + '\n'), 403, 'forbidden');
});
