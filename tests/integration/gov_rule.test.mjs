// gov_rule.test.mjs — 政府规章 (规章制定程序条例 2017): only the government of
// a province or 设区的市 makes them (立法法 第九十三条); the draft out for
// comment at least 30 days or the reason written (第十五条), submitted for
// review once the period has closed; in force no sooner than 30 days after
// publication unless the reason is written (第三十二条); filed within 30 days
// of publication (第三十四条; 法规规章备案审查条例 第四条). 2.6.1 computed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addDays, deadlineCli, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const RULE = '/api/v1/registers/gov_rule/records';
const today = todayCst();
let env, coord, city, county;

before(async () => {
	env = await setup({ users: [...defaultUsers(),
		{ username: 'gov_city', role: 'department', bodies: ['B330200-GOV'] },
		{ username: 'gov_a', role: 'department', scope: '330282', bodies: ['B330282-GOV'] }] });
	coord = await env.login('coord');
	city = await env.login('gov_city');
	county = await env.login('gov_a');
});
after(async () => { await env?.close(); });

const must = async (p, status = 200) => { const r = await p; assert.equal(r.status, status, r.text); return r.json; };
const move = (sess, id, transition, data) => env.post(`${RULE}/${id}/transitions`, sess, data ? { transition, data } : { transition });
const draft = (sess, body, data) => env.post(RULE, sess, { body, start_date: addDays(today, -90),
	data: { title: '城市绿化管理办法', drafting_unit: '市园林局', summary: '绿化规划、建设和保护', ...data } });

test('only a province\'s or a 设区的市\'s government makes 规章 (立法法 第九十三条)', async () => {
	expectError(assert, await draft(county, 'B330282-GOV', {}), 422, 'not_entitled', 'body');
	await must(draft(city, 'B330200-GOV', {}), 201);
});

test('the draft out for comment at least 30 days, or the reason written (第十五条); review only after the period', async () => {
	const from = addDays(today, -80);
	const short = await draft(city, 'B330200-GOV', { consult_from: from, consult_to: addDays(from, 29) });
	expectError(assert, short, 422, 'consult_too_short', 'consult_to');
	assert.match(short.json.error.message, /第十五条/);
	const ok = await must(draft(city, 'B330200-GOV', { consult_from: from, consult_to: addDays(from, 30) }), 201);
	assert.equal(ok.data.consult_ok, '是');
	const reasoned = await must(draft(city, 'B330200-GOV', { consult_from: from, consult_to: addDays(from, 15),
		consult_short_reason: '涉及应急管理，须尽快出台' }), 201);
	assert.equal(reasoned.data.consult_ok, '否');
	const none = await must(draft(city, 'B330200-GOV', {}), 201);
	expectError(assert, await move(city, none.id, 'submit_review'), 409, 'consult_first');
	const open = await must(draft(city, 'B330200-GOV', { consult_from: addDays(today, -10), consult_to: addDays(today, 25),
		consult_short_reason: '试行' }), 201);
	expectError(assert, await move(city, open.id, 'submit_review'), 409, 'consult_open');
	await must(move(city, ok.id, 'submit_review'));
	const ev = await env.get(`/api/v1/evaluation?region=330200&period=${addDays(today, -90).slice(0, 4)}`, coord);
	const v = ev.json.indicators.find((i) => i.id === '2.6.1');
	assert.equal(v.kind, 'auto');
});

test('in force 30 days after publication unless the reason is written (第三十二条); filed within 30 days (第三十四条)', async () => {
	const from = addDays(today, -80);
	const r = await must(draft(city, 'B330200-GOV', { consult_from: from, consult_to: addDays(from, 31) }), 201);
	await must(move(city, r.id, 'submit_review'));
	await must(move(coord, r.id, 'review', { review_opinion: '符合上位法' }));
	await must(move(city, r.id, 'decide', { decided_on: today }));
	const soon = await move(city, r.id, 'publish', { order_number: '示例市人民政府令第1号', published_on: today, effective_on: addDays(today, 10) });
	expectError(assert, soon, 422, 'effective_too_soon', 'effective_on');
	assert.match(soon.json.error.message, /第三十二条/);
	const p = await must(move(city, r.id, 'publish', { order_number: '示例市人民政府令第1号', published_on: today,
		effective_on: addDays(today, 10), immediate_reason: '公布后不立即施行将有碍规章施行' }));
	assert.equal(p.data.filing_due, await deadlineCli(today, { days: 30 }));
	assert.equal(p.due_date, p.data.filing_due);
	expectError(assert, await move(city, r.id, 'file', { filed_on: addDays(today, -1), filed_with: '国务院' }), 422, 'invalid', 'filed_on');
	assert.equal((await must(move(city, r.id, 'file', { filed_on: today, filed_with: '国务院、省人大常委会、省人民政府' }))).state, 'filed');
});
