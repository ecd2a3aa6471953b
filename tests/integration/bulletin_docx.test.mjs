// bulletin_docx.test.mjs — the 通报 as a Word document over the demo data:
// GET and POST /api/v1/bulletin.docx answer a .docx that LibreOffice opens
// and converts to an A4 PDF whose text holds the title, every ranked
// region with its total as /evaluation/compare answers it, the overdue
// tasks and items counted from /assignments and the register's list, and
// the issuer's own 按语; GET /api/v1/bulletin answers the same figures as
// JSON; bad input, an unknown region and another county's region are
// refused (and audited); issuing is audited.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { expectError, run, setup, todayCst, unzip } from './harness.mjs';

const Y = todayCst().slice(0, 4);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const ITEMS = '/api/v1/registers/rectification/records';

let env, coord, coordCx, tmp;
const fmt = (n) => String(parseFloat(Number(n).toFixed(2))); // the console's score format

before(async () => {
	env = await setup({ fixture: false, users: [], serve: false });
	const demo = await env.fazhi(['demo', '--db', env.uri, '--enterprises', '20', '--persons', '20', '--officers', '20']);
	assert.equal(demo.code, 0, demo.stderr);
	await env.addUser({ username: 'coord', role: 'coordinator' });
	await env.addUser({ username: 'coord_cx', role: 'coordinator', scope: '330282' }); // 慈溪市
	await env.addUser({ username: 'aud', role: 'auditor' });
	for (const [k, v] of Object.entries({ ip_lock_threshold: 1000, login_rate_per_minute: 100000 }))
		await env.mustFazhi(['settings', 'set', k, String(v), '--db', env.uri]);
	await env.start();
	coord = await env.login('coord');
	coordCx = await env.login('coord_cx');
	tmp = mkdtempSync(join(tmpdir(), 'fazhi-docx-'));
});

after(async () => {
	if (tmp) rmSync(tmp, { recursive: true, force: true });
	await env?.close();
});

let conversions = 0;
/** The .docx converted by LibreOffice (its own profile): {text, flat, info}. */
async function pdfOf(buf) {
	const dir = join(tmp, `c${++conversions}`);
	const file = join(dir, 'bulletin.docx');
	await run('mkdir', ['-p', dir]);
	writeFileSync(file, buf);
	const lo = await run('soffice', ['--headless', `-env:UserInstallation=file://${dir}/lo`, '--convert-to', 'pdf',
		'--outdir', dir, file], { timeout: 60000 });
	assert.equal(lo.code, 0, `soffice: ${lo.stdout}${lo.stderr}`);
	const text = (await run('pdftotext', ['-layout', join(dir, 'bulletin.pdf'), '-'])).stdout;
	const info = (await run('pdfinfo', [join(dir, 'bulletin.pdf')])).stdout;
	return { text, flat: text.replace(/\s+/g, ''), info };
}

/** Every row of a list (200 a page). */
async function all(path, sess) {
	const rows = [];
	for (let page = 1; ; page++) {
		const r = await env.get(`${path}${path.includes('?') ? '&' : '?'}limit=200&page=${page}`, sess);
		assert.equal(r.status, 200, r.text);
		rows.push(...r.json.items);
		if (rows.length >= r.json.total) return rows;
	}
}

const overdueInYear = (rows, status) => rows.filter((x) => x[status] === 'overdue' && x.due_date.startsWith(Y));
const bodies = (rows) => new Set(rows.map((x) => x.body_id)).size;

test('the demo 通报 as .docx: A4, the title, every region with its total, the overdue counts and rows as the API answers them', async () => {
	const r = await env.get(`/api/v1/bulletin.docx?period=${Y}`, coord);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.headers.get('content-type'), DOCX);
	const cd = r.headers.get('content-disposition');
	const star = /filename\*=UTF-8''([^;]+)/.exec(cd);
	assert.ok(star, cd);
	const name = decodeURIComponent(star[1]);
	assert.match(name, /^宁波市依法治市办关于\d{4}年度.*通报\.docx$/);
	assert.match(cd, /filename="[\x20-\x7e]+\.docx"/);

	const { text, flat, info } = await pdfOf(r.buf);
	assert.match(info, /Page size:\s+595\.\d+ x 84[12](\.\d+)? pts/, info);
	assert.ok(flat.includes('宁波市依法治市办文件'), 'the 发文机关标志');
	assert.ok(flat.includes(`关于${Y}年度法治政府建设示范创建工作情况的通报`), 'the title');
	assert.match(flat, /—\d+—/, 'page numbers');

	// 一、the ranking: each region on a line with its total, as /evaluation/compare answers it
	const sys = (await env.get(`/api/v1/bulletin?period=${Y}`, coord)).json.system;
	const cmp = await env.get(`/api/v1/evaluation/compare?period=${Y}&system=${sys}`, coord);
	assert.equal(cmp.status, 200, cmp.text);
	assert.equal(cmp.json.items.length, 10);
	const lines = text.split('\n');
	cmp.json.items.forEach((it, i) => {
		const line = lines.find((l) => new RegExp(`^\\s*${i + 1}\\s+${it.region_name}\\s`).test(l));
		assert.ok(line, `no ranking row for ${i + 1} ${it.region_name}:\n${text}`);
		assert.ok(line.split(/\s+/).includes(fmt(it.total)), `${it.region_name}: ${fmt(it.total)} not in "${line}"`);
	});

	// 二、overdue tasks due in the year, counted from /assignments
	const tasks = overdueInYear(await all(`/api/v1/assignments?system=${sys}`, coord), 'status');
	assert.ok(tasks.length > 0, 'the demo has overdue tasks');
	assert.ok(flat.includes(`共有${bodies(tasks)}个单位的${tasks.length}项逾期未完成`), flat);
	for (const t of tasks) assert.ok(flat.includes(t.due_date), `task ${t.id} due ${t.due_date}`);

	// 三、overdue items due in the year, counted from the register's list
	const items = overdueInYear(await all(`${ITEMS}?status=overdue`, coord), 'deadline_status');
	assert.ok(items.length > 0, 'the demo has overdue items');
	assert.ok(flat.includes(`共有${bodies(items)}个单位的${items.length}项逾期未销号`), flat);
	// each row: its due date on the page, its title (wrapped in its cell there) in the document
	const xml = unzip(r.buf)['word/document.xml'].toString('utf8');
	for (const it of items) {
		assert.ok(flat.includes(it.due_date), `item ${it.id} due ${it.due_date}`);
		assert.ok(xml.includes(`>${it.title}<`), `item ${it.title}`);
	}
	assert.equal((xml.match(/<w:tbl>/g) || []).length, (xml.match(/<w:tblGrid>/g) || []).length, 'every table has its grid');

	// the JSON of the same bulletin: the same figures
	const b = (await env.get(`/api/v1/bulletin?period=${Y}`, coord)).json;
	assert.deepEqual(b.ranking.map((x) => [x.region, x.total]), cmp.json.items.map((x) => [x.region, x.total]));
	assert.equal(b.tasks.total, tasks.length);
	assert.equal(b.items.total, items.length);
	assert.equal(b.issuer, '宁波市依法治市办');
	assert.ok(b.defaults.remarks.includes(`有${tasks.length}项逾期未完成`), b.defaults.remarks);
	assert.match(b.defaults.doc_number, /^〔\d{4}〕/);
	assert.ok(flat.includes(b.defaults.remarks.replace(/\s+/g, '')), 'the default 按语');

	// issuing is audited
	const aud = await env.login('aud');
	const issued = await env.audit({ actor: 'coord', action: 'issue', entity: 'bulletin', result: 'ok' }, aud);
	assert.ok(issued.length >= 1);
});

test('POST: the issuer\'s 按语, 工作要求, 发文字号, 主送机关 and 抄送 are in the document', async () => {
	const body = {
		period: Number(Y), remarks: '这是编辑过的按语：全市示范创建成效明显。', requirements: '（一）抓紧整改。各单位于月底前报送整改情况。',
		doc_number: '甬法治办〔2026〕7号', recipients: '各区（县、市）依法治区（县、市）办', copy_to: '市委办公室，市政府办公室',
	};
	const r = await env.post('/api/v1/bulletin.docx', coord, body);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.headers.get('content-type'), DOCX);
	const { flat } = await pdfOf(r.buf);
	for (const s of [body.remarks, '（一）抓紧整改。各单位于月底前报送整改情况。', body.doc_number, '各区（县、市）依法治区（县、市）办：',
		'抄送：市委办公室，市政府办公室。'])
		assert.ok(flat.includes(s), `${s} not in:\n${flat}`);
	assert.ok(!flat.includes('压实整改责任'), 'the default 工作要求 is replaced');
	// the period as a string, the texts left out: the defaults
	const d = await env.post('/api/v1/bulletin.docx', coord, { period: Y });
	assert.equal(d.status, 200, d.text);
	assert.ok((await pdfOf(d.buf)).flat.includes('压实整改责任'));
});

test('a county coordinator\'s 通报 is its own office\'s, within its county', async () => {
	const r = await env.get(`/api/v1/bulletin?period=${Y}`, coordCx);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.region, '330282');
	assert.equal(r.json.issuer, '慈溪市依法治市办');
	for (const g of [...r.json.tasks.groups, ...r.json.items.groups])
		assert.ok(g.body_name.startsWith('慈溪') || g.body_name.includes('慈溪'), g.body_name);
	const d = await env.get(`/api/v1/bulletin.docx?period=${Y}`, coordCx);
	assert.equal(d.status, 200, d.text);
	assert.ok((await pdfOf(d.buf)).flat.includes('慈溪市依法治市办文件'));
});

test('bad input is refused with the field\'s Chinese label; another county is refused as elsewhere, and audited', async () => {
	expectError(assert, await env.get('/api/v1/bulletin.docx?period=20x5', coord), 400, 'bad_param', 'period');
	let r = await env.post('/api/v1/bulletin.docx', coord, { period: '二〇二五' });
	expectError(assert, r, 422, 'invalid', 'period');
	assert.match(r.json.error.message, /年度/);
	r = await env.post('/api/v1/bulletin.docx', coord, { period: Y, remarks: '长'.repeat(2001) });
	expectError(assert, r, 422, 'invalid', 'remarks');
	assert.match(r.json.error.message, /按语.*2000/);
	r = await env.post('/api/v1/bulletin.docx', coord, { period: Y, doc_number: 7 });
	expectError(assert, r, 422, 'invalid', 'doc_number');
	assert.match(r.json.error.message, /发文字号/);
	expectError(assert, await env.post('/api/v1/bulletin.docx', coord, { period: Y, signer: '张三' }), 400, 'unknown_field');
	expectError(assert, await env.get(`/api/v1/bulletin.docx?period=${Y}&region=330299`, coord), 404, 'not_found', 'region');

	// 余姚市 for 慈溪市's coordinator: the refusal the evaluation gives
	const other = await env.get(`/api/v1/bulletin.docx?period=${Y}&region=330281`, coordCx);
	const evalOther = await env.get(`/api/v1/evaluation?period=${Y}&region=330281`, coordCx);
	expectError(assert, other, 404, 'not_found', 'region');
	assert.equal(other.json.error.message, evalOther.json.error.message);
	expectError(assert, await env.post('/api/v1/bulletin.docx', coordCx, { period: Y, region: '330281' }), 404, 'not_found', 'region');
	expectError(assert, await env.get(`/api/v1/bulletin?period=${Y}&region=330281`, coordCx), 404, 'not_found', 'region');
	const refused = await env.audit({ actor: 'coord_cx', action: 'issue', entity: 'bulletin', result: 'refused' },
		await env.login('aud'));
	assert.ok(refused.some((e) => JSON.parse(e.detail).region === '330281'), JSON.stringify(refused));
});
