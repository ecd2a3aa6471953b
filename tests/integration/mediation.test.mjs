// mediation.test.mjs — 行政调解、行政裁决案件: a department registers the
// cases it accepted; the period runs from acceptance (行政调解 30 days by the
// province's rule, 行政裁决 60 by the granting law's or the local rule),
// its last day moved off rest days; each kind its dispute types and
// outcomes (422 type_not_for_kind, outcome_not_for_kind), dates in order,
// a success or a ruling with its document number, its performance before
// filing away; 6.25.1 (settled ÷ mediations concluded) and 6.25.2 (ruled
// within the period ÷ ruled) computed; a department sees only its own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addDays, deadlineCli, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const MED = '/api/v1/registers/mediation/records';
const today = todayCst();
let env, coord, dept;

before(async () => {
	env = await setup({ users: defaultUsers() });
	coord = await env.login('coord');
	dept = await env.login('dept_a'); // bound to B330282-SCJG
});
after(async () => { await env?.close(); });

const base = { kind: '行政调解', dispute_type: '消费纠纷', matter: '预付卡退费纠纷', applicant: '王某', respondent: '某健身公司' };
const create = (start = today, data = {}, sess = dept) =>
	env.post(MED, sess, { body: 'B330282-SCJG', start_date: start, data: { ...base, applied_on: start, ...data } });
async function accepted(start = today, data = {}) {
	const r = await create(start, data);
	assert.equal(r.status, 201, r.text);
	return (await env.get(`${MED}/${r.json.id}`, dept)).json;
}
const move = (id, transition, data) => env.post(`${MED}/${id}/transitions`, dept, data ? { transition, data } : { transition });
const must = async (p) => { const r = await p; assert.equal(r.status, 200, r.text); return r.json; };

test('the period runs from acceptance by kind, its last day off the holiday', async () => {
	const m = await accepted('2025-09-02', { applied_on: '2025-08-29' });
	assert.equal(m.data.due, await deadlineCli('2025-09-02', { days: 30 }));
	assert.notEqual(m.data.due, '2025-10-02', '30 days end in the National Day holiday: moved after it');
	assert.equal(m.due_date, m.data.due);
	const a = await accepted('2025-03-03', { kind: '行政裁决', dispute_type: '自然资源权属争议', applicant: '甲村', respondent: '乙村' });
	assert.equal(a.data.due, await deadlineCli('2025-03-03', { days: 60 }));
	assert.notEqual(a.data.due, '2025-05-02', '60 days end in the 劳动节 holiday');
});

test('gates: dispute type and outcome of the kind, dates in order, the document number, required fields', async () => {
	expectError(assert, await create(today, { dispute_type: '自然资源权属争议' }), 422, 'type_not_for_kind', 'dispute_type');
	expectError(assert, await create(today, { kind: '行政裁决' }), 422, 'type_not_for_kind', 'dispute_type');
	expectError(assert, await create(today, { applied_on: addDays(today, 1) }), 422, 'invalid', 'applied_on');
	expectError(assert, await create(addDays(today, -3), { applied_on: addDays(today, -2) }), 422, 'invalid', 'applied_on');
	expectError(assert, await create(today, { applicant: undefined }), 422, 'invalid', 'applicant');
	expectError(assert, await create(today, { kind: '人民调解' }), 422, 'invalid', 'kind');
	const m = await accepted(addDays(today, -10), { applied_on: addDays(today, -12) });
	expectError(assert, await move(m.id, 'conclude', { outcome: '已裁决', concluded_on: today, document_number: 'x' }),
		422, 'outcome_not_for_kind', 'outcome');
	expectError(assert, await move(m.id, 'conclude', { outcome: '调解成功', concluded_on: today }), 422, 'invalid', 'document_number');
	expectError(assert, await move(m.id, 'conclude', { outcome: '调解成功', concluded_on: addDays(today, -11), document_number: 'x' }),
		422, 'invalid', 'concluded_on');
	expectError(assert, await move(m.id, 'conclude', { outcome: '终止' }), 422, 'invalid', 'concluded_on');
	const a = await accepted(today, { kind: '行政裁决', dispute_type: '政府采购活动争议' });
	expectError(assert, await move(a.id, 'conclude', { outcome: '调解成功', concluded_on: today, document_number: 'x' }),
		422, 'outcome_not_for_kind', 'outcome');
	// concluded: the performance is recorded before filing away
	const done = await must(move(m.id, 'conclude', { outcome: '调解成功', concluded_on: today, document_number: '示调协〔2025〕1号' }));
	assert.equal(done.state, 'concluded');
	expectError(assert, await move(m.id, 'close'), 422, 'invalid', 'performance');
	assert.equal((await must(move(m.id, 'close', { performance: '已履行' }))).state, 'closed');
	// an unsuccessful mediation has nothing to perform
	const u = await accepted();
	await must(move(u.id, 'conclude', { outcome: '调解不成功', concluded_on: today }));
	assert.equal((await must(move(u.id, 'close'))).state, 'closed');
});

test('6.25.1 and 6.25.2: settled of the mediations concluded, ruled within the period of the rulings', async () => {
	const year = today.slice(0, 4);
	const start = `${year}-01-06`;
	const ev = async () => (await env.get(`/api/v1/evaluation?region=330282&period=${year}`, coord)).json.indicators;
	const before1 = (await ev()).find((i) => i.id === '6.25.1');
	assert.equal(before1.kind, 'auto');
	// from the previous test: one settled (accepted ten days ago), one not; and one ended now
	const m = await accepted(start);
	await must(move(m.id, 'conclude', { outcome: '终止', concluded_on: start }));
	const late = await accepted(start, { kind: '行政裁决', dispute_type: '知识产权侵权纠纷' });
	const onTime = await accepted(start, { kind: '行政裁决', dispute_type: '知识产权侵权纠纷' });
	await must(move(onTime.id, 'conclude', { outcome: '已裁决', concluded_on: start, document_number: '示裁字〔2025〕1号' }));
	const afterDue = addDays(late.data.due, 1);
	if (afterDue <= today)
		await must(move(late.id, 'conclude', { outcome: '已裁决', concluded_on: afterDue, document_number: '示裁字〔2025〕2号' }));
	const items = await ev();
	const v1 = items.find((i) => i.id === '6.25.1'), v2 = items.find((i) => i.id === '6.25.2');
	assert.ok(Math.abs(v1.value - 1 / 3) < 1e-3, JSON.stringify(v1)); // settled 1 of 3 concluded mediations
	assert.equal(v2.value, afterDue <= today ? 0.5 : 1, JSON.stringify(v2));
});

test('a department sees only its own; another county nothing', async () => {
	const m = await accepted();
	assert.equal((await env.get(`${MED}/${m.id}`, coord)).status, 200);
	const b = await env.login('coord_b');
	assert.equal((await env.get(`${MED}/${m.id}`, b)).status, 404);
	const other = await env.post(MED, dept, { body: 'B330282-GTZY', start_date: today, data: { ...base, applied_on: today } });
	assert.ok([403, 404, 422].includes(other.status), other.text);
});
