// field_rules.test.mjs — who may write which field of a record, over HTTP:
// a responsible body cannot move its own 整改期限 (the finding: 2025-01-10
// → 2099-12-31 turned an overdue item 正常); a deadline moves only by an
// extension the body requests with a reason and the assigning office
// approves, and the timeline shows both dates; a proposal's satisfaction is
// recorded by the assigning office with its source and date, never by the
// handling body, which cannot close the proposal either. Each refusal is
// 403 field_forbidden/forbidden naming the field and the rule, audited;
// the record's detail lists only what the caller may write and do.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addDays, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const REC = '/api/v1/registers/rectification/records';
const PROP = '/api/v1/registers/proposal/records';
const today = todayCst();

let env, coord, dept, ownCoord;

before(async () => {
	env = await setup({
		users: [...defaultUsers(), { username: 'coord_own', role: 'coordinator', scope: '330282', bodies: ['B330282-SCJG'] }],
	});
	coord = await env.login('coord');
	dept = await env.login('dept_a');
	ownCoord = await env.login('coord_own');
});
after(async () => { await env?.close(); });

const move = (sess, id, name, data, reg = REC) =>
	env.post(`${reg}/${id}/transitions`, sess, data ? { transition: name, data } : { transition: name });

test('the definitions carry each field\'s write rule', async () => {
	const r = await env.get('/api/v1/registers/rectification', coord);
	assert.equal(r.status, 200, r.text);
	const deadline = r.json.fields.find((f) => f.name === 'deadline');
	assert.deepEqual(deadline.write, { roles: ['coordinator'], side: 'assigning', states: [] });
	const approve = r.json.transitions.find((t) => t.name === 'approve_extension');
	assert.deepEqual(approve.set, { deadline: 'extension_to' });
	assert.equal(approve.side, 'assigning');
	const p = await env.get('/api/v1/registers/proposal', coord);
	assert.equal(p.json.fields.find((f) => f.name === 'satisfaction').write.side, 'assigning');
});

test('a responsible body cannot move its own deadline: 2025-01-10 → 2099-12-31 is refused, the item stays overdue', async () => {
	let r = await env.post(REC, coord, { body: 'B330282-SCJG', start_date: '2024-12-01',
		data: { source: '法治督察', issue: '期限不得自改', deadline: '2025-01-10' } });
	assert.equal(r.status, 201, r.text);
	const id = r.json.id;
	assert.equal(r.json.deadline_status, 'overdue');

	r = await env.patch(`${REC}/${id}`, dept, { data: { deadline: '2099-12-31' } });
	expectError(assert, r, 403, 'field_forbidden', 'deadline');
	assert.match(r.json.error.message, /无权填写整改期限/);
	assert.match(r.json.error.message, /协调员（交办方）/);
	assert.match(r.json.error.message, /批准延期/);
	// Not through a transition's data, not by a coordinator of the body,
	// not even by the office itself outside an extension.
	expectError(assert, await move(dept, id, 'start', { deadline: '2099-12-31' }), 403, 'field_forbidden', 'deadline');
	expectError(assert, await env.patch(`${REC}/${id}`, ownCoord, { data: { deadline: '2099-12-31' } }), 403, 'field_forbidden', 'deadline');
	expectError(assert, await env.patch(`${REC}/${id}`, coord, { data: { deadline: '2099-12-31' } }), 403, 'field_forbidden', 'deadline');

	r = await env.get(`${REC}/${id}`, dept);
	assert.equal(r.json.due_date, '2025-01-10');
	assert.equal(r.json.data.deadline, '2025-01-10');
	assert.equal(r.json.deadline_status, 'overdue');
	assert.equal(r.json.state, 'pending');
	// Each refusal is in the audit log with the field and the rule.
	const refused = (await env.audit({ entity: 'rectification', result: 'refused' }))
		.filter((x) => x.entity_id === String(id)).map((x) => JSON.parse(x.detail));
	assert.equal(refused.length, 4, JSON.stringify(refused));
	assert.ok(refused.every((d) => d.field === 'deadline' && d.code === 'field_forbidden' && /批准延期/.test(d.reason)));
});

test('a deadline moves by an extension: requested with a reason by the body, approved by the office; the timeline shows both dates', async () => {
	let r = await env.post(REC, coord, { body: 'B330282-SCJG', start_date: '2024-12-01',
		data: { source: '案卷评查', issue: '延期流程', deadline: '2025-01-10' } });
	const id = r.json.id;
	const later = addDays(today, 30);
	// The body sees only what it may write and do.
	r = await env.get(`${REC}/${id}`, dept);
	assert.ok(r.json.writable.includes('extension_to') && r.json.writable.includes('measures'), r.text);
	assert.ok(!r.json.writable.includes('deadline') && !r.json.writable.includes('issue'), r.text);
	const names = r.json.transitions.map((t) => t.name);
	assert.ok(names.includes('request_extension') && !names.includes('approve_extension'), names.join());
	r = await env.get(`${REC}/${id}`, coord);
	assert.ok(!r.json.transitions.map((t) => t.name).includes('request_extension'), 'the office does not request');

	expectError(assert, await move(dept, id, 'request_extension', { extension_to: later }), 422, 'invalid', 'extension_reason');
	expectError(assert, await move(coord, id, 'request_extension', { extension_to: later, extension_reason: '代申请' }), 403, 'forbidden');
	r = await move(dept, id, 'request_extension', { extension_to: later, extension_reason: '需等待上级批复' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.state, 'extension_requested');
	assert.equal(r.json.due_date, '2025-01-10', 'a request moves nothing');
	expectError(assert, await move(dept, id, 'approve_extension'), 403, 'forbidden');
	expectError(assert, await move(ownCoord, id, 'approve_extension'), 403, 'forbidden');
	r = await env.get(`${REC}/${id}`, coord);
	assert.ok(r.json.transitions.map((t) => t.name).includes('approve_extension'));
	r = await move(coord, id, 'approve_extension');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.state, 'in_progress');
	assert.equal(r.json.due_date, later);
	assert.equal(r.json.data.deadline, later);
	assert.equal(r.json.deadline_status, 'on_time');
	const step = r.json.timeline.find((t) => t.detail.transition === 'approve_extension');
	assert.deepEqual(step.detail.changes.deadline, { from: '2025-01-10', to: later });
	assert.deepEqual(step.detail.changes.due_date, { from: '2025-01-10', to: later });
	assert.equal(step.actor, 'coord');

	// Refused: a reply is required, the deadline stays.
	r = await move(dept, id, 'request_extension', { extension_to: addDays(today, 90), extension_reason: '再延' });
	assert.equal(r.status, 200, r.text);
	expectError(assert, await move(coord, id, 'reject_extension'), 422, 'invalid', 'extension_reply');
	r = await move(coord, id, 'reject_extension', { extension_reply: '理由不充分' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.due_date, later);
});

test('satisfaction is the assigning office\'s, with source and date; the handling body neither records it nor closes', async () => {
	let r = await env.post(PROP, coord, { body: 'B330282-SCJG',
		data: { kind: '人大代表建议', number: 'FR-1', title: '满意度由交办方登记', proposer: '张代表' } });
	assert.equal(r.status, 201, r.text);
	const id = r.json.id;
	assert.equal((await move(dept, id, 'accept', null, PROP)).status, 200);
	r = await move(dept, id, 'reply', { reply: '已按建议落实', result: '已解决或基本解决', communication_method: '电话',
		communication_date: today }, PROP);
	assert.equal(r.status, 200, r.text);
	assert.ok(!r.json.writable.includes('satisfaction'));
	assert.ok(!r.json.transitions.map((t) => t.name).includes('close'));

	const sat = { satisfaction: '满意', satisfaction_source: '电话', satisfaction_date: today };
	// The finding: the body records 满意 itself and closes.
	r = await env.patch(`${PROP}/${id}`, dept, { data: { satisfaction: '满意' } });
	expectError(assert, r, 403, 'field_forbidden', 'satisfaction');
	assert.match(r.json.error.message, /代表委员意见.*协调员（交办方）/);
	expectError(assert, await move(dept, id, 'close', sat, PROP), 403, 'forbidden');
	expectError(assert, await move(ownCoord, id, 'close', sat, PROP), 403, 'forbidden');
	expectError(assert, await env.patch(`${PROP}/${id}`, ownCoord, { data: sat }), 403, 'field_forbidden', 'satisfaction');
	assert.equal((await env.get(`${PROP}/${id}`, coord)).json.state, 'replied');

	// The office: source and date required, the date not in the future.
	expectError(assert, await move(coord, id, 'close', { satisfaction: '满意' }, PROP), 422, 'invalid', 'satisfaction_source');
	expectError(assert, await move(coord, id, 'close', { ...sat, satisfaction_date: addDays(today, 1) }, PROP), 422, 'invalid', 'satisfaction_date');
	expectError(assert, await move(coord, id, 'close', { ...sat, satisfaction_source: '猜测' }, PROP), 422, 'invalid', 'satisfaction_source');
	r = await move(coord, id, 'close', sat, PROP);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.state, 'closed');
	assert.deepEqual([r.json.data.satisfaction, r.json.data.satisfaction_source, r.json.data.satisfaction_date], ['满意', '电话', today]);
	assert.equal(r.json.timeline.find((t) => t.detail.transition === 'close').actor, 'coord');
	const refused = (await env.audit({ entity: 'proposal', result: 'refused' })).filter((x) => x.entity_id === String(id));
	assert.equal(refused.length, 4, JSON.stringify(refused));
});
