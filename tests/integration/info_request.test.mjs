// info_request.test.mjs — 政府信息公开申请 (政府信息公开条例 2019): anyone files
// a request online without an account (received the day it is submitted,
// 第三十一条) and follows it by number and secret; the answer is due 20
// working days after receipt (第三十三条第二款), 20 more when extended, the
// consultation of a third party not counted (第三十三条第三款); a 补正 notice
// only within 7 working days and once, the period then running from the
// corrected request (第三十条); a refusal states its ground (第三十六条);
// 7.29.1 computed; the public form limited per address.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addDays, deadlineCli, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const PUB = '/api/v1/public/info-requests';
const REC = '/api/v1/registers/info_request/records';
const today = todayCst();
let env, coord, gov, filed = 0;

before(async () => {
	env = await setup({ users: [...defaultUsers(), { username: 'gov_a', role: 'department', scope: '330282', bodies: ['B330282-GOV'] }] });
	coord = await env.login('coord');
	gov = await env.login('gov_a'); // the county government's information office
});
after(async () => { await env?.close(); });

const form = (extra = {}) => ({ name: '张三', contact: '13800000000', content: '2025 年老旧小区改造项目清单', region: '330282', ...extra });
async function file(extra) {
	filed++;
	const r = await env.req('POST', PUB, { body: form(extra) });
	assert.equal(r.status, 201, r.text);
	return r.json;
}
const move = (id, transition, data) => env.post(`${REC}/${id}/transitions`, gov, data ? { transition, data } : { transition });
const must = async (p) => { const r = await p; assert.equal(r.status, 200, r.text); return r.json; };
const byNumber = async (number) => (await env.get(`${REC}?q=${encodeURIComponent(number)}`, coord)).json.items[0];

test('filed without an account: a number and a secret; the status by both, 404 alike for a wrong one', async () => {
	const r = await file();
	assert.match(r.number, /^GK\d{4}-\d{6}$/);
	assert.match(r.secret, /^[0-9a-f]{24}$/);
	assert.equal(r.received_on, today);
	const s = await env.req('GET', `${PUB}/${r.number}?secret=${r.secret}`);
	assert.equal(s.status, 200, s.text);
	assert.equal(s.json.state, 'received');
	assert.equal(s.json.due_date, await deadlineCli(today, { workingDays: 20 }));
	for (const bad of [`${PUB}/${r.number}?secret=${'0'.repeat(24)}`, `${PUB}/${r.number}`, `${PUB}/GK2026-999999?secret=${r.secret}`,
		`${PUB}/nonsense?secret=${r.secret}`]) {
		const x = await env.req('GET', bad);
		assert.equal(x.status, 404, bad);
		assert.doesNotMatch(x.text, /张三|老旧小区/);
	}
	// The people's government of the region received it, and its clerks see it in the register.
	const rec = await byNumber(r.number);
	assert.ok(rec, 'listed in the register');
	assert.equal(rec.data.channel, '网上申请');
	assert.equal(rec.data.secret, undefined);
	// Bad forms: each refused naming the field, nothing filed.
	expectError(assert, await env.req('POST', PUB, { body: form({ name: '' }) }), 422, 'invalid', 'name');
	expectError(assert, await env.req('POST', PUB, { body: form({ region: '999999' }) }), 422, 'invalid', 'region');
	expectError(assert, await env.req('POST', PUB, { body: { ...form(), evil: 1 } }), 400, 'unknown_field');
	expectError(assert, await env.req('POST', PUB, { body: form({ requester_kind: '外星人' }) }), 422, 'invalid', 'requester_kind');
	filed += 4;
});

test('the form lists the governments that take requests; the requester reads the answer by number and secret', async () => {
	const g = await env.req('GET', '/api/v1/public/info-receivers');
	assert.equal(g.status, 200, g.text);
	const a = g.json.items.find((x) => x.region === '330282');
	assert.ok(a && a.name.endsWith('人民政府'), g.text);
	assert.ok(g.json.items.every((x) => /^\d{6}$/.test(x.region) && x.name), 'regions and names only');
	const r = await file();
	const rec = await byNumber(r.number);
	await must(move(rec.id, 'answer', { answer_type: '部分公开', answer: '提供项目清单，删除个人信息', answer_ground: '第三十七条' }));
	const s = await env.req('GET', `${PUB}/${r.number}?secret=${r.secret}`);
	assert.equal(s.json.state, 'answered');
	assert.deepEqual([s.json.answer_type, s.json.answer, s.json.answer_ground, s.json.answered_on],
		['部分公开', '提供项目清单，删除个人信息', '第三十七条', today]);
});

test('20 working days; 20 more when extended; the consultation not counted (第三十三条)', async () => {
	const r = await env.post(REC, gov, { body: 'B330282-GOV', start_date: '2025-03-03', data: { requester: '李四',
		requester_kind: '自然人', contact: '信函', content: '某地块征收补偿方案', channel: '邮寄' } });
	assert.equal(r.status, 201, r.text);
	const id = r.json.id;
	assert.equal(r.json.data.due, await deadlineCli('2025-03-03', { workingDays: 20 }));
	const c = await env.patch(`${REC}/${id}`, gov, { data: { consult_from: '2025-03-04', consult_to: '2025-03-07' } });
	assert.equal(c.status, 200, c.text);
	assert.equal(c.json.data.due, await deadlineCli('2025-03-03', { workingDays: 24 }), 'four working days of consultation added');
	const x = await env.patch(`${REC}/${id}`, gov, { data: { extension_reason: '经信息公开工作机构负责人同意延长', consult_from: null,
		consult_to: null } });
	assert.equal(x.json.data.due, await deadlineCli('2025-03-03', { workingDays: 40 }));
	const dl = (await env.get(`${REC}/${id}`, gov)).json.deadlines.find((d) => d.field === 'due');
	assert.equal(dl.due, x.json.data.due);
	assert.match(dl.explain, /第三十三条/);
	assert.match(dl.explain, /延长答复期限/);
	// The 补正 window of 7 working days is long past.
	const late = await move(id, 'request_supplement', { supplement_items: '请明确地块名称' });
	expectError(assert, late, 409, 'window_closed', 'transition');
	assert.match(late.json.error.message, /第三十条/);
	// A refusal states its ground.
	expectError(assert, await move(id, 'answer', { answer_type: '不予公开', answer: '不予公开' }), 422, 'invalid', 'answer_ground');
	// …and its row in the annual report (第五十条).
	expectError(assert, await move(id, 'answer', { answer_type: '不予公开', answer: '不予公开', answer_ground: '涉及商业秘密（第十五条）' }),
		422, 'invalid', 'answer_detail');
	const a = await must(move(id, 'answer', { answer_type: '不予公开', answer: '不予公开', answer_ground: '涉及商业秘密（第十五条）',
		answer_detail: '保护第三方合法权益' }));
	assert.equal(a.state, 'answered');
});

test('the annual report\'s table of requests (第五十条): received, each result by its row, carried over, by requester', async () => {
	const year = today.slice(0, 4);
	const report = async (sess = coord, region = '330282') => {
		const r = await env.get(`/api/v1/registers/info_request/annual-report?region=${region}&year=${year}`, sess);
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json.columns.map((c) => c.label), ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']);
		return Object.fromEntries(r.json.rows.map((x) => [x.item, r.json.columns.map((c) => x[c.key])]));
	};
	const before = await report();
	const make = async (data) => {
		const r = await env.post(REC, gov, { body: 'B330282-GOV', start_date: today, data: { requester: '年报', contact: '1',
			content: '年报统计', channel: '当面', requester_kind: '自然人', ...data } });
		assert.equal(r.status, 201, r.text);
		return r.json.id;
	};
	const person = await make({});
	await must(move(person, 'answer', { answer_type: '予以公开', answer: '已公开' }));
	const lawyer = await make({ requester_kind: '法人或者其他组织', org_kind: '法律服务机构' });
	expectError(assert, await move(lawyer, 'answer', { answer_type: '予以公开', answer: 'x', answer_detail: '重复申请' }),
		422, 'invalid', 'answer_detail');
	await must(move(lawyer, 'answer', { answer_type: '不予处理', answer: '重复申请', answer_ground: '第三十六条第六项',
		answer_detail: '重复申请' }));
	await make({ requester_kind: '法人或者其他组织' }); // open at the year's end: carried into the next
	expectError(assert, await env.post(REC, gov, { body: 'B330282-GOV', start_date: today, data: { requester: 'x', contact: '1',
		content: 'x', channel: '当面', requester_kind: '自然人', org_kind: '商业企业' } }), 422, 'invalid', 'org_kind');
	const now = await report();
	const delta = (item) => now[item].map((v, i) => v - before[item][i]);
	assert.deepEqual(delta('一、本年新收政府信息公开申请数量'), [1, 0, 0, 0, 1, 1, 3]);
	assert.deepEqual(delta('（一）予以公开'), [1, 0, 0, 0, 0, 0, 1]);
	assert.deepEqual(delta('2.重复申请'), [0, 0, 0, 0, 1, 0, 1]);
	assert.deepEqual(delta('（五）不予处理'), [0, 0, 0, 0, 1, 0, 1]);
	assert.deepEqual(delta('（七）总计'), [1, 0, 0, 0, 1, 0, 2]);
	assert.deepEqual(delta('四、结转下年度继续办理'), [0, 0, 0, 0, 0, 1, 1]);
	// Every concluded request is in exactly one result row: the total is their sum.
	const results = Object.keys(now).filter((k) => /^（[一二]）|^\d\./.test(k));
	assert.equal(results.reduce((s, k) => s + now[k][6], 0), now['（七）总计'][6]);
	// Table 四: a 复议 over the answer, decided 撤销; a suit after it, not yet judged.
	const t4 = (r) => Object.fromEntries(r.disputes.map((g) => [g.label, g.counts]));
	const d0 = t4((await env.get(`/api/v1/registers/info_request/annual-report?region=330282&year=${year}`, coord)).json);
	const rc = await env.post('/api/v1/registers/reconsideration/records', coord, { body: 'B330282-GOV', start_date: addDays(today, -30),
		data: { case_number: '慈复〔信〕1号', applicant: '年报', act: '政府信息公开答复', act_request: person } });
	assert.equal(rc.status, 201, rc.text);
	const mv = (id, transition, data) => env.post(`/api/v1/registers/reconsideration/records/${id}/transitions`, coord, { transition, data });
	assert.equal((await mv(rc.json.id, 'accept')).status, 200);
	assert.equal((await env.patch(`/api/v1/registers/reconsideration/records/${rc.json.id}`, coord, { data: { copy_sent_on: today,
		early_reason: '申请人同意' } })).status, 200);
	assert.equal((await mv(rc.json.id, 'decide', { decision: '撤销' })).status, 200);
	const suit = await env.post('/api/v1/registers/litigation/records', gov, { body: 'B330282-GOV', start_date: today,
		data: { case_number: '（2026）浙0282行初信1号', court: '慈溪市人民法院', plaintiff: '年报', act: '政府信息公开答复',
			act_request: person, prior_review: rc.json.id } });
	assert.equal(suit.status, 201, suit.text);
	const d1 = t4((await env.get(`/api/v1/registers/info_request/annual-report?region=330282&year=${year}`, coord)).json);
	assert.equal(d1['行政复议']['结果纠正'], d0['行政复议']['结果纠正'] + 1);
	assert.equal(d1['行政复议']['总计'], d0['行政复议']['总计'] + 1);
	assert.equal(d1['复议后起诉']['尚未审结'], d0['复议后起诉']['尚未审结'] + 1);
	assert.equal(d1['未经复议直接起诉']['总计'], d0['未经复议直接起诉']['总计']);
	// The sheet for the report; another county's coordinator is refused the region.
	const x = await env.get(`/api/v1/registers/info_request/annual-report?region=330282&year=${year}&format=xlsx`, coord);
	assert.equal(x.status, 200);
	assert.match(x.headers.get('content-type'), /spreadsheetml/);
	assert.equal(x.buf.subarray(0, 2).toString(), 'PK');
	const other = await env.get(`/api/v1/registers/info_request/annual-report?region=330282&year=${year}`, await env.login('coord_b'));
	assert.ok([403, 404].includes(other.status), other.text);
	expectError(assert, await env.get(`/api/v1/registers/info_request/annual-report?region=330282&year=12`, coord), 400, 'invalid', 'year');
});

test('补正 within 7 working days and once; the period runs from the corrected request (第三十条)', async () => {
	const r = await file({ content: '那个文件' });
	const rec = await byNumber(r.number);
	const s = await must(move(rec.id, 'request_supplement', { supplement_items: '请说明所需信息的名称或文号' }));
	assert.equal(s.state, 'supplement_requested');
	assert.equal(s.data.due, undefined, 'nothing is due while the correction is awaited');
	const st = await env.req('GET', `${PUB}/${r.number}?secret=${r.secret}`);
	assert.equal(st.json.supplement_items, '请说明所需信息的名称或文号');
	assert.equal(st.json.due_date, null, 'nothing due yet');
	const back = await must(move(rec.id, 'receive_supplement', { supplement_received_on: today }));
	assert.equal(back.data.due, await deadlineCli(today, { workingDays: 20 }));
	expectError(assert, await move(rec.id, 'request_supplement', { supplement_items: '再补' }), 409, 'supplement_once');
	await must(move(rec.id, 'answer', { answer_type: '予以公开', answer: '已提供' }));
	const ev = await env.get(`/api/v1/evaluation?region=330282&period=${today.slice(0, 4)}`, coord);
	const item = ev.json.indicators.find((i) => i.id === '7.29.1');
	assert.equal(item.kind, 'auto');
	assert.equal(item.value, 1); // answered on time of those answered this year
});

test('the public form takes at least 5 a minute from one address, then 429', async () => {
	let n = filed, got429 = false;
	for (let i = 0; i < 20 && !got429; i++) {
		const r = await env.req('POST', PUB, { body: form() });
		if (r.status === 429) { got429 = true; assert.match(r.json.error.message, /频繁/); break; }
		assert.equal(r.status, 201, r.text);
		n++;
	}
	assert.ok(got429, 'limited');
	assert.ok(n >= 5, `${n} accepted within the minute`);
});
