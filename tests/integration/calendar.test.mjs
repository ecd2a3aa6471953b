// calendar.test.mjs — next year's holidays without a release: `fazhi
// calendar import FILE` validates (a bad file is refused by line number,
// nothing changes), stores and audits the notice, and recomputes every open
// record's deadline in the same transaction, the move on the record's
// timeline; a deadline running into a year not loaded is shown provisional;
// GET /api/v1/calendar tells the console when to warn (from 1 November).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addDays, defaultUsers, setup, todayCst } from './harness.mjs';

const PROP = '/api/v1/registers/proposal/records';
const today = todayCst();
let env, coord;
before(async () => {
	env = await setup({ users: defaultUsers() });
	coord = await env.login('coord');
});
after(async () => { await env?.close(); });

const weekday = (d) => new Date(`${d}T00:00:00Z`).getUTCDay();
const record = async (id) => (await env.get(`${PROP}/${id}`, coord)).json;

test('importing a year moves open deadlines into it (timeline, audit); provisional before, not after', async () => {
	const made = await env.post(PROP, coord, { body: 'B330282-SCJG', start_date: today,
		data: { kind: '人大代表建议', number: 'CAL-1', title: '关于节假日安排的建议', proposer: '赵代表' } });
	assert.equal(made.status, 201, made.text);
	const before = await record(made.json.id);
	const due = before.due_date, year = Number(due.slice(0, 4));
	const cal = (await env.get('/api/v1/calendar', coord)).json;
	const covered = cal.years.some((y) => y.year === year);
	assert.equal(before.due_provisional, !covered, `due ${due}: provisional exactly when ${year} is not loaded`);

	// A made-up notice for that year: the due day and the two after are off.
	let moved = addDays(due, 3);
	while (weekday(moved) === 0 || weekday(moved) === 6) moved = addDays(moved, 1);
	const file = join(env.dir, `cal-${year}.txt`);

	writeFileSync(file, `year ${year} 测试通知（集成测试）\n${due} ${addDays(due, 2)} off 测试假日\n${year}-13-01 ${year}-13-02 off 错误\n`);
	let r = await env.fazhi(['calendar', 'import', file, '--db', env.uri]);
	assert.equal(r.code, 1, r.stdout);
	assert.match(r.stderr, /第 3 行/, r.stderr);
	assert.equal((await record(made.json.id)).due_date, due, 'a bad file changes nothing');
	assert.equal((await env.audit({ entity: 'calendar' })).length, 0);

	writeFileSync(file, `year ${year} 测试通知（集成测试）\n${due} ${addDays(due, 2)} off 测试假日\n`);
	r = await env.fazhi(['calendar', 'import', file, '--db', env.uri]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, new RegExp(`已导入 ${year} 年`));
	await env.restart(); // a running server takes it within a minute; now at once

	const after = await record(made.json.id);
	assert.equal(after.due_date, moved, `${due} + 3 months ends on a day off → the next working day`);
	assert.equal(after.data.due, moved);
	assert.equal(after.due_provisional, false);
	// `fazhi deadline --db` counts by the same calendar
	const cli = await env.fazhi(['deadline', '--from', today, '--months', '3', '--db', env.uri]);
	assert.equal(cli.stdout.trim(), moved, cli.stderr);
	const step = after.timeline.find((e) => e.action === 'recompute');
	assert.ok(step, JSON.stringify(after.timeline));
	assert.deepEqual(step.detail.changes.due_date, { from: due, to: moved });
	assert.equal(step.actor, 'cli');
	const log = await env.audit({ entity: 'calendar' });
	assert.equal(log.length, 1);
	assert.equal(log[0].action, 'import');
	assert.equal(log[0].entity_id, String(year));
	assert.match(JSON.stringify(log[0].detail), /digest/);

	const years = (await env.get('/api/v1/calendar', coord)).json.years;
	assert.equal(years.find((y) => y.year === year).source, '测试通知（集成测试）');
	r = await env.fazhi(['calendar', 'list', '--db', env.uri]);
	assert.match(r.stdout, new RegExp(`${year}  测试通知`));
	// The metric counters agree with the records after the moves.
	assert.equal((await env.fazhi(['metrics', 'rebuild', '--db', env.uri, '--check'])).code, 0);
});

test('the console is told to warn from 1 November while next year is not loaded', async () => {
	const r = await env.get('/api/v1/calendar', coord);
	assert.equal(r.status, 200, r.text);
	const next = Number(today.slice(0, 4)) + 1;
	assert.equal(r.json.next_year, next);
	assert.equal(r.json.next_year_loaded, r.json.years.some((y) => y.year === next));
	assert.equal(r.json.warn, !r.json.next_year_loaded && Number(today.slice(5, 7)) >= 11);
	const empty = join(env.dir, 'empty.txt');
	writeFileSync(empty, '# 只有注释\n');
	const bad = await env.fazhi(['calendar', 'import', empty, '--db', env.uri]);
	assert.equal(bad.code, 1);
	assert.match(bad.stderr, /没有任何 year 声明/);
});
