// records_xlsx.test.mjs — importing register records from Excel, as people
// do it: an .xlsx that LibreOffice Calc (a real Excel-compatible producer)
// made from a table imports, its bodies named as the console shows them and
// its dates as Excel dates; a body name unknown, shared by two bodies in
// scope, or outside the caller's scope (answered exactly as unknown) is a
// row error naming the candidates; a row's every error is reported, each
// with its column's Chinese label and no identifier; a file named .xlsx
// that is not one, an old or locked workbook, a part inflating past the
// cap (honestly declared, or lying in its header) are refused with
// bad_xlsx / too_large; the import template (GET …/import-template.xlsx)
// lists the caller's columns and bodies and, filled in, imports; CSV takes
// names too; `fazhi records import` reads .xlsx.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { expectError, run, setup, unzip, writeTemp, zip } from './harness.mjs';

const IMP = '/api/v1/registers/rectification/records/import';
const LIST = '/api/v1/registers/rectification/records';
const TEMPLATE = '/api/v1/registers/rectification/import-template.xlsx';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEAD = '责任单位,起算日期,问题来源,问题描述,整改期限,整改措施';
const IDENTIFIERS = /\b(body|start_date|source|issue|deadline|measures|indicator)\b/;

let env, coord, coordA;

before(async () => {
	env = await setup({ settings: { import_max_rows: 50 } });
	// Two bodies named 司法局, one in each county: a name the city's
	// coordinator must qualify with a code, and 慈溪市's need not.
	const file = writeTemp(env, 'same-name.jsonl', [
		{ type: 'body', code: 'B330282-SFJ', name: '司法局', kind: 'department', region: '330282', parent: 'B330282-GOV' },
		{ type: 'body', code: 'B330281-SFJ', name: '司法局', kind: 'department', region: '330281', parent: 'B330281-GOV' },
	].map((o) => JSON.stringify(o)).join('\n') + '\n');
	const r = await env.fazhi(['import', '--db', env.uri, file]);
	assert.equal(r.code, 0, r.stderr);
	coord = await env.login('coord');
	coordA = await env.login('coord_a');
});
after(async () => { await env?.close(); });

function upload(sess, body, { type = XLSX, filename } = {}) {
	const q = filename ? `?filename=${encodeURIComponent(filename)}` : '';
	return env.req('POST', IMP + q, { sess, body, contentType: type });
}

async function records(q) {
	const r = await env.get(`${LIST}?q=${encodeURIComponent(q)}`, coord);
	assert.equal(r.status, 200, r.text);
	return r.json.items;
}

async function total() {
	return (await env.get(`${LIST}?limit=1`, coord)).json.total;
}

/** The .xlsx LibreOffice Calc makes of a CSV text (UTF-8, comma, quote). */
async function calcXlsx(name, csv) {
	const src = writeTemp(env, `${name}.csv`, csv);
	const r = await run('soffice', ['--headless', `-env:UserInstallation=file://${join(env.dir, 'lo')}`,
		'--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx', '--outdir', env.dir, src], { timeout: 60000 });
	assert.equal(r.code, 0, `soffice: ${r.stdout}${r.stderr}`);
	assert.doesNotMatch(r.stdout + r.stderr, /could not be loaded/,
		'LibreOffice Calc is needed (scripts/deps.sh test installs libreoffice-calc-nogui)');
	return readFileSync(join(env.dir, `${name}.xlsx`));
}

/** A minimal workbook made by hand: the first sheet's XML given. */
function workbook(sheetXml, declare) {
	return zip({
		'[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
		'xl/workbook.xml': '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
			+ ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
			+ '<sheets><sheet name="导入" sheetId="1" r:id="rId1"/></sheets></workbook>',
		'xl/_rels/workbook.xml.rels': '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
			+ '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
			+ ' Target="worksheets/sheet1.xml"/></Relationships>',
		'xl/worksheets/sheet1.xml': sheetXml,
	}, { declare });
}

test('an .xlsx made by LibreOffice Calc imports: bodies by their displayed name, Excel dates, numbers as text', async () => {
	const xlsx = await calcXlsx('good', HEAD + '\n' +
		'慈溪市市场监督管理局,2024-03-05,法治督察,表格导入甲,2024-06-30,"第一步\n第二步"\n' +
		'B330281-SCJG,2024-03-06,案卷评查,12345,2024-07-01,\n');
	assert.equal(xlsx.subarray(0, 2).toString(), 'PK');
	// Calc stores the dates as serial numbers (a date-formatted number cell).
	assert.match(unzip(xlsx)['xl/worksheets/sheet1.xml'].toString(), /<c r="B2"[^>]*><v>45356<\/v>/);
	const r = await upload(coord, xlsx, { filename: '整改台账.xlsx' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.imported, 2);
	const [a] = await records('表格导入甲');
	assert.equal(a.body_name, '慈溪市市场监督管理局');
	assert.equal(a.start_date, '2024-03-05');
	assert.equal(a.due_date, '2024-06-30');
	assert.deepEqual(a.data, { source: '法治督察', issue: '表格导入甲', deadline: '2024-06-30', measures: '第一步\n第二步' });
	const [b] = await records('12345');
	assert.equal(b.body_name, '余姚市市场监督管理局');
	assert.equal(b.data.issue, '12345');
	assert.equal(await env.sql(`SELECT filename FROM imports WHERE id = ${r.json.import_id}`), '整改台账.xlsx');
});

test('body names: ambiguous lists the candidates; unknown and out-of-scope answered alike; in scope resolves', async () => {
	const before = await total();
	const xlsx = await calcXlsx('names', HEAD + '\n' +
		'司法局,2024-03-05,其他,同名单位,2024-06-30,\n' +
		'没有这个局,2024-03-05,其他,未知单位,2024-06-30,\n');
	let r = await upload(coord, xlsx);
	expectError(assert, r, 422, 'import_failed');
	assert.deepEqual(r.json.rows.map((x) => [x.line, x.field, x.label, x.code]),
		[[2, 'body', '责任单位', 'ambiguous_body'], [3, 'body', '责任单位', 'invalid']]);
	assert.equal(r.json.rows[0].message,
		'「司法局」有 2 个同名单位：司法局（余姚市，B330281-SFJ）、司法局（慈溪市，B330282-SFJ），请填写单位编码');
	assert.match(r.json.rows[1].message, /^责任单位“没有这个局”不存在/);
	assert.equal(await total(), before);

	// 慈溪市's coordinator sees one 司法局 (its own); 余姚市's body by name is
	// outside its scope and answered exactly as a name that does not exist.
	const csv = HEAD + '\n' +
		'司法局,2024-03-05,其他,县内同名,2024-06-30,\n' +
		'余姚市市场监督管理局,2024-03-05,其他,外县名称,2024-06-30,\n' +
		'没有这个局,2024-03-05,其他,未知名称,2024-06-30,\n';
	r = await upload(coordA, csv, { type: 'text/csv' });
	expectError(assert, r, 422, 'import_failed');
	assert.deepEqual(r.json.rows.map((x) => x.line), [3, 4]);
	const [outside, unknown] = r.json.rows;
	assert.deepEqual({ ...outside, line: 0, message: outside.message.replace('余姚市市场监督管理局', 'X') },
		{ ...unknown, line: 0, message: unknown.message.replace('没有这个局', 'X') });
	assert.doesNotMatch(outside.message, /管辖|余姚市，/);

	r = await upload(coordA, HEAD + '\n司法局,2024-03-05,其他,县内同名单位,2024-06-30,\n', { type: 'text/csv' });
	assert.equal(r.status, 200, r.text);
	assert.equal((await records('县内同名单位'))[0].body_name, '司法局');
	assert.equal(await env.sql(`SELECT b.code FROM records r JOIN bodies b ON b.id = r.body_id WHERE r.title = '县内同名单位'`),
		'B330282-SFJ');
	// The code still works, and so does a name in CSV for the whole city.
	r = await upload(coord, HEAD + '\nB330281-SFJ,2024-03-05,其他,按编码,2024-06-30,\n'
		+ '慈溪市综合行政执法局,2024-03-05,其他,按名称,2024-06-30,\n', { type: 'text/csv' });
	assert.equal(r.status, 200, r.text);
	assert.equal((await records('按名称'))[0].body_name, '慈溪市综合行政执法局');
	// The same resolution serves a record entered one at a time.
	const one = (sess, body, issue) => env.post(LIST, sess, { body, start_date: '2024-03-05',
		data: { source: '其他', issue, deadline: '2024-06-30' } });
	r = await one(coord, '司法局', '逐条同名');
	expectError(assert, r, 422, 'ambiguous_body', 'body');
	r = await one(coordA, '司法局', '逐条按名称');
	assert.equal(r.status, 201, r.text);
	expectError(assert, await one(coordA, '余姚市市场监督管理局', '逐条外县'), 422, 'invalid', 'body');
});

test('every error of a row is reported, each naming its column by its Chinese label', async () => {
	const before = await total();
	const sheet = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
		+ '<row r="1">' + HEAD.split(',').map((h, i) => `<c r="${'ABCDEF'[i]}1" t="inlineStr"><is><t>${h}</t></is></c>`).join('') + '</row>'
		+ '<row r="2"><c r="A2" t="inlineStr"><is><t>慈溪市市场监督管理局</t></is></c><c r="B2"><v>45356</v></c>'
		+ '<c r="C2" t="inlineStr"><is><t>其他</t></is></c><c r="D2" t="inlineStr"><is><t>好的一行</t></is></c>'
		+ '<c r="E2"><v>45473</v></c></row>'
		// Row 4 (row 3 left empty): a bad body, a bad choice, no 问题描述, a bad date.
		+ '<row r="4"><c r="A4" t="inlineStr"><is><t>无此单位</t></is></c><c r="B4"><v>45356</v></c>'
		+ '<c r="C4" t="inlineStr"><is><t>乱填</t></is></c><c r="E4" t="inlineStr"><is><t>2024-02-30</t></is></c></row>'
		+ '</sheetData></worksheet>';
	const r = await upload(coord, workbook(sheet));
	expectError(assert, r, 422, 'import_failed');
	assert.equal(r.json.bad, 1);
	assert.deepEqual(r.json.rows.map((x) => [x.line, x.field, x.label]).sort(),
		[[4, 'body', '责任单位'], [4, 'deadline', '整改期限'], [4, 'issue', '问题描述'], [4, 'source', '问题来源']]);
	for (const row of r.json.rows) {
		assert.ok(row.message.includes(row.label), row.message);
		assert.doesNotMatch(row.message, IDENTIFIERS, row.message);
	}
	assert.match(r.json.rows.find((x) => x.field === 'source').message, /问题来源的取值“乱填”不在可选范围内（可选：/);
	assert.equal(await total(), before);
});

test('not an .xlsx: a text file named .xlsx, an old or password-protected workbook, a damaged archive', async () => {
	const before = await total();
	let r = await upload(coord, HEAD + '\n', { type: 'application/octet-stream', filename: '台账.xlsx' });
	expectError(assert, r, 422, 'import_failed');
	assert.equal(r.json.rows[0].code, 'bad_xlsx');
	assert.match(r.json.rows[0].message, /^不是有效的 Excel（\.xlsx）文件：/);
	r = await upload(coord, Buffer.from('\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1' + 'x'.repeat(600), 'latin1'));
	assert.equal(r.json.rows[0].code, 'bad_xlsx');
	assert.match(r.json.rows[0].message, /旧版 Excel（\.xls）文件或设置了打开密码/);
	const good = workbook('<worksheet/>');
	r = await upload(coord, good.subarray(0, good.length - 40));
	assert.equal(r.json.rows[0].code, 'bad_xlsx');
	r = await upload(coord, workbook('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>责任单位</t></is></x>'));
	assert.equal(r.json.rows[0].code, 'bad_xlsx', r.text);
	assert.match(r.json.rows[0].message, /Excel 文件已损坏（xl\/worksheets\/sheet1\.xml 第 1 行/);
	// A generic type with a .csv name is still CSV; an unknown type and name 415.
	r = await upload(coord, HEAD + '\n没有这个局,2024-03-05,其他,x,2024-06-30,\n', { type: 'application/vnd.ms-excel', filename: 'a.csv' });
	expectError(assert, r, 422, 'import_failed');
	assert.deepEqual(r.json.rows.map((x) => [x.line, x.field]), [[2, 'body']]);
	expectError(assert, await upload(coord, 'x', { type: 'application/octet-stream', filename: 'a.doc' }), 415,
		'unsupported_media_type');
	assert.equal(await total(), before);
});

test('a part that inflates past the cap is refused: declared in its header, or found while reading', async () => {
	const spaces = Buffer.alloc(260 << 20, 32); // 260 MiB of whitespace deflates to ~260 KiB
	const sheet = Buffer.concat([Buffer.from('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'),
		spaces, Buffer.from('</sheetData></worksheet>')]);
	const honest = workbook(sheet);
	assert.ok(honest.length < 1 << 20, `${honest.length} bytes`);
	let r = await upload(coord, honest);
	expectError(assert, r, 422, 'import_failed');
	assert.deepEqual([r.json.rows[0].code, r.json.rows[0].line], ['too_large', 1]);
	assert.match(r.json.rows[0].message, /xl\/worksheets\/sheet1\.xml 解压后超过 256 MB 上限/);
	// The header says 1000 bytes: counting what actually inflates stops it.
	r = await upload(coord, workbook(sheet, { 'xl/worksheets/sheet1.xml': 1000 }));
	assert.equal(r.json.rows[0].code, 'too_large', r.text);
});

test('the import template: the caller\'s columns with their rules, its bodies; filled in, it imports', async () => {
	const r = await env.get(TEMPLATE, coordA);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.headers.get('content-type'), XLSX);
	const parts = unzip(r.buf);
	const wb = parts['xl/workbook.xml'].toString();
	assert.deepEqual([...wb.matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]), ['整改台账', '单位名单', '填写说明']);
	const strings = parts['xl/sharedStrings.xml'].toString();
	for (const label of HEAD.split(','))
		assert.ok(strings.includes(`<t>${label}</t>`), label);
	// Rules as comments; the choices as a drop-down.
	const comments = Object.entries(parts).find(([k]) => /^xl\/comments\d+\.xml$/.test(k))[1].toString();
	assert.match(comments, /有同名单位时须填写单位编码/);
	assert.match(comments, /从下拉列表中选择：指标短板、法治督察、/);
	assert.match(parts['xl/worksheets/sheet1.xml'].toString(), /<dataValidation type="list"/);
	// 单位名单: 慈溪市's bodies only.
	assert.ok(strings.includes('慈溪市市场监督管理局') && strings.includes('B330282-SFJ'));
	assert.ok(!strings.includes('余姚市') && !strings.includes('B330281'), 'no body outside the scope');
	const audit = (await env.audit({ action: 'export', entity: 'rectification' })).map((x) => JSON.parse(x.detail));
	assert.ok(audit.some((d) => d.template === 'import' && d.bodies === 4), JSON.stringify(audit));

	// Filled in as Excel would: a row under the header, each value in the
	// column whose header has its label (dates as serial numbers).
	const sheetName = 'xl/worksheets/sheet1.xml';
	const shared = [...strings.matchAll(/<si><t[^>]*>([^<]*)<\/t><\/si>/g)].map((m) => m[1]);
	const columnOf = Object.fromEntries([...parts[sheetName].toString().matchAll(/<c r="([A-Z]+)1"[^>]*t="s"[^>]*><v>(\d+)<\/v>/g)]
		.map((m) => [shared[Number(m[2])], m[1]]));
	const text = (label, s) => `<c r="${columnOf[label]}2" t="inlineStr"><is><t>${s}</t></is></c>`;
	const serial = (label, n) => `<c r="${columnOf[label]}2"><v>${n}</v></c>`;
	const cells = [text('责任单位', '司法局'), serial('起算日期', 45390), text('问题来源', '其他'), text('问题描述', '模板回填'),
		serial('整改期限', 45473)].sort((a, b) => /r="([A-Z]+)/.exec(a)[1].localeCompare(/r="([A-Z]+)/.exec(b)[1]));
	const filled = parts[sheetName].toString().replace('</row>', '</row><row r="2">' + cells.join('') + '</row>');
	assert.notEqual(filled, parts[sheetName].toString());
	const up = await upload(coordA, zip({ ...parts, [sheetName]: filled }), { filename: '整改台账导入模板.xlsx' });
	assert.equal(up.status, 200, up.text);
	const [rec] = await records('模板回填');
	assert.equal(rec.body_name, '司法局');
	assert.deepEqual([rec.start_date, rec.due_date], ['2024-04-08', '2024-06-30']);

	expectError(assert, await env.get('/api/v1/registers/nosuch/import-template.xlsx', coord), 404, 'not_found');
	expectError(assert, await env.get(TEMPLATE, await env.login('auditor')), 403, 'forbidden');
});

test('`fazhi records import` reads an .xlsx (by content, whatever its name) with bodies by name', async () => {
	const xlsx = await calcXlsx('cli', HEAD + '\n司法局,2024-03-05,其他,命令行表格,2024-06-30,\n');
	const file = writeTemp(env, 'cli-upload.bin', xlsx);
	let r = await env.fazhi(['records', 'import', '--db', env.uri, '--register', 'rectification', file]);
	assert.equal(r.code, 1, r.stdout + r.stderr); // the system sees both 司法局
	assert.match(r.stderr, /第 2 行（责任单位）: 「司法局」有 2 个同名单位/);
	const fixed = await calcXlsx('cli2', HEAD + '\nB330282-SFJ,2024-03-05,其他,命令行表格,2024-06-30,\n');
	r = await env.fazhi(['records', 'import', '--db', env.uri, '--register', 'rectification',
		writeTemp(env, 'cli2.xlsx', fixed)]);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	assert.equal((await records('命令行表格')).length, 1);
});
