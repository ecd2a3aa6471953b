// normdoc.test.mjs — 行政规范性文件 (国办发〔2018〕37号, 115号; the periods
// are the province's settings): only a body on the 制定主体清单 registers
// one; the comment period is at least the province's working days, or the
// reason for none is written; the legality review is due within its
// working days, and without 合法 / 修改后合法 nothing is deliberated or
// issued; issuing numbers the document in its body's series, one number
// one document; 报送备案 is due the province's days after publication; the
// filing review falls to the office the document is filed with; a
// correction ordered is reported and accepted; a document lapses only
// after its validity. 2.6.2, 2.7.1, 2.8.1 and 2.8.2 computed.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { addDays, deadlineCli, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const DOC = '/api/v1/registers/normdoc/records';
const LIST = '/api/v1/registers/doc_issuer/records';
const today = todayCst();
const year = today.slice(0, 4);
let env, coord, coordA, dept, gov;

before(async () => {
	env = await setup({ users: [...defaultUsers(), { username: 'gov_a', role: 'department', scope: '330282', bodies: ['B330282-GOV'] }] });
	coord = await env.login('coord');
	coordA = await env.login('coord_a');
	dept = await env.login('dept_a'); // B330282-SCJG
	gov = await env.login('gov_a');
});
after(async () => { await env?.close(); });

const must = async (p, status = 200) => { const r = await p; assert.equal(r.status, status, r.text); return r.json; };
const move = (sess, id, transition, data) => env.post(`${DOC}/${id}/transitions`, sess, data ? { transition, data } : { transition });
const draft = (sess, body, extra = {}) => env.post(DOC, sess, { body, start_date: addDays(today, -60),
	data: { title: `关于规范某事项的通知${Math.random()}`, drafting_unit: '法规科', summary: '适用范围和办理程序', ...extra } });
const list = (body, prefix) => env.post(LIST, coordA, { body, data: { prefix, basis: '慈政发〔2025〕1号 制定主体清单' } });

test('only a body on the 制定主体清单 registers one; a body listed once, each 发文代字 once', async () => {
	expectError(assert, await draft(dept, 'B330282-SCJG'), 422, 'not_entitled', 'body');
	assert.equal((await env.get(`${DOC}?limit=50`, coordA)).json.total, 0, 'nothing written');
	await must(list('B330282-SCJG', '慈市监规'), 201);
	expectError(assert, await list('B330282-SCJG', '慈市监规二'), 409, 'already_listed');
	expectError(assert, await list('B330282-GOV', '慈市监规'), 409, 'duplicate_prefix', 'prefix');
	await must(list('B330282-GOV', '慈政规'), 201);
	const d = await must(draft(dept, 'B330282-SCJG'), 201);
	assert.equal(d.data.doc_kind, '部门规范性文件');
	assert.ok(d.data.issuer > 0);
});

test('the comment period is at least 7 working days (本省规定, 37号); the review is due 15 working days on (115号)', async () => {
	const d = await must(draft(dept, 'B330282-SCJG'), 201);
	const from = addDays(today, -50);
	const least = await deadlineCli(addDays(from, -1), { workingDays: 7 });
	const short = await move(dept, d.id, 'consult', { consult_from: from, consult_to: addDays(least, -1) });
	expectError(assert, short, 422, 'consult_too_short', 'consult_to');
	assert.match(short.json.error.message, /7 个工作日/);
	const c = await must(move(dept, d.id, 'consult', { consult_from: from, consult_to: least }));
	assert.equal(c.data.consult_ok, '是');
	// Submitted before the comment period ended: dates out of order.
	expectError(assert, await move(dept, d.id, 'submit_review', { review_submitted_on: addDays(least, -1) }), 422, 'invalid',
		'review_submitted_on');
	const sub = addDays(least, 2);
	const r = await must(move(dept, d.id, 'submit_review', { review_submitted_on: sub }));
	assert.equal(r.data.review_due, await deadlineCli(sub, { workingDays: 15 }));
	// The department cannot give its own legality opinion: the office's.
	assert.notEqual((await move(dept, d.id, 'review', { review_opinion: '合法', review_reasons: 'x' })).status, 200);
});

test('without 合法 or 修改后合法 nothing is deliberated; issuing numbers the document in the body\'s series, one number one document', async () => {
	const path = async (extra = {}) => {
		const d = await must(draft(dept, 'B330282-SCJG', { consult_exempt_reason: '内部工作程序，依法不需要公开征求意见', ...extra }), 201);
		assert.equal(d.data.consult_required, '否');
		await must(move(dept, d.id, 'submit_review', { review_submitted_on: addDays(today, -5) }));
		return d.id;
	};
	const a = await path();
	await must(move(coordA, a, 'review', { review_opinion: '不合法', review_reasons: '设定行政许可，超越权限' }));
	const no = await move(dept, a, 'deliberate', { deliberated_on: today, meeting: '局务会议' });
	expectError(assert, no, 409, 'no_legality_opinion');
	assert.match(no.json.error.message, /115号/);
	await must(move(dept, a, 'revise'));
	await must(move(dept, a, 'submit_review', { review_submitted_on: today }));
	await must(move(coordA, a, 'review', { review_opinion: '修改后合法', review_reasons: '删除许可条款后合法' }));
	await must(move(dept, a, 'deliberate', { deliberated_on: today, meeting: '局务会议' }));
	const issued = await must(move(dept, a, 'issue', { effective_on: addDays(today, 30) }));
	const first = (await env.get(`${DOC}/${a}`, dept)).json.data;
	assert.match(first.doc_number, new RegExp(`^慈市监规〔${year}〕\\d+号$`));
	assert.equal(issued.data.valid_years, 5, 'the province\'s longest validity when none is given');
	const eff = addDays(today, 30);
	assert.equal(issued.data.valid_until, addDays(`${Number(eff.slice(0, 4)) + 5}${eff.slice(4).replace('-02-29', '-02-28')}`, -1),
		'five years from the day in force');
	const b = await path({ provisional: '是' });
	await must(move(coordA, b, 'review', { review_opinion: '合法', review_reasons: '合法' }));
	await must(move(dept, b, 'deliberate', { deliberated_on: today, meeting: '局务会议' }));
	expectError(assert, await move(dept, b, 'issue', { effective_on: today, valid_years: 3 }), 422, 'invalid', 'valid_years');
	expectError(assert, await move(dept, b, 'issue', { effective_on: today, doc_number: first.doc_number }), 409, 'duplicate_number',
		'doc_number');
	await must(move(dept, b, 'issue', { effective_on: today }));
	const second = (await env.get(`${DOC}/${b}`, dept)).json.data;
	const n = (s) => Number(/〕(\d+)号/.exec(s)[1]);
	assert.equal(n(second.doc_number), n(first.doc_number) + 1, 'the next of the series');
	assert.equal(second.valid_years, 2, '暂行、试行: two years');
});

// A document of body issued, published and filed (awaiting its filing review).
const issue = async (sess, body, extra = {}, effective = today) => {
	const d = await must(draft(sess, body, { consult_exempt_reason: '依法需要保密', ...extra }), 201);
	await must(move(sess, d.id, 'submit_review', { review_submitted_on: today }));
	await must(move(coordA, d.id, 'review', { review_opinion: '合法', review_reasons: '合法' }));
	await must(move(sess, d.id, 'deliberate', { deliberated_on: today, meeting: '常务会议' }));
	await must(move(sess, d.id, 'issue', { effective_on: effective }));
	const p = await must(move(sess, d.id, 'publish', { published_on: today, publish_channel: '政府门户网站' }));
	assert.equal(p.data.filing_due, await deadlineCli(today, { days: 30 }));
	assert.equal(p.due_date, p.data.filing_due);
	const f = await must(move(sess, d.id, 'file', { filed_on: today }));
	assert.equal(f.data.filed_late, '否');
	return d.id;
};

test('报送备案 due 30 days after publication; the filing review by the office filed with; a correction reported and accepted', async () => {
	// A department's document: filed with its own government, reviewed by the county's office.
	const dep = await issue(dept, 'B330282-SCJG');
	await must(move(coordA, dep, 'order_correction', { correction_items: '第三条增设证明事项，无上位法依据', correction_due: addDays(today, 30) }));
	await must(move(dept, dep, 'report_correction', { correction_report: '已删除第三条并重新公布' }));
	const ok = await must(move(coordA, dep, 'accept_correction'));
	assert.equal(ok.state, 'in_force');
	assert.equal(ok.data.filing_result, '纠正');
	expectError(assert, await move(dept, dep, 'lapse'), 409, 'not_expired');
	// The county government's document is filed with the city: the county's office may not review it.
	const g = await issue(gov, 'B330282-GOV');
	assert.equal((await env.get(`${DOC}/${g}`, gov)).json.data.doc_kind, '政府规范性文件');
	expectError(assert, await move(coordA, g, 'pass_filing_review'), 403, 'not_filing_office');
	assert.equal((await must(move(coord, g, 'pass_filing_review'))).data.filing_result, '通过');
	// The indicators, from these records.
	const ev = await env.get(`/api/v1/evaluation?region=330282&period=${year}`, coord);
	const item = (id) => ev.json.indicators.find((i) => i.id === id);
	for (const id of ['2.6.2', '2.7.1', '2.8.1', '2.8.2']) assert.equal(item(id).kind, 'auto', id);
	assert.equal(item('2.7.1').value, 1, 'every issued document reviewed');
	assert.equal(item('2.8.2').value, 1, 'the ordered correction made');
	// The 评估清理 desk: in force and expiring by the date asked, then decided.
	const desk = async (sess, before) => must(env.get(`/api/v1/registers/normdoc/cleanup?before=${before}&year=${year}`, sess));
	const far = addDays(today, 3650);
	const d1 = await desk(coordA, far);
	const row = d1.expiring.find((x) => x.id === dep);
	assert.ok(row && row.valid_until > today && !row.expired, JSON.stringify(d1));
	assert.ok(!(await desk(coordA, today)).expiring.some((x) => x.id === dep), 'not yet due by today');
	assert.ok(!(await desk(await env.login('coord_b'), far)).expiring.some((x) => x.id === dep), 'another county\'s desk');
	const kept = await must(move(dept, dep, 'continue', { cleanup_reason: '评估后继续有效' }));
	assert.equal(kept.data.cleanup_decision, '继续有效');
	assert.equal((await desk(coordA, far)).decided['继续有效'], d1.decided['继续有效'] + 1);
	expectError(assert, await env.get('/api/v1/registers/normdoc/cleanup?before=2026-13-01', coordA), 400, 'invalid', 'before');
	// Another county sees none of it.
	assert.equal((await env.get(`${DOC}/${dep}`, await env.login('coord_b'))).status, 404);
});

test('a cited law amended in the library: each document in force citing it gets a review task (上位法立改废)', async () => {
	const law = (date, article) => `# 中华人民共和国测试处罚法\n\n${date.slice(0, 4)}年1月1日 全国人民代表大会常务委员会通过\n\n` +
		`<!-- INFO END -->\n\n## 第一章 总则\n\n第八条 ${article}\n`;
	const put = (sub, date, article) => {
		const dir = join(env.dir, sub, '法律');
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, `测试处罚法(${date}).md`), law(date, article));
		return join(env.dir, sub);
	};
	const first = await env.fazhi(['laws', 'import', put('laws1', '2015-01-01', '违法行为应当给予处罚。'), '--db', env.uri]);
	assert.equal(first.code, 0, first.stderr);
	const cites = await issue(dept, 'B330282-SCJG', { cited_laws: '《测试处罚法》第八条' });
	const other = await issue(dept, 'B330282-SCJG', { cited_laws: '《行政许可法》第十二条' });
	for (const id of [cites, other]) await must(move(coordA, id, 'pass_filing_review'));
	const amended = '2026-01-01';
	const second = await env.fazhi(['laws', 'import', put('laws2', amended, '违法行为应当依法给予处罚。'), '--db', env.uri]);
	assert.equal(second.code, 0, second.stderr);
	assert.match(second.stdout, /review tasks opened for the records citing an amended or repealed law: 1/);
	const doc = (await env.get(`${DOC}/${cites}`, coordA)).json;
	assert.ok(doc.data.remedy > 0, 'linked to its review task');
	const task = (await env.get(`/api/v1/registers/rectification/records/${doc.data.remedy}`, coordA)).json;
	assert.equal(task.data.source, '上位法立改废');
	assert.equal(task.body_id, doc.body_id);
	assert.match(task.data.issue, /测试处罚法/);
	assert.equal(task.due_date, await deadlineCli(amended, { days: 60 }));
	assert.equal((await env.get(`${DOC}/${other}`, coordA)).json.data.remedy, undefined, 'a document citing another law has none');
	// The same file again changes nothing and opens nothing.
	const again = await env.fazhi(['laws', 'import', join(env.dir, 'laws2'), '--db', env.uri]);
	assert.doesNotMatch(again.stdout, /review tasks opened/);
});

test('published, a document is in the public search (统一公开查询) with its number; repealed, it shows so; without text it is not (2.9.2)', async () => {
	const word = '骑楼风貌';
	const id = await issue(dept, 'B330282-SCJG', { draft_text: `第一条 为保护${word}，制定本规定。第二条 本规定自公布之日起施行。` });
	const doc = (await env.get(`${DOC}/${id}`, dept)).json;
	assert.equal(doc.data.on_portal, '是');
	const find = async () => (await env.get(`/api/v1/public/laws?q=${encodeURIComponent(word)}&level=${encodeURIComponent('行政规范性文件')}`)).json;
	let hits = await find();
	assert.ok(hits.total >= 1, JSON.stringify(hits));
	const hit = hits.items.find((x) => (x.law_title || x.title || '').includes(doc.data.doc_number));
	assert.ok(hit, JSON.stringify(hits.items[0]));
	await must(move(coordA, id, 'pass_filing_review'));
	await must(move(dept, id, 'repeal', { cleanup_reason: '上位法已修改，予以废止' }));
	hits = await find();
	const again = hits.items.find((x) => (x.law_title || x.title || '').includes(doc.data.doc_number));
	assert.equal(again.status, '已废止');
	const bare = await issue(dept, 'B330282-SCJG');
	assert.equal((await env.get(`${DOC}/${bare}`, dept)).json.data.on_portal, '否', 'no text: not searchable');
});

test('a law a 裁量基准 cites amended: the benchmark gets a review task for the region\'s government', async () => {
	const law = (date) => `# 中华人民共和国食品安全法\n\n${date.slice(0, 4)}年4月29日 全国人民代表大会常务委员会修正\n\n` +
		`<!-- INFO END -->\n\n## 第九章 法律责任\n\n第一百二十四条 违反本法规定的，依法处罚。\n`;
	const put = (sub, date) => {
		const dir = join(env.dir, sub, '法律');
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, `食品安全法(${date}).md`), law(date));
		return join(env.dir, sub);
	};
	assert.equal((await env.fazhi(['laws', 'import', put('food1', '2018-12-29'), '--db', env.uri])).code, 0);
	const r = await env.fazhi(['laws', 'import', put('food2', '2026-04-29'), '--db', env.uri]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /review tasks opened for the records citing an amended or repealed law: [1-9]/);
	const items = (await env.get(`/api/v1/registers/rectification/records?q=${encodeURIComponent('裁量基准')}&limit=50`, coord)).json.items;
	const t = items.find((x) => /食品安全法/.test(x.data.issue) && /fz-example/.test(x.data.issue));
	assert.ok(t, JSON.stringify(items.map((x) => x.data.issue)));
	assert.equal(t.data.source, '上位法立改废');
	assert.match(t.body_name, /市人民政府$/, 'the top region\'s government');
	assert.equal(t.due_date, await deadlineCli('2026-04-29', { days: 60 }));
});

test('sixty days before its validity ends, the body and the office are reminded to evaluate and clean it up', async () => {
	// in force since five years less thirty days ago: valid until about thirty days on
	const soon = await issue(dept, 'B330282-SCJG', {}, addDays(today, 30 - 365 * 5));
	const later = await issue(dept, 'B330282-SCJG');
	for (const id of [soon, later]) await must(move(coordA, id, 'pass_filing_review'));
	const until = (await env.get(`${DOC}/${soon}`, dept)).json.data.valid_until;
	assert.ok(until > today && until <= addDays(today, 60), until);
	const r = await env.fazhi(['notify', 'run', '--db', env.uri]);
	assert.equal(r.code, 0, r.stderr);
	const notes = async (sess) => (await env.get('/api/v1/notifications?limit=200', sess)).json.items
		.filter((x) => x.entity === 'normdoc' && /^提醒/.test(x.title));
	const mine = await notes(dept);
	const n = mine.find((x) => x.entity_id === soon);
	assert.ok(n, JSON.stringify(mine));
	assert.match(n.text, new RegExp(`评估清理.*${until}`));
	assert.ok(!mine.some((x) => x.entity_id === later), 'five years off: none');
	assert.ok((await notes(coordA)).some((x) => x.entity_id === soon), 'the office is told');
});
