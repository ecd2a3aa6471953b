// registers.test.mjs — the register engine over HTTP: definitions, records
// of the rectification and proposal registers (required and unknown fields,
// the state machine with its role and own-body gates, final states, the
// audit timeline), the overdue filter, county scope, and the proposal's due
// date from the statutory clock.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addDays, deadlineCli, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const REC = '/api/v1/registers/rectification/records';
const PROP = '/api/v1/registers/proposal/records';

let env, coord, coordA, coordB, dept, ownCoord;
const today = todayCst();

before(async () => {
	env = await setup({
		users: [
			...defaultUsers(),
			// A coordinator (a role that may close) bound to the owning body.
			{ username: 'coord_own', role: 'coordinator', scope: '330282', bodies: ['B330282-SCJG'] },
		],
	});
	coord = await env.login('coord');
	coordA = await env.login('coord_a');
	coordB = await env.login('coord_b');
	dept = await env.login('dept_a');
	ownCoord = await env.login('coord_own');
});
after(async () => { await env?.close(); });

/** A rectification item (must answer 201); resolves the record. */
async function rectification(sess, { body = 'B330282-SCJG', start, data = {} } = {}) {
	const payload = { body, data: { source: '法治督察', issue: '执法案卷存在程序瑕疵', deadline: addDays(start || today, 30), ...data } };
	if (start) payload.start_date = start;
	const r = await env.post(REC, sess, payload);
	assert.equal(r.status, 201, r.text);
	return r.json;
}

function transition(sess, id, name, data, reg = REC) {
	return env.post(`${reg}/${id}/transitions`, sess, data ? { transition: name, data } : { transition: name });
}

test('the definitions of both shipped registers are listed with their fields, states and transitions', async () => {
	const r = await env.get('/api/v1/registers', coord);
	assert.equal(r.status, 200, r.text);
	const names = r.json.items.map((d) => d.name);
	assert.ok(names.includes('rectification') && names.includes('proposal'), names.join());
	const rect = r.json.items.find((d) => d.name === 'rectification');
	const deadline = rect.fields.find((f) => f.name === 'deadline');
	assert.equal(deadline.type, 'date');
	assert.equal(deadline.required, true);
	assert.deepEqual(rect.states.filter((s) => s.initial).map((s) => s.name), ['pending']);
	assert.deepEqual(rect.states.filter((s) => s.final).map((s) => s.name), ['closed']);
	const close = rect.transitions.find((t) => t.name === 'close');
	assert.deepEqual(close.roles, ['coordinator']);
	assert.equal(close.not_own_body, true);
	assert.deepEqual(close.from, ['requested']);
	const rq = rect.transitions.find((t) => t.name === 'request_close');
	assert.deepEqual([...rq.require].sort(), ['measures', 'result']);
	// The single definition answers the same thing.
	const one = await env.get('/api/v1/registers/proposal', coord);
	assert.equal(one.status, 200);
	assert.deepEqual(one.json, r.json.items.find((d) => d.name === 'proposal'));
	expectError(assert, await env.get('/api/v1/registers/nosuch', coord), 404, 'not_found');
});

test('create: 201 with the due date taken from the deadline field; missing required → 422; unknown field → 400', async () => {
	const deadline = addDays(today, 45);
	// The item is assigned by the office: the body cannot create it with its own deadline.
	expectError(assert, await env.post(REC, dept, { body: 'B330282-SCJG', data: { source: '案卷评查', issue: '裁量基准未适用', deadline } }),
		403, 'field_forbidden', 'source');
	const r = await env.post(REC, coordA, { body: 'B330282-SCJG', data: { source: '案卷评查', issue: '裁量基准未适用', deadline } });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.state, 'pending');
	assert.equal(r.json.start_date, today, 'start date defaults to today');
	assert.equal(r.json.due_date, deadline);
	assert.equal(r.json.closed_date, null);
	assert.equal(r.json.data.deadline, deadline);
	assert.equal(r.json.title, '裁量基准未适用');
	assert.equal(r.json.body_name, '慈溪市市场监督管理局');
	assert.equal(r.json.region, '330282');
	const again = await env.get(`${REC}/${r.json.id}`, dept);
	assert.equal(again.status, 200);
	assert.equal(again.json.due_date, deadline);

	for (const field of ['source', 'issue', 'deadline']) {
		const data = { source: '案卷评查', issue: 'x', deadline };
		delete data[field];
		expectError(assert, await env.post(REC, coordA, { body: 'B330282-SCJG', data }), 422, 'invalid', field);
	}
	expectError(assert, await env.post(REC, coordA, { body: 'B330282-SCJG', data: { source: '案卷评查', issue: 'x', deadline, colour: 'red' } }),
		400, 'unknown_field', 'colour');
	expectError(assert, await env.post(REC, coordA, { body: 'B330282-SCJG', data: { source: '不存在的来源', issue: 'x', deadline } }),
		422, 'invalid', 'source');
	expectError(assert, await env.post(REC, coordA, { body: 'B330282-SCJG', data: { source: '案卷评查', issue: 'x', deadline: '2026-02-30' } }),
		422, 'invalid', 'deadline');
	// The deadline cannot be before the start date.
	expectError(assert, await env.post(REC, coordA, { body: 'B330282-SCJG', start_date: today, data: { source: '案卷评查', issue: 'x', deadline: addDays(today, -1) } }),
		422, 'invalid', 'deadline');
	// Nothing of the refused ones was stored.
	const list = await env.get(`${REC}?limit=200&q=x`, coord);
	assert.equal(list.json.total, 0, list.text);
});

test('transitions: require, wrong state, own body, role, close by the city, final state, timeline', async () => {
	const rec = await rectification(coord);
	const id = rec.id;
	assert.deepEqual(rec.timeline.map((t) => t.action), ['create']);

	// Closing straight from pending is a wrong transition.
	expectError(assert, await transition(coord, id, 'close'), 409, 'bad_transition');
	expectError(assert, await transition(coord, id, 'return', { return_reason: 'x' }), 409, 'bad_transition');
	// Requesting without measures/result names the missing field.
	expectError(assert, await transition(dept, id, 'request_close'), 422, 'invalid', 'measures');
	expectError(assert, await transition(dept, id, 'request_close', { measures: '修订执法程序规定' }), 422, 'invalid', 'result');
	expectError(assert, await transition(dept, id, 'no_such_transition'), 422, 'invalid', 'transition');
	let r = await env.get(`${REC}/${id}`, coord);
	assert.equal(r.json.state, 'pending', 'refused transitions change nothing');
	assert.equal(r.json.data.measures, undefined, 'a refused transition stores none of its data');

	// An update while open is fine (the issue is the assigning office's to write).
	expectError(assert, await env.patch(`${REC}/${id}`, dept, { data: { issue: '改写问题' } }), 403, 'field_forbidden', 'issue');
	r = await env.patch(`${REC}/${id}`, coord, { data: { issue: '执法案卷存在程序瑕疵（补充说明）' } });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.title, '执法案卷存在程序瑕疵（补充说明）');

	r = await transition(dept, id, 'request_close', { measures: '修订执法程序规定', result: '已完成全部案卷复查' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.state, 'requested');
	assert.equal(r.json.closed_date, null);
	// Requesting again from requested is a wrong transition.
	expectError(assert, await transition(dept, id, 'request_close'), 409, 'bad_transition');

	// A coordinator of the item's own body may not close it…
	expectError(assert, await transition(ownCoord, id, 'close'), 403, 'forbidden');
	// …nor may a department user (role not allowed).
	expectError(assert, await transition(dept, id, 'close'), 403, 'forbidden');
	assert.equal((await env.get(`${REC}/${id}`, coord)).json.state, 'requested');

	// The city coordinator (no bodies) closes it.
	r = await transition(coord, id, 'close');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.state, 'closed');
	assert.equal(r.json.state_label, '已销号');
	assert.equal(r.json.closed_date, today);
	assert.equal(r.json.deadline_status, 'closed_on_time');
	assert.deepEqual(r.json.transitions, [], 'nothing is open from a final state');

	// Final: no update, no transition, no delete.
	expectError(assert, await env.patch(`${REC}/${id}`, coord, { data: { issue: '改' } }), 409, 'final_state');
	expectError(assert, await transition(coord, id, 'return', { return_reason: 'x' }), 409, 'bad_transition');
	assert.equal((await env.req('DELETE', `${REC}/${id}`, { sess: coord })).status, 409);
	r = await env.get(`${REC}/${id}`, coord);
	assert.equal(r.json.state, 'closed');
	assert.equal(r.json.title, '执法案卷存在程序瑕疵（补充说明）');

	// The timeline: the successful steps in order (refusals may be listed too).
	const ok = r.json.timeline.filter((t) => t.result === 'ok');
	assert.deepEqual(ok.map((t) => t.action), ['create', 'update', 'transition', 'transition'], JSON.stringify(r.json.timeline));
	assert.deepEqual(ok.filter((t) => t.action === 'transition').map((t) => [t.detail.transition, t.detail.from, t.detail.to]),
		[['request_close', 'pending', 'requested'], ['close', 'requested', 'closed']]);
	assert.deepEqual(ok.map((t) => t.actor), ['coord', 'coord', 'dept_a', 'coord']);
	for (let i = 1; i < r.json.timeline.length; i++)
		assert.ok(r.json.timeline[i].ts >= r.json.timeline[i - 1].ts, 'timeline in time order');
});

test('return sends a requested item back with a reason; delete only in the initial state', async () => {
	const rec = await rectification(coord);
	await transition(dept, rec.id, 'request_close', { measures: 'm', result: 'r' });
	expectError(assert, await transition(coord, rec.id, 'return'), 422, 'invalid', 'return_reason');
	const r = await transition(coord, rec.id, 'return', { return_reason: '印证材料不足' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.state, 'in_progress');
	assert.equal(r.json.closed_date, null);
	assert.equal((await env.req('DELETE', `${REC}/${rec.id}`, { sess: coord })).status, 409);

	const fresh = await rectification(coord);
	// Deleting undoes the assignment: the office's act, not the body's.
	expectError(assert, await env.req('DELETE', `${REC}/${fresh.id}`, { sess: dept }), 403, 'field_forbidden');
	const del = await env.req('DELETE', `${REC}/${fresh.id}`, { sess: coord });
	assert.equal(del.status, 204, del.text);
	expectError(assert, await env.get(`${REC}/${fresh.id}`, coord), 404, 'not_found');
});

test('status=overdue lists exactly the open items whose due date has passed', async () => {
	const pastStart = addDays(today, -60);
	const overdue = await rectification(coord, { start: pastStart, data: { deadline: addDays(today, -30) } });
	assert.equal(overdue.deadline_status, 'overdue');
	const overdue2 = await rectification(coord, { body: 'B330282-ZHZF', start: pastStart, data: { deadline: addDays(today, -1) } });
	// Past deadline but closed (late): not overdue any more.
	const closedLate = await rectification(coord, { start: pastStart, data: { deadline: addDays(today, -10) } });
	assert.equal((await transition(dept, closedLate.id, 'request_close', { measures: 'm', result: 'r' })).status, 200);
	const c = await transition(coord, closedLate.id, 'close');
	assert.equal(c.status, 200, c.text);
	assert.equal(c.json.deadline_status, 'closed_late');
	// Past deadline and 申请销号 late (awaiting the office): late, not overdue —
	// the body's deadline is met by its request, the office's review is apart.
	const requested = await rectification(coord, { start: pastStart, data: { deadline: addDays(today, -5) } });
	const rq = await transition(dept, requested.id, 'request_close', { measures: 'm', result: 'r' });
	assert.equal(rq.status, 200, rq.text);
	assert.equal(rq.json.deadline_status, 'closed_late');
	// Past deadline, not requested, still open: overdue.
	const started = await rectification(coord, { start: pastStart, data: { deadline: addDays(today, -5) } });
	assert.equal((await transition(dept, started.id, 'start')).status, 200);
	// Due today and due later: not overdue.
	const dueToday = await rectification(coord, { start: pastStart, data: { deadline: today } });
	const future = await rectification(coord, { data: { deadline: addDays(today, 10) } });

	const r = await env.get(`${REC}?status=overdue&limit=200`, coord);
	assert.equal(r.status, 200, r.text);
	for (const it of r.json.items) {
		assert.equal(it.closed_date, null, JSON.stringify(it));
		assert.ok(it.due_date < today, JSON.stringify(it));
		assert.equal(it.deadline_status, 'overdue');
	}
	const ids = new Set(r.json.items.map((x) => x.id));
	assert.equal(r.json.total, r.json.items.length);
	for (const x of [overdue, overdue2, started]) assert.ok(ids.has(x.id), `${x.id} overdue`);
	for (const x of [closedLate, requested, dueToday, future]) assert.ok(!ids.has(x.id), `${x.id} not overdue`);
	// Every overdue one in the whole register (as each record's status says) is in the answer.
	const all = await env.get(`${REC}?limit=200`, coord);
	const expected = all.json.items.filter((x) => x.deadline_status === 'overdue').map((x) => x.id).sort((p, q) => p - q);
	assert.deepEqual([...ids].sort((p, q) => p - q), expected);

	// status=open: every item without a closed date, and only those.
	const open = await env.get(`${REC}?status=open&limit=200`, coord);
	assert.deepEqual(open.json.items.map((x) => x.id).sort((p, q) => p - q),
		all.json.items.filter((x) => !x.closed_date).map((x) => x.id).sort((p, q) => p - q));
	assert.ok(!open.json.items.some((x) => x.id === closedLate.id));
	// Combined with a body filter.
	const zhzf = await env.idOf('bodies', { q: 'B330282-ZHZF' }, coord);
	const byBody = await env.get(`${REC}?status=overdue&body=${zhzf}&limit=200`, coord);
	assert.deepEqual(byBody.json.items.map((x) => x.id), [overdue2.id]);
	expectError(assert, await env.get(`${REC}?status=late`, coord), 400, 'bad_param', 'status');
});

test('a county user neither sees nor touches the other county\'s records', async () => {
	const b = await rectification(coord, { body: 'B330281-SCJG' });
	const a = await rectification(coord, { body: 'B330282-SCJG' });
	const other = await env.get(`${REC}/${b.id}`, coordA);
	const missing = await env.get(`${REC}/99999999`, coordA);
	expectError(assert, other, 404, 'not_found');
	assert.equal(other.text, missing.text, 'out of scope answers exactly like a missing id');
	expectError(assert, await env.patch(`${REC}/${b.id}`, coordA, { data: { issue: '越权' } }), 404, 'not_found');
	expectError(assert, await transition(coordA, b.id, 'start'), 404, 'not_found');
	expectError(assert, await env.req('DELETE', `${REC}/${b.id}`, { sess: coordA }), 404, 'not_found');
	assert.equal((await env.get(`${REC}/${b.id}`, coord)).json.state, 'pending', 'unchanged');
	assert.equal((await env.get(`${REC}/${b.id}`, coordB)).status, 200);
	expectError(assert, await env.get(`${REC}/${a.id}`, coordB), 404, 'not_found');

	// Lists hold only the county (and the department only its body).
	const listA = await env.get(`${REC}?limit=200`, coordA);
	assert.ok(listA.json.items.length > 0);
	assert.ok(listA.json.items.every((x) => x.region === '330282'), JSON.stringify(listA.json.items.map((x) => x.region)));
	assert.ok(!listA.json.items.some((x) => x.id === b.id));
	assert.ok(listA.json.items.some((x) => x.id === a.id));
	assert.equal((await env.get(`${REC}?region=330281`, coordA)).json.total, 0);
	assert.equal((await env.get(`${REC}?status=open&region=330200&limit=200`, coordA)).json.items.some((x) => x.id === b.id), false);
	const listB = await env.get(`${REC}?limit=200`, coordB);
	assert.deepEqual(listB.json.items.map((x) => x.id), [b.id]);
	const listDept = await env.get(`${REC}?limit=200`, dept);
	assert.ok(listDept.json.items.every((x) => x.body_name === '慈溪市市场监督管理局'));
	// Nor can it create one for the other county's body.
	const cr = await env.post(REC, coordA, { body: 'B330281-SCJG', data: { source: '其他', issue: 'x', deadline: addDays(today, 5) } });
	assert.equal(cr.status, 403, cr.text);
	assert.equal((await env.get(`${REC}?limit=200`, coordB)).json.total, 1);
});

test('a proposal is due three months after 交办 (代表法 第五十一条), six when broad, by the statutory clock', async () => {
	const proposal = (start, n, data = {}) => env.post(PROP, coord, {
		body: 'B330282-GOV', start_date: start,
		data: { kind: '人大代表建议', number: `RD-${n}`, title: `关于完善执法公示的建议 ${n}`, proposer: '张代表', ...data },
	});
	// 2025-03-01 + 3 months is Sunday 06-01 in 端午 (05-31…06-02): 2025-06-03.
	let r = await proposal('2025-03-01', 1);
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.due_date, '2025-06-03');
	assert.equal(r.json.data.due, '2025-06-03');
	assert.equal(r.json.state, 'assigned');
	// 01-31 + 3 months: April has no 31st, its last day 04-30 (a Wednesday).
	assert.equal((await proposal('2025-01-31', 2)).json.due_date, '2025-04-30');
	// Broad or hard to handle: six months; a 政协提案 by its own settings (three).
	assert.equal((await proposal('2025-03-01', 3, { broad: '是' })).json.due_date, '2025-09-01');
	assert.equal((await proposal('2025-03-01', 4, { kind: '政协提案' })).json.due_date, '2025-06-03');
	let n = 10;
	for (const start of ['2025-07-03', '2025-02-03', '2026-01-05', addDays(today, -7), today]) {
		const p = await proposal(start, n++);
		assert.equal(p.status, 201, p.text);
		assert.equal(p.json.due_date, await deadlineCli(start, { months: 3 }), `start ${start}`);
	}
	// The due date is the system's: not given at 交办, not written after.
	expectError(assert, await proposal('2025-07-03', 98, { due: '2099-12-31' }), 403, 'field_forbidden', 'due');
	const p = await proposal('2025-07-03', 99);
	const u = await env.patch(`${PROP}/${p.json.id}`, coord, { data: { cooperating: '慈溪市司法局' } });
	assert.equal(u.status, 200, u.text);
	assert.equal(u.json.due_date, '2025-10-09'); // 07-03 + 3 months = 10-03, in 国庆节 10/1–10/8
	expectError(assert, await env.patch(`${PROP}/${p.json.id}`, coord, { data: { due: '2099-12-31' } }), 403, 'field_forbidden', 'due');
});
