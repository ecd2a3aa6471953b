// demo.test.mjs — a fresh `fazhi demo` store shows what the console is for:
// the coordinator has 待办 (an interface scripts rely on), and the demo
// clerk's 工作台 has today's work — items to start, one returned with the
// office's reason, one overdue with a 督办单, a task due soon — told as
// notifications by the first pass.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PASSWORD, setup } from './harness.mjs';

let env;
before(async () => {
	env = await setup({ fixture: false, users: [], serve: false });
	const demo = await env.fazhi(['demo', '--db', env.uri, '--enterprises', '20', '--persons', '20', '--officers', '20']);
	assert.equal(demo.code, 0, demo.stderr);
	for (const u of ['coordinator', 'department']) {
		await env.mustFazhi(['user', 'passwd', '--db', env.uri, '--username', u, '--password-stdin'], { input: PASSWORD + '\n' });
		env.passwords[u] = PASSWORD;
	}
	for (const [k, v] of Object.entries({ ip_lock_threshold: 1000, login_rate_per_minute: 100000 }))
		await env.mustFazhi(['settings', 'set', k, String(v), '--db', env.uri]);
	await env.start();
});
after(async () => { await env?.close(); });

test('the coordinator of a fresh demo has 待办', async () => {
	const r = await env.get('/api/v1/todo', await env.login('coordinator'));
	assert.equal(r.status, 200, r.text);
	assert.ok(r.json.total >= 1 && r.json.items.length >= 1);
	for (const it of r.json.items.slice(0, 5))
		for (const k of ['kind', 'register', 'record_id', 'title', 'due_date', 'overdue']) assert.ok(k in it, k);
});

test("the demo clerk's desk: to start, returned with the reason, overdue with a 督办单, a task due soon", async () => {
	const clerk = await env.login('department');
	const todo = (await env.get('/api/v1/todo', clerk)).json.items;
	const kinds = todo.map((x) => x.kind);
	assert.ok(kinds.filter((k) => k === 'todo').length >= 2, JSON.stringify(kinds));
	const back = todo.find((x) => x.kind === 'returned');
	assert.match(back.reason, /法制审核意见书/);
	assert.ok(todo.some((x) => x.overdue && x.register), 'an overdue item');
	assert.ok(todo.some((x) => x.kind === 'task' && !x.overdue), 'a task due soon');
	const notes = (await env.get('/api/v1/notifications?limit=50', clerk)).json;
	for (const k of ['assigned', 'returned', 'urge', 'due_soon', 'overdue'])
		assert.ok(notes.items.some((n) => n.kind === k), `a ${k} notification`);
	assert.equal(notes.unread, notes.total);
});
