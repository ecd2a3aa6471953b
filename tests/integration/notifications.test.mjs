// notifications.test.mjs — 待办 (GET /api/v1/todo), in-app notifications
// made by the server's notification pass, 催办/督办单 (POST /api/v1/urges),
// and outgoing webhooks posted to a local receiver: each event is told
// once — across passes and a restart of the server — to the people it
// concerns and to nobody else.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { addDays, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const REC = '/api/v1/registers/rectification/records';
const today = todayCst();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let env, coord, coordB, dept, sys, receiver;
const received = [];
let answer = { status: 200, body: '{"errcode":0,"errmsg":"ok"}' };

before(async () => {
	receiver = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => { body += c; });
		req.on('end', () => {
			received.push({ path: req.url, type: req.headers['content-type'], json: JSON.parse(body) });
			res.writeHead(answer.status, { 'Content-Type': 'application/json' });
			res.end(answer.body);
		});
	});
	await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
	env = await setup({ users: defaultUsers(), settings: { notify_interval_seconds: 1 } });
	coord = await env.login('coord');
	coordB = await env.login('coord_b');
	dept = await env.login('dept_a'); // bound to B330282-SCJG
	sys = await env.login('sysadmin');
});
after(async () => {
	await env?.close();
	receiver?.close();
});

const hookUrl = (path) => `http://127.0.0.1:${receiver.address().port}${path}`;
const item = (deadline, issue) => env.rectItem(coord, 'B330282-SCJG', deadline, issue);
const step = (sess, id, transition, data) => env.rectStep(sess, id, transition, data);
const notes = async (sess, q = '') => {
	const r = await env.get(`/api/v1/notifications?limit=100${q}`, sess);
	assert.equal(r.status, 200, r.text);
	return r.json;
};
// Waits for the server's pass (every second) to have told sess of pred.
const waitFor = async (sess, pred, what) => {
	for (let i = 0; i < 100; i++) {
		const found = (await notes(sess)).items.filter(pred);
		if (found.length) return found;
		await sleep(100);
	}
	assert.fail(`no notification: ${what}`);
};
const about = (id, kind) => (n) => n.entity === 'rectification' && n.entity_id === id && n.kind === kind;

test('a webhook per body and per region is configured by the system administrator only, its key masked', async () => {
	expectError(assert, await env.post('/api/v1/webhooks', coord, { name: 'x', region: '330282', url: hookUrl('/x') }), 403, 'forbidden');
	expectError(assert, await env.post('/api/v1/webhooks', sys, { name: '慈溪', region: '330282', body: 1, url: hookUrl('/x') }), 422, 'invalid', 'region');
	const bad = await env.post('/api/v1/webhooks', sys, { name: '慈溪', region: '330282', url: 'ftp://example.com/x' });
	expectError(assert, bad, 422, 'invalid', 'url');
	assert.match(bad.json.error.message, /推送地址/);
	expectError(assert, await env.post('/api/v1/webhooks', sys, { name: '慈溪', region: '999999', url: hookUrl('/x') }), 422, 'invalid', 'region');
	const county = await env.post('/api/v1/webhooks', sys, { name: '慈溪市群机器人', region: '330282', url: hookUrl('/county?key=secret-county-key') });
	assert.equal(county.status, 201, county.text);
	assert.ok(!county.json.url.includes('secret-county'), county.json.url);
	const other = await env.post('/api/v1/webhooks', sys, { name: '余姚市群机器人', region: '330281', url: hookUrl('/other') });
	assert.equal(other.status, 201, other.text);
	const list = await env.get('/api/v1/webhooks', sys);
	assert.equal(list.json.total, 2);
	const t = await env.post(`/api/v1/webhooks/${county.json.id}/test`, sys, {});
	assert.equal(t.status, 200, t.text);
	assert.equal(t.json.delivered, true);
	const got = received.at(-1);
	assert.equal(got.path, '/county?key=secret-county-key');
	assert.equal(got.json.msgtype, 'text');
	assert.match(got.json.text.content, /测试消息/);
	const log = await env.audit({ entity: 'webhook' });
	assert.ok(log.every((e) => !JSON.stringify(e.detail).includes('secret-county')), 'the key is never audited');
	const off = await env.patch(`/api/v1/webhooks/${other.json.id}`, sys, { enabled: false });
	assert.equal(off.json.enabled, false);
	assert.equal((await env.req('DELETE', `/api/v1/webhooks/${other.json.id}`, { sess: sys })).status, 204);
	assert.equal((await env.req('DELETE', `/api/v1/webhooks/${other.json.id}`, { sess: sys })).status, 404);
});

test('a returned item: the body is told with the reason, once, and its 待办 says returned', async () => {
	const id = await item(addDays(today, 30), '通知：退回');
	await step(dept, id, 'request_close', { measures: '已整改', result: '材料齐全' });
	const review = await waitFor(coord, about(id, 'review'), 'the office reviews');
	assert.match(review[0].text, /申请销号/);
	assert.equal((await notes(coordB)).items.filter(about(id, 'review')).length, 0, 'another county\'s office is not told');
	await step(coord, id, 'return', { return_reason: '佐证材料不全' });
	const [n] = await waitFor(dept, about(id, 'returned'), 'the body is told');
	assert.equal(n.kind_label, '退回');
	assert.match(n.text, /退回理由：佐证材料不全/);
	assert.equal(n.read, false);
	const todo = await env.get('/api/v1/todo', dept);
	assert.equal(todo.status, 200, todo.text);
	const mine = todo.json.items.find((x) => x.register === 'rectification' && x.record_id === id);
	assert.equal(mine.kind, 'returned');
	assert.equal(mine.reason, '佐证材料不全');
	// Told once: later passes and a restart add nothing.
	await sleep(1500);
	await env.restart();
	dept = await env.login('dept_a');
	await sleep(1500);
	assert.equal((await notes(dept)).items.filter(about(id, 'returned')).length, 1);
	// the audit viewer reads the step in Chinese: the step's and the states' labels, no identifiers
	const entry = (await env.audit({ entity: 'rectification', entity_id: String(id), action: 'transition' }))
		.find((e) => JSON.parse(e.detail).transition === 'return');
	assert.match(entry.detail_text, /^退回：申请销号 → 整改中；/);
	assert.match(entry.detail_text, /登记簿：整改台账/);
	assert.doesNotMatch(entry.detail_text, /[a-z_]{2,}：/);
	const posted = received.filter((x) => x.json.text.content.includes('佐证材料不全'));
	assert.equal(posted.length, 1, 'the county\'s robot got it once');
	assert.equal(posted[0].path, '/county?key=secret-county-key');
});

test('read state is the user\'s own', async () => {
	const before = await notes(dept);
	assert.ok(before.unread > 0);
	const id = before.items[0].id;
	const r = await env.post('/api/v1/notifications/read', coord, { ids: [id] });
	assert.equal(r.status, 200, r.text);
	assert.equal((await notes(dept)).unread, before.unread, 'another user cannot mark mine');
	const mine = await env.post('/api/v1/notifications/read', dept, { ids: [id] });
	assert.equal(mine.json.unread, before.unread - 1);
	assert.equal((await notes(dept, '&unread=1')).items.some((x) => x.id === id), false);
	expectError(assert, await env.post('/api/v1/notifications/read', dept, { ids: [] }), 422, 'invalid', 'ids');
	expectError(assert, await env.post('/api/v1/notifications/read', dept, { ids: ['x'] }), 422, 'invalid', 'ids');
	const all = await env.post('/api/v1/notifications/read', dept, { all: true });
	assert.equal(all.json.unread, 0);
});

test('催办 and 督办: the office on another body\'s open item, on its timeline, told to the body', async () => {
	const late = await item(addDays(today, -2), '通知：逾期待督办');
	const soon = await item(addDays(today, 5), '通知：未逾期');
	expectError(assert, await env.post('/api/v1/urges', dept, { entity: 'rectification', id: late, kind: 'urge' }), 403, 'forbidden');
	expectError(assert, await env.post('/api/v1/urges', coordB, { entity: 'rectification', id: late, kind: 'urge' }), 404, 'not_found');
	expectError(assert, await env.post('/api/v1/urges', coord, { entity: 'rectification', id: soon, kind: 'supervise' }), 409, 'not_overdue', 'kind');
	expectError(assert, await env.post('/api/v1/urges', coord, { entity: 'nothing', id: late, kind: 'urge' }), 422, 'invalid', 'entity');
	expectError(assert, await env.post('/api/v1/urges', coord, { entity: 'rectification', id: late, kind: 'shout' }), 422, 'invalid', 'kind');
	expectError(assert, await env.post('/api/v1/urges', coord, { entity: 'rectification', id: late, kind: 'urge', reply_by: addDays(today, -1) }), 422, 'invalid', 'reply_by');
	const r = await env.post('/api/v1/urges', coord, { entity: 'rectification', id: late, kind: 'supervise', message: '请于三日内整改到位。', reply_by: addDays(today, 3) });
	assert.equal(r.status, 201, r.text);
	expectError(assert, await env.post('/api/v1/urges', coord, { entity: 'rectification', id: late, kind: 'supervise' }), 409, 'duplicate', 'kind');
	const rec = await env.get(`${REC}/${late}`, coord);
	const entry = rec.json.timeline.find((x) => x.action === 'urge');
	assert.equal(entry.detail.kind, 'supervise');
	assert.equal(entry.detail.message, '请于三日内整改到位。');
	const [n] = await waitFor(dept, about(late, 'urge'), 'the body is urged');
	assert.match(n.title, /督办单/);
	assert.match(n.text, /请于三日内整改到位/);
	// a task too
	const task = await env.post('/api/v1/assignments', coord, { indicator: '8.34.1', body: 'B330282-SCJG', role: 'lead', due_date: addDays(today, 10) });
	assert.equal(task.status, 201, task.text);
	const u = await env.post('/api/v1/urges', coord, { entity: 'assignment', id: task.json.id, kind: 'urge' });
	assert.equal(u.status, 201, u.text);
	await waitFor(dept, (x) => x.entity === 'assignment' && x.entity_id === task.json.id && x.kind === 'urge', 'the task is urged');
	await waitFor(dept, (x) => x.entity === 'assignment' && x.entity_id === task.json.id && x.kind === 'assigned', 'the task is assigned');
	const refused = await env.audit({ action: 'urge' });
	assert.ok(refused.some((e) => e.result === 'refused'), 'refusals are audited');
});

test('the 待办 list: the office reviews, the body works, overdue first, counts agree with the 工作台', async () => {
	const id = await item(addDays(today, 20), '通知：待审核');
	await step(dept, id, 'request_close', { measures: '已整改', result: '材料齐全' });
	const c = (await env.get('/api/v1/todo', coord)).json;
	const mine = c.items.find((x) => x.record_id === id && x.register === 'rectification');
	assert.equal(mine.kind, 'review');
	assert.equal(mine.body_name.length > 0, true);
	const d = (await env.get('/api/v1/todo', dept)).json;
	assert.ok(!d.items.some((x) => x.record_id === id && x.register === 'rectification'), 'no longer the body\'s');
	const firstNotOverdue = d.items.findIndex((x) => !x.overdue);
	assert.ok(firstNotOverdue === -1 || d.items.slice(firstNotOverdue).every((x) => !x.overdue), 'overdue first');
	assert.ok(d.items.some((x) => x.kind === 'task'));
	const bench = (await env.get('/api/v1/workbench', coord)).json;
	const todoCount = bench.registers.reduce((s, r) => s + r.todo, 0);
	assert.equal(c.total, todoCount, 'the 工作台 count and the list agree for the office');
});

test('deadlines: due soon and overdue reminders, once a day, to the body', async () => {
	const soon = await item(addDays(today, 1), '通知：明天到期');
	const r = await env.fazhi(['notify', 'run', '--db', env.uri]);
	assert.equal(r.code, 0, r.stderr);
	// the day's scan already ran at start: a new item due soon is told tomorrow,
	// unless the operator asks for the day again (a fresh day marker).
	await env.sql("DELETE FROM notify_state WHERE key = 'deadline_day'");
	assert.equal((await env.fazhi(['notify', 'run', '--db', env.uri])).code, 0);
	const [n] = await waitFor(dept, about(soon, 'due_soon'), 'due soon');
	assert.match(n.text, /将于 .* 到期/);
	const late = (await notes(dept)).items.filter((x) => x.kind === 'overdue');
	assert.ok(late.length > 0, 'the overdue item of the 督办 test is reminded');
	await env.sql("DELETE FROM notify_state WHERE key = 'deadline_day'");
	await env.fazhi(['notify', 'run', '--db', env.uri]);
	assert.equal((await notes(dept)).items.filter(about(soon, 'due_soon')).length, 1, 'once per due date');
});
