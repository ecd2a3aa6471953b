// workbench.test.mjs — the 工作台 (GET /api/v1/workbench): per register, the
// open records whose next step is the caller's (待办: the handling body's
// steps on its own records, the office's 审核 steps on the others'), due
// within the setting due_soon_working_days, and overdue; the counts equal
// the register list filtered the same way (todo=1, status=due_soon,
// status=overdue), and move as the work moves from one side to the other.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const REC = '/api/v1/registers/rectification/records';
const today = todayCst();
let env, coord, dept;
before(async () => {
	env = await setup({ users: defaultUsers() });
	coord = await env.login('coord');
	dept = await env.login('dept_a'); // bound to B330282-SCJG
});
after(async () => { await env?.close(); });

const bench = async (sess) => {
	const r = await env.get('/api/v1/workbench', sess);
	assert.equal(r.status, 200, r.text);
	return r.json;
};
const rect = (w) => w.registers.find((x) => x.name === 'rectification');
const total = async (sess, query) => (await env.get(`${REC}?${query}&limit=1`, sess)).json.total;
const item = (deadline, issue) => env.rectItem(coord, 'B330282-SCJG', deadline, issue);
const step = (sess, id, transition, data) => env.rectStep(sess, id, transition, data);

test('each count is the register list filtered the same way, for each side', async () => {
	await item(addDays(today, 60), '工作台：稍后到期');
	await item(addDays(today, -3), '工作台：已逾期');
	await item(addDays(today, 1), '工作台：即将到期');
	for (const sess of [coord, dept]) {
		const w = rect(await bench(sess));
		assert.equal(w.todo, await total(sess, 'todo=1'));
		assert.equal(w.due_soon, await total(sess, 'status=due_soon'));
		assert.equal(w.overdue, await total(sess, 'status=overdue'));
	}
	const d = rect(await bench(dept));
	assert.ok(d.todo >= 3 && d.overdue >= 1 && d.due_soon >= 1, JSON.stringify(d));
	assert.match((await bench(dept)).due_soon_until, /^\d{4}-\d{2}-\d{2}$/);
});

test('待办 moves with the work: the body applies for 销号, the office has it to review', async () => {
	const id = await item(addDays(today, 30), '工作台：申请销号');
	const before = { coord: rect(await bench(coord)).todo, dept: rect(await bench(dept)).todo };
	await step(dept, id, 'request_close', { measures: '已整改', result: '材料齐全' });
	assert.equal(rect(await bench(dept)).todo, before.dept - 1, 'no longer the body\'s');
	assert.equal(rect(await bench(coord)).todo, before.coord + 1, 'now the office\'s');
	const mine = (await env.get(`${REC}?todo=1&limit=200`, coord)).json.items.map((x) => x.id);
	assert.ok(mine.includes(id));
	await step(coord, id, 'close');
	assert.equal(rect(await bench(coord)).todo, before.coord);
});

test('tasks due soon and overdue, in scope; bad filters refused', async () => {
	const r = await env.post('/api/v1/assignments', coord, { indicator: '8.34.1', body: 'B330282-SCJG', role: 'lead', due_date: addDays(today, -1) });
	assert.equal(r.status, 201, r.text);
	assert.ok((await bench(dept)).tasks.overdue >= 1);
	expectError(assert, await env.get(`${REC}?todo=2`, dept), 400, 'bad_param', 'todo');
	expectError(assert, await env.get(`${REC}?status=later`, dept), 400, 'bad_param', 'status');
});

test('the audit log names a register\'s records by the register\'s label', async () => {
	const log = await env.audit({ entity: 'rectification' });
	assert.ok(log.length > 0);
	for (const e of log) assert.equal(e.entity_label, '整改台账');
});
