// reconsideration.test.mjs — 行政复议案件 (行政复议法 2023): the examination
// of five working days, acceptance by silence (第三十条), the 补正 notice
// within five working days (第三十一条); the copy within seven working days
// and the answer within ten (第四十八条; simplified three and five, 第五十四条);
// the decision within sixty days of acceptance, thirty simplified, +30 with
// approval (第六十二条), each suspension not counted (第三十九条); no decision
// before the answer or its window without a reason; a 意见书 becomes a 整改
// item due in sixty days (第七十六条); 三日、五日、七日、十日 are working days
// (第八十八条). Each date explained; 纠错率 ranked; 6.23.x computed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addDays, deadlineCli, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const RC = '/api/v1/registers/reconsideration/records';
const today = todayCst();
let env, office, dept, n = 0;

before(async () => {
	env = await setup({ users: defaultUsers() });
	office = await env.login('coord_a'); // the county's 行政复议机构
	dept = await env.login('dept_a');    // the respondent, B330282-SCJG
});
after(async () => { await env?.close(); });

const must = async (p, status = 200) => { const r = await p; assert.equal(r.status, status, r.text); return r.json; };
const move = (sess, id, transition, data) => env.post(`${RC}/${id}/transitions`, sess, data ? { transition, data } : { transition });
const patch = (sess, id, data) => env.patch(`${RC}/${id}`, sess, { data });
const apply = (start, data = {}) => must(env.post(RC, office, { body: 'B330282-SCJG', start_date: start,
	data: { case_number: `慈复〔2026〕${++n}号`, applicant: '张某', act: '罚款 5000 元的行政处罚决定', ...data } }), 201);

test('five working days to examine; no refusal by then is acceptance (第三十条); the 补正 notice only within them (第三十一条)', async () => {
	const start = addDays(today, -40);
	const c = await apply(start);
	assert.equal(c.data.examine_due, await deadlineCli(start, { workingDays: 5 }));
	expectError(assert, await move(office, c.id, 'request_supplement', { supplement_items: '决定书复印件' }), 409, 'window_closed');
	const late = await move(office, c.id, 'refuse', { refusal_reason: '不属于受案范围' });
	expectError(assert, late, 409, 'deemed_accepted');
	assert.match(late.json.error.message, /第三十条/);
	const a = await must(move(office, c.id, 'accept'));
	assert.equal(a.data.accepted_on, c.data.examine_due, 'accepted from the end of the examination');
	assert.equal(a.data.copy_due, await deadlineCli(a.data.accepted_on, { workingDays: 7 }));
	assert.equal(a.data.decision_due, await deadlineCli(a.data.accepted_on, { days: 60 }));
	assert.equal(a.due_date, a.data.decision_due);
	// A 补正 within the window: the examination runs again from the material.
	const s = await apply(today);
	const sup = await must(move(office, s.id, 'request_supplement', { supplement_items: '决定书复印件' }));
	assert.equal(sup.data.supplement_due, await deadlineCli(today, { workingDays: 10 }));
	const got = await must(move(office, s.id, 'receive_supplement', { supplement_received_on: today }));
	assert.equal(got.data.examine_due, await deadlineCli(today, { workingDays: 5 }));
});

test('the answer window (第四十八条), a suspension not counted (第三十九条), the decision; each date explained', async () => {
	const c = await apply(addDays(today, -40));
	const acc = (await must(move(office, c.id, 'accept'))).data.accepted_on;
	await must(patch(office, c.id, { copy_sent_on: today }));
	const early = await move(office, c.id, 'decide', { decision: '维持' });
	expectError(assert, early, 409, 'answer_window_open');
	assert.match(early.json.error.message, new RegExp((await deadlineCli(today, { workingDays: 10 })).replace(/-/g, '-')));
	// The respondent answers; the office suspends, then resumes ten days later.
	expectError(assert, await patch(dept, c.id, { answered_on: addDays(today, -1) }), 422, 'invalid', 'answered_on');
	await must(patch(dept, c.id, { answered_on: today, answer: '事实清楚，证据确凿' }));
	const s1 = addDays(acc, 3), s2 = addDays(acc, 12);
	expectError(assert, await patch(office, c.id, { suspend_from: s1 }), 422, 'invalid', 'suspend_reason');
	await must(patch(office, c.id, { suspend_from: s1, suspend_reason: '需要等待有权机关作出解释' }));
	expectError(assert, await move(office, c.id, 'decide', { decision: '维持' }), 409, 'suspended');
	const resumed = await must(patch(office, c.id, { suspend_to: s2 }));
	assert.equal(resumed.data.decision_due, await deadlineCli(addDays(acc, 10), { days: 60 }), 'ten days not counted');
	expectError(assert, await patch(office, c.id, { suspend2_from: s2, suspend2_reason: 'x' }), 422, 'invalid', 'suspend2_from');
	const one = await must(env.get(`${RC}/${c.id}`, office));
	const dl = one.deadlines.find((x) => x.field === 'decision_due');
	assert.equal(dl.due, resumed.data.decision_due);
	assert.match(dl.explain, /需要等待有权机关作出解释/);
	assert.ok(one.deadlines.some((x) => x.field === 'answer_due' && /第四十八条/.test(x.explain)));
	// Decision types: only those of the law.
	expectError(assert, await move(office, c.id, 'decide', { decision: '部分支持' }), 422, 'invalid', 'decision');
	const d = await must(move(office, c.id, 'decide', { decision: '撤销' }));
	assert.equal(d.data.corrected, '是');
});

test('the simplified procedure: its ground, three and five working days, thirty days, no extension (第五十三、五十四、六十二条)', async () => {
	expectError(assert, await env.post(RC, office, { body: 'B330282-SCJG', start_date: today, data: { case_number: 'x', applicant: 'x',
		act: 'x', simplified: '是' } }), 422, 'invalid', 'simplified_ground');
	const c = await apply(addDays(today, -20), { simplified: '是', simplified_ground: '涉及款额三千元以下' });
	const a = await must(move(office, c.id, 'accept'));
	assert.equal(a.data.copy_due, await deadlineCli(a.data.accepted_on, { workingDays: 3 }));
	assert.equal(a.data.decision_due, await deadlineCli(a.data.accepted_on, { days: 30 }));
	const s = await must(patch(office, c.id, { copy_sent_on: today }));
	assert.equal(s.data.answer_due, await deadlineCli(today, { workingDays: 5 }));
	expectError(assert, await patch(office, c.id, { extension_reason: '案情复杂' }), 422, 'invalid', 'extension_reason');
	// An ordinary case may be extended by thirty days.
	const o = await apply(addDays(today, -20));
	const oa = await must(move(office, o.id, 'accept'));
	const x = await must(patch(office, o.id, { extension_reason: '案情复杂，经负责人批准' }));
	assert.equal(x.data.decision_due, await deadlineCli(addDays(oa.data.accepted_on, 30), { days: 60 }));
});

test('a 意见书 becomes a 整改 item of the respondent, due in sixty days (第七十六条); 纠错率 ranked; 6.23.x; scope', async () => {
	const c = await apply(addDays(today, -30));
	await must(move(office, c.id, 'accept'));
	await must(patch(office, c.id, { copy_sent_on: addDays(today, -1), early_reason: '申请人撤回申请' }));
	await must(move(office, c.id, 'decide', { decision: '终止' }));
	const o = await must(patch(office, c.id, { opinion_type: '行政复议意见书', opinion_content: '完善罚款裁量基准', opinion_sent_on: today }));
	assert.equal(o.data.opinion_due, await deadlineCli(today, { days: 60 }));
	const one = await must(env.get(`${RC}/${c.id}`, office));
	assert.ok(one.data.remedy > 0, 'linked to its item');
	const item = await must(env.get(`/api/v1/registers/rectification/records/${one.data.remedy}`, office));
	assert.equal(item.data.source, '复议意见书、建议书');
	assert.equal(item.body_id, one.body_id, 'the respondent\'s item');
	assert.equal(item.due_date, o.data.opinion_due);
	// The respondent reports its correction in time.
	const r = await must(patch(dept, c.id, { opinion_reply_on: today, opinion_reply: '已修订裁量基准' }));
	assert.equal(r.data.opinion_ok, '是');
	const year = today.slice(0, 4);
	const board = await must(env.get(`/api/v1/board?region=330282&year=${year}`, office));
	const k = board.rankings.find((x) => x.register === 'reconsideration' && x.name === 'correction_rate');
	const row = k.items.find((x) => x.body_name.includes('市场监督管理局'));
	assert.ok(row && row.numerator >= 1 && row.denominator >= 2, JSON.stringify(k));
	const ev = await must(env.get(`/api/v1/evaluation?region=330282&period=${year}`, office));
	for (const id of ['6.23.1', '6.23.2']) assert.equal(ev.indicators.find((i) => i.id === id).kind, 'auto');
	// Another county sees nothing; the respondent sees its own case.
	assert.equal((await env.get(`${RC}/${c.id}`, await env.login('coord_b'))).status, 404);
	assert.equal((await env.get(`${RC}/${c.id}`, dept)).status, 200);
});
