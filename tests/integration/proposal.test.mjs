// proposal.test.mjs — 建议提案 as 代表法 第五十一条 and the demo province's
// rules (浙江省人民代表大会代表建议、批评和意见办理的规定) describe: the body
// accepts or asks within 10 days to be relieved (第十四条), talks with the
// deputy and replies with a result class (the 协办 opinion first, 第十八条);
// an extension never past six months (代表法); the office records the view:
// 不满意 → 重新办理 within a month (第二十四条), 列入计划 → 跟踪落实
// (第二十条); on-time is judged at the first reply, not at 办结.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { addDays, deadlineCli, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const PROP = '/api/v1/registers/proposal/records';
const today = todayCst();
let env, coord, dept, n = 0;

before(async () => {
	env = await setup({ users: defaultUsers() });
	coord = await env.login('coord');
	dept = await env.login('dept_a'); // bound to B330282-SCJG
});
after(async () => { await env?.close(); });

async function assign(data = {}, start = today) {
	const r = await env.post(PROP, coord, { body: 'B330282-SCJG', start_date: start,
		data: { kind: '人大代表建议', number: `ZJ-${++n}`, title: `关于规范涉企检查的建议 ${n}`, proposer: '王代表', ...data } });
	assert.equal(r.status, 201, r.text);
	return r.json.id;
}
const move = (sess, id, transition, data) =>
	env.post(`${PROP}/${id}/transitions`, sess, data ? { transition, data } : { transition });
const must = async (p) => { const r = await p; assert.equal(r.status, 200, r.text); return r.json; };
const answer = (extra = {}) => ({ reply: '已研究落实', result: '已解决或基本解决', communication_method: '座谈',
	communication_date: today, ...extra });
const view = (satisfaction) => ({ satisfaction, satisfaction_source: '书面', satisfaction_date: today });

test('the body asks to be relieved within 10 days of 交办 (浙江规定 第十四条); the office agrees or refuses', async () => {
	const late = await assign({}, addDays(today, -11));
	const r = await move(dept, late, 'request_reassign', { reassign_reason: '不属于本单位职责' });
	expectError(assert, r, 409, 'window_closed', 'transition');
	assert.match(r.json.error.message, /10 日内.*第十四条/);
	const id = await assign({}, addDays(today, -10));
	await must(move(dept, id, 'request_reassign', { reassign_reason: '不属于本单位职责' }));
	expectError(assert, await move(dept, id, 'approve_reassign', { reassign_reply: '同意' }), 403, 'forbidden');
	const back = await must(move(coord, id, 'approve_reassign', { reassign_reply: '同意，另行交办' }));
	assert.equal(back.state, 'reassigned');
	// Returned items are not counted as received by the body.
	const drill = await env.get(`/api/v1/evaluation/drill?metric=proposal.received&region=330282&period=${today.slice(0, 4)}`, coord);
	assert.ok(!drill.json.items.some((x) => x.id === id));
});

test('the reply needs the talk with the deputy and a result class, and the 协办 opinion first (第十八条)', async () => {
	const id = await assign({ cooperating: '慈溪市财政局' });
	const rec = (await env.get(`${PROP}/${id}`, coord)).json;
	assert.equal(rec.data.cooperate_due, await deadlineCli(rec.start_date, { months: 2 }));
	await must(move(dept, id, 'accept'));
	expectError(assert, await move(dept, id, 'reply', { reply: '已答复' }), 422, 'invalid', 'result');
	expectError(assert, await move(dept, id, 'reply', answer({ communication_method: undefined })), 422, 'invalid', 'communication_method');
	const r = await move(dept, id, 'reply', answer());
	expectError(assert, r, 422, 'invalid', 'cooperating_opinion');
	assert.match(r.json.error.message, /第十八条/);
	const done = await must(move(dept, id, 'reply', answer({ cooperating_opinion: '财政局书面意见已收到' })));
	assert.equal(done.state, 'replied');
	assert.equal(done.data.replied_on, today);
	// The office cannot reply for the body.
	const other = await assign();
	await must(move(dept, other, 'accept'));
	expectError(assert, await move(coord, other, 'reply', answer()), 403, 'forbidden');
});

test('an extension is asked by the body, approved by the office, never past six months (代表法 第五十一条)', async () => {
	const start = '2025-03-01';
	const id = await assign({}, start);
	const r = await move(dept, id, 'request_extension', { extension_to: '2025-09-02', extension_reason: '涉及多部门' });
	expectError(assert, r, 422, 'invalid', 'extension_to');
	assert.match(r.json.error.message, /不得晚于 2025-09-01.*第五十一条/);
	await must(move(dept, id, 'request_extension', { extension_to: '2025-09-01', extension_reason: '涉及多部门' }));
	expectError(assert, await move(dept, id, 'approve_extension'), 403, 'forbidden');
	const ok = await must(move(coord, id, 'approve_extension'));
	assert.equal(ok.due_date, '2025-09-01');
	assert.equal(ok.state, 'handling');
});

test('不满意 → 重新办理 within a month (第二十四条) and the view is asked again; never a plain 办结', async () => {
	const id = await assign();
	await must(move(dept, id, 'accept'));
	await must(move(dept, id, 'reply', answer()));
	const r = await move(coord, id, 'close', view('不满意'));
	expectError(assert, r, 409, 'dissatisfied', 'satisfaction');
	assert.match(r.json.error.message, /第二十四条/);
	expectError(assert, await move(coord, id, 'rehandle', view('满意')), 409, 'not_dissatisfied', 'satisfaction');
	const again = await must(move(coord, id, 'rehandle', view('不满意')));
	assert.equal(again.state, 'rehandling');
	assert.equal(again.data.rehandle_due, await deadlineCli(today, { months: 1 }));
	const second = await must(move(dept, id, 're_reply', { reply: '重新研究后答复', result: '已解决或基本解决' }));
	assert.equal(second.state, 'replied');
	assert.equal(second.data.satisfaction, undefined, 'the earlier view is cleared');
	assert.equal(second.data.replied_on, today, 'on-time stays judged at the first reply');
	const closed = await must(move(coord, id, 'close', view('基本满意')));
	assert.equal(closed.state, 'closed');
	assert.equal(closed.data.counted_satisfied, '是'); // proposal.basic_counts_satisfied = 1
});

test('列入计划逐步解决 → 跟踪落实 (第二十条), closed after the follow-up', async () => {
	const id = await assign();
	await must(move(dept, id, 'accept'));
	await must(move(dept, id, 'reply', answer({ result: '列入计划逐步解决' })));
	expectError(assert, await move(coord, id, 'close', view('满意')), 409, 'planned', 'result');
	const tracking = await must(move(coord, id, 'track', view('满意')));
	assert.equal(tracking.state, 'tracking');
	expectError(assert, await move(coord, id, 'finish'), 422, 'invalid', 'follow_up');
	await must(env.patch(`${PROP}/${id}`, dept, { data: { follow_up: '已纳入年度计划并完成，已再次答复' } }));
	assert.equal((await must(move(coord, id, 'finish'))).state, 'closed');
});

test('on-time is judged at the first reply: replied in time, closed after the due date, counts as on time', async () => {
	// Back-dated history through the CLI (a coordinator's act, audited).
	const dir = mkdtempSync(join(tmpdir(), 'fazhi-prop-'));
	const line = (num, replyOn, closeOn) => JSON.stringify({ body: 'B330282-SCJG', start_date: '2025-03-03',
		data: { kind: '人大代表建议', number: num, title: `按期答复测试 ${num}`, proposer: '李代表' },
		history: [
			{ transition: 'accept', date: '2025-03-05' },
			{ transition: 'reply', date: replyOn, data: { reply: '已答复', result: '已解决或基本解决', communication_method: '电话', communication_date: replyOn } },
			{ transition: 'close', date: closeOn, data: { satisfaction: '满意', satisfaction_source: '电话', satisfaction_date: closeOn } },
		] });
	try {
		const file = join(dir, 'p.jsonl');
		// Due 2025-06-03: the first replied 05-30 and closed 06-20; the second replied 06-10.
		writeFileSync(file, `${line('OT-1', '2025-05-30', '2025-06-20')}\n${line('OT-2', '2025-06-10', '2025-06-12')}\n`);
		const r = await env.fazhi(['records', 'import', '--db', env.uri, '--register', 'proposal', file]);
		assert.equal(r.code, 0, r.stderr);
		const list = await env.get(`${PROP}?q=按期答复测试`, coord);
		const byNum = Object.fromEntries(list.json.items.map((x) => [x.data.number, x]));
		assert.equal(byNum['OT-1'].due_date, '2025-06-03');
		assert.equal(byNum['OT-1'].closed_date, '2025-06-20');
		assert.equal(byNum['OT-1'].deadline_status, 'closed_on_time');
		assert.equal(byNum['OT-2'].deadline_status, 'closed_late');
		const drill = await env.get('/api/v1/evaluation/drill?metric=proposal.replied_on_time&region=330282&period=2025', coord);
		const ids = drill.json.items.map((x) => x.id);
		assert.ok(ids.includes(byNum['OT-1'].id) && !ids.includes(byNum['OT-2'].id));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('the periods are the province\'s settings, each naming its source', async () => {
	const r = await env.fazhi(['settings', '--db', env.uri]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /proposal\.npc_reply_months\s+3 .*代表法》第五十一条/);
	assert.match(r.stdout, /proposal\.reassign_days\s+10 .*第十四条/);
	assert.match(r.stdout, /proposal\.rehandle_months\s+1 .*第二十四条/);
	const bad = await env.fazhi(['settings', 'set', 'proposal.npc_reply_months', '7', '--db', env.uri]);
	assert.notEqual(bad.code, 0);
	assert.match(bad.stderr, /1 到 6/);
});
