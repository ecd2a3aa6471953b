// evaluation.test.mjs — the live evaluation over records made through the
// API: indicator values from the counters (7.27.1 按期答复率, 7.27.2 满意率)
// equal what the test itself counts, drill-down lists exactly the qualifying
// records, ranking, `fazhi eval --json` agrees with the API, manual scores
// (bounds, roles, scope), loading indicator systems (line-numbered errors),
// gaps turned into rectification items, stored runs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { addDays, deadlineCli, defaultUsers, expectError, REPO, setup, todayCst } from './harness.mjs';

const PROP = '/api/v1/registers/proposal/records';
const today = todayCst();
const Y = today.slice(0, 4);
const A = '330282', B = '330281';

let env, coord, coordA, coordB, evaluator, evalA;
// What the test made, to count the expected values itself.
const made = []; // {id, region, start, due, closed, satisfaction}

const approx = (actual, expected, msg) =>
	assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-4, `${msg}: ${actual} ≠ ${expected}`);
const byId = (ev, id) => ev.indicators.find((i) => i.id === id);
const sortNum = (a) => [...a].sort((p, q) => p - q);

/** A date in this year no later than today (early in the year when possible). */
const early = (d) => (`${Y}-01-${d}` <= today ? `${Y}-01-${d}` : today);

// The handling body's own user for each body the test uses: it accepts and
// replies (代表法 第五十一条: the body replies; the office records the view).
const HANDLERS = { 'B330282-SCJG': 'dept_a', 'B330282-ZHZF': 'h_zhzf_a', 'B330282-GOV': 'h_gov_a',
	'B330281-SCJG': 'h_scjg_b', 'B330281-ZHZF': 'h_zhzf_b' };
const handler = {}; // body → session

/** A proposal moved by its steps: 'reply' (the body accepts and replies),
 * 'close' (the office records the view: 不满意 sends it back to 重新办理). */
async function proposal(sess, { body, start, steps = [], satisfaction, n }) {
	const r = await env.post(PROP, sess, {
		body, start_date: start,
		data: { kind: n % 2 ? '人大代表建议' : '政协提案', number: `T-${n}`, title: `测评用建议提案 ${n}`, proposer: `代表${n}` },
	});
	assert.equal(r.status, 201, r.text);
	const id = r.json.id;
	const move = async (who, transition, data) => {
		const t = await env.post(`${PROP}/${id}/transitions`, who, data ? { transition, data } : { transition });
		assert.equal(t.status, 200, `${transition}: ${t.text}`);
	};
	for (const s of steps) {
		if (s === 'reply') {
			await move(handler[body], 'accept');
			await move(handler[body], 'reply', { reply: '已答复', result: '已解决或基本解决', communication_method: '电话',
				communication_date: today });
		} else if (s === 'close') {
			await move(sess, satisfaction === '不满意' ? 'rehandle' : 'close',
				{ satisfaction, satisfaction_source: '书面', satisfaction_date: today });
		}
	}
	const due = await deadlineCli(start, { months: 3 });
	assert.equal(r.json.due_date, due);
	const replied = steps.includes('reply');
	const closed = steps.includes('close') && satisfaction !== '不满意';
	return { id, region: body.slice(1, 7), start, due, replied, closed, satisfaction: closed ? satisfaction : null };
}

/** The qualifying ids of a metric among what the test made in region/year. */
function expectedIds(metric, region, year = Y) {
	const mine = made.filter((m) => m.region === region && m.start.startsWith(year));
	const pick = {
		'proposal.received': () => true,
		'proposal.replied_on_time': (m) => m.replied && today <= m.due, // judged at the reply (today), not at closing
		'proposal.rated': (m) => m.closed,
		'proposal.closed': (m) => m.closed,
		// proposal.basic_counts_satisfied is 0 here: 基本满意 is not counted as satisfied.
		'proposal.satisfied': (m) => m.closed && m.satisfaction === '满意',
	}[metric];
	return sortNum(mine.filter(pick).map((m) => m.id));
}

async function live(sess, region, extra = '') {
	const r = await env.get(`/api/v1/evaluation?region=${region}&period=${Y}${extra}`, sess);
	assert.equal(r.status, 200, r.text);
	return r.json;
}

before(async () => {
	env = await setup({ settings: { 'proposal.basic_counts_satisfied': 0 },
		users: [...defaultUsers(), { username: 'eval_a', role: 'evaluator', scope: A },
		...Object.entries(HANDLERS).filter(([, u]) => u !== 'dept_a')
			.map(([b, username]) => ({ username, role: 'department', scope: b.slice(1, 7), bodies: [b] }))] });
	for (const [b, u] of Object.entries(HANDLERS)) handler[b] = await env.login(u);
	coord = await env.login('coord');
	coordA = await env.login('coord_a');
	coordB = await env.login('coord_b');
	evaluator = await env.login('evaluator');
	evalA = await env.login('eval_a');

	const all = ['reply', 'close'];
	const recent = addDays(today, -3).startsWith(Y) ? addDays(today, -3) : today;
	let n = 0;
	const add = async (sess, o) => made.push(await proposal(sess, { ...o, n: ++n }));
	// County A: closed early in the year (late by now, unless it is still early), closed recently
	// (on time), still open, from last year, and one deleted.
	await add(coordA, { body: 'B330282-SCJG', start: early('05'), steps: all, satisfaction: '满意' });
	await add(coordA, { body: 'B330282-ZHZF', start: early('06'), steps: all, satisfaction: '不满意' });
	await add(coordA, { body: 'B330282-SCJG', start: recent, steps: all, satisfaction: '满意' });
	await add(coord, { body: 'B330282-GOV', start: today, steps: all, satisfaction: '基本满意' });
	await add(coordA, { body: 'B330282-ZHZF', start: today, steps: all, satisfaction: '不满意' });
	await add(coordA, { body: 'B330282-SCJG', start: today, steps: ['reply'] });
	await add(coordA, { body: 'B330282-GOV', start: today, steps: [] });
	await add(coordA, { body: 'B330282-SCJG', start: `${Number(Y) - 1}-12-20`, steps: all, satisfaction: '满意' });
	const gone = await proposal(coordA, { body: 'B330282-SCJG', start: today, n: ++n });
	const del = await env.req('DELETE', `${PROP}/${gone.id}`, { sess: coordA });
	assert.equal(del.status, 204, del.text);
	// County B: everything closed on time and satisfied (it must rank first).
	await add(coordB, { body: 'B330281-SCJG', start: today, steps: all, satisfaction: '满意' });
	await add(coordB, { body: 'B330281-ZHZF', start: recent, steps: all, satisfaction: '满意' });
});
after(async () => { await env?.close(); });

test('7.27.1 = replied on time / received and 7.27.2 = satisfied / rated, from what was created', async () => {
	const ev = await live(coord, A);
	assert.equal(ev.region, A);
	assert.equal(ev.period, Y);
	assert.equal(ev.system, 'fz-template-2021');
	const received = expectedIds('proposal.received', A).length;
	const closed = expectedIds('proposal.rated', A).length;
	const onTime = expectedIds('proposal.replied_on_time', A).length;
	const satisfied = expectedIds('proposal.satisfied', A).length;
	assert.equal(received, 7);
	assert.equal(closed, 3); // two 不满意 went back to 重新办理
	assert.equal(satisfied, 2);
	const i1 = byId(ev, '7.27.1'), i2 = byId(ev, '7.27.2');
	assert.equal(i1.kind, 'auto');
	assert.equal(i1.parent, '7.27');
	assert.equal(i1.level, 3);
	approx(i1.value, onTime / received, '7.27.1 value');
	approx(i2.value, satisfied / closed, '7.27.2 value');
	assert.deepEqual([...i1.metrics].sort(), ['proposal.received', 'proposal.replied_on_time']);
	// Below the 100 % target: 7.27.1 scores less than its maximum.
	// Its weight is 2; more where items of its area have no data and pass theirs on (na_rule redistribute).
	assert.ok(i1.max >= 2, `7.27.1 max ${i1.max}`);
	assert.ok(i1.score < i1.max);
	assert.equal(i1.status, 'below');
	// 2 of 3 (67 %) is under every step of 95 % [90 %: 1.5, 80 %: 1].
	assert.equal(i2.score, 0);
	// The county the caller is scoped to is the default region.
	const dflt = await env.get(`/api/v1/evaluation?period=${Y}`, coordA);
	assert.equal(dflt.json.region, A);
	assert.equal(dflt.json.total, ev.total);
	// County B: all on time and satisfied.
	const evB = await live(coord, B);
	assert.equal(byId(evB, '7.27.1').value, 1);
	assert.equal(byId(evB, '7.27.2').value, 1);
	assert.equal(byId(evB, '7.27.1').score, byId(evB, '7.27.1').max, 'full marks');
	// The city holds both counties.
	const city = await live(coord, '330200');
	const cityReceived = expectedIds('proposal.received', A).length + expectedIds('proposal.received', B).length;
	approx(byId(city, '7.27.1').value,
		(expectedIds('proposal.replied_on_time', A).length + expectedIds('proposal.replied_on_time', B).length) / cityReceived, 'city 7.27.1');
	// Last year holds only the one from last year.
	const prev = String(Number(Y) - 1);
	const last = await env.get(`/api/v1/evaluation?region=${A}&period=${prev}`, coord);
	assert.equal(expectedIds('proposal.received', A, prev).length, 1);
	assert.equal(byId(last.json, '7.27.2').value, 1);
	assert.equal(byId(last.json, '7.27.1').value, expectedIds('proposal.replied_on_time', A, prev).length);
	expectError(assert, await env.get(`/api/v1/evaluation?region=${A}&period=20x6`, coord), 400, 'bad_param', 'period');
	expectError(assert, await env.get(`/api/v1/evaluation?region=999999&period=${Y}`, coord), 404, 'not_found');
});

test('drill-down of each metric lists exactly the qualifying records, total = the counter', async () => {
	const ev = await live(coord, A);
	const metrics = [...byId(ev, '7.27.1').metrics, ...byId(ev, '7.27.2').metrics];
	for (const metric of metrics) {
		const r = await env.get(`/api/v1/evaluation/drill?metric=${metric}&region=${A}&period=${Y}`, coord);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.metric, metric);
		assert.equal(r.json.register, 'proposal');
		assert.equal(r.json.total, r.json.value, `${metric}: records found = counter`);
		assert.equal(r.json.total, r.json.items.length);
		assert.deepEqual(sortNum(r.json.items.map((x) => x.id)), expectedIds(metric, A), metric);
		for (const it of r.json.items) assert.ok(it.start_date.startsWith(Y));
	}
	// The county coordinator drills its own county, not the other one.
	const own = await env.get(`/api/v1/evaluation/drill?metric=proposal.received&region=${A}&period=${Y}`, coordA);
	assert.deepEqual(sortNum(own.json.items.map((x) => x.id)), expectedIds('proposal.received', A));
	expectError(assert, await env.get(`/api/v1/evaluation/drill?metric=proposal.received&region=${B}&period=${Y}`, coordA), 404, 'not_found');
	expectError(assert, await env.get(`/api/v1/evaluation/drill?metric=proposal.nosuch&region=${A}&period=${Y}`, coord), 404, 'not_found');
});

test('compare ranks the subregions by total', async () => {
	const r = await env.get(`/api/v1/evaluation/compare?region=330200&period=${Y}`, coord);
	assert.equal(r.status, 200, r.text);
	const items = r.json.items;
	assert.deepEqual(items.map((x) => x.region).sort(), [B, A]);
	for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].total >= items[i].total, 'highest first');
	assert.equal(items[0].region, B, 'all on time and satisfied ranks first');
	for (const it of items) {
		const ev = await live(coord, it.region);
		assert.equal(it.total, ev.total, it.region);
		assert.equal(it.max, ev.max, 'each total with its scale');
		assert.equal(it.pending, ev.pending, 'and what is not scored yet');
		const areas = ev.indicators.filter((x) => x.level === 1);
		assert.deepEqual(it.areas.map((x) => x.id), areas.map((x) => x.id));
		approx(it.areas.reduce((s, x) => s + x.score, 0), ev.base, `${it.region} areas sum to the base`);
	}
	assert.ok(items[0].total > items[1].total);
	expectError(assert, await env.get(`/api/v1/evaluation/compare?region=330200&period=${Y}`, coordA), 404, 'not_found');
});

test('`fazhi eval --json` prints the same total and indicators as the API', async () => {
	const api = await live(coord, A);
	const r = await env.fazhi(['eval', '--db', env.uri, '--region', A, '--period', Y, '--json']);
	assert.equal(r.code, 0, r.stderr);
	const cli = JSON.parse(r.stdout);
	for (const k of ['system', 'region', 'period', 'total', 'indicators']) assert.ok(k in cli, `${k} in the output`);
	assert.equal(cli.system, api.system);
	assert.equal(cli.region, A);
	assert.equal(cli.period, Y);
	approx(cli.total, api.total, 'total');
	assert.equal(cli.indicators.length, api.indicators.length);
	for (const [i, c] of cli.indicators.entries()) {
		for (const k of ['id', 'level', 'parent', 'name', 'value', 'score', 'max', 'status']) assert.ok(k in c, `${c.id}: ${k}`);
		const a = api.indicators[i];
		assert.equal(c.id, a.id);
		assert.equal(c.level, a.level);
		assert.equal(c.parent, a.parent);
		assert.equal(c.name, a.name);
		assert.equal(c.status, a.status, c.id);
		if (a.value === null) assert.equal(c.value, null, c.id);
		else approx(c.value, a.value, `${c.id} value`);
		approx(c.score, a.score, `${c.id} score`);
		approx(c.max, a.max, `${c.id} max`);
	}
	approx(byId(cli, '7.27.1').value,
		expectedIds('proposal.replied_on_time', A).length / expectedIds('proposal.received', A).length, 'CLI 7.27.1');
	// The text output carries the same total.
	const text = await env.fazhi(['eval', '--db', env.uri, '--region', A, '--period', Y]);
	assert.equal(text.code, 0, text.stderr);
	assert.match(text.stdout, new RegExp(`总分 ${api.total.toFixed(2)} /`));
	assert.notEqual((await env.fazhi(['eval', '--db', env.uri, '--region', A])).code, 0, '--period is required');
});

// Manual items whose area holds no item without data: there a score adds
// exactly its value (under na_rule redistribute, an area with an item
// without data spreads that item's weight over the rest). Two of them,
// their maxima X1 and X2; found once from the live evaluation of A.
let M1, M2, X1, X2;
function manualItems(ev) {
	const area = (id) => id.split('.')[0];
	const na = new Set(ev.indicators.filter((i) => i.status === 'na').map((i) => area(i.id)));
	const free = ev.indicators.filter((i) => i.kind === 'manual' && !na.has(area(i.id)));
	[M1, M2] = free.map((i) => i.id);
	[X1, X2] = free.map((i) => i.max);
	assert.ok(M1 && M2, 'two manual items in an area with data throughout');
}

test('manual scores: the evaluator\'s score adds exactly that much; bounds, roles and scope hold', async () => {
	const before = await live(coord, A);
	manualItems(before);
	const ind = byId(before, M1);
	assert.equal(ind.kind, 'manual');
	assert.ok(ind.max > 0);
	assert.equal(ind.score, 0);
	const put = (sess, body) => env.req('PUT', '/api/v1/evaluation/manual-scores', { sess, body });
	let r = await put(evaluator, { indicator: M1, region: A, period: Y, score: 0.75 * X1, comment: '已清理并公布目录' });
	assert.equal(r.status, 200, r.text);
	approx(r.json.score, 0.75 * X1, 'the score as given');
	let afterEv = await live(coord, A);
	approx(afterEv.total, before.total + 0.75 * X1, 'total + the score');
	approx(byId(afterEv, M1).score, 0.75 * X1, 'the item\'s score');
	assert.equal(byId(afterEv, M1).pending, false);
	assert.equal(afterEv.pending, before.pending - 1);
	// A second PUT replaces the score.
	r = await put(evaluator, { indicator: M1, region: A, period: Y, score: X1, comment: '满分' });
	assert.equal(r.status, 200, r.text);
	afterEv = await live(coord, A);
	approx(afterEv.total, before.total + X1, 'total after the replacement');

	// Above the maximum, below zero: 422, nothing changes.
	expectError(assert, await put(evaluator, { indicator: M1, region: A, period: Y, score: X1 + 0.01, comment: 'x' }), 422, 'invalid', 'score');
	expectError(assert, await put(evaluator, { indicator: M1, region: A, period: Y, score: -1, comment: 'x' }), 422, 'invalid', 'score');
	// Not an evaluator: 403.
	expectError(assert, await put(coord, { indicator: M1, region: A, period: Y, score: 0.5, comment: 'x' }), 403, 'forbidden');
	expectError(assert, await put(coordA, { indicator: M1, region: A, period: Y, score: 0.5, comment: 'x' }), 403, 'forbidden');
	approx((await live(coord, A)).total, before.total + X1, 'refusals change nothing');

	const list = await env.get(`/api/v1/evaluation/manual-scores?region=${A}&period=${Y}`, coord);
	assert.equal(list.status, 200, list.text);
	assert.deepEqual(list.json.items.map((x) => [x.indicator, x.score_x100, x.comment]), [[M1, Math.round(X1 * 100), '满分']]);

	// A county evaluator: own county yes, the other county 404 (evaluation and score).
	expectError(assert, await env.get(`/api/v1/evaluation?region=${B}&period=${Y}`, evalA), 404, 'not_found');
	// The refusal is in the audit log, as every refusal is.
	const log = await env.get('/api/v1/audit?entity=region', await env.login('auditor'));
	assert.ok(log.json.items.some((x) => x.action === 'access' && x.result === 'refused' && x.actor === 'eval_a' &&
		JSON.parse(x.detail).region === B && JSON.parse(x.detail).path === '/api/v1/evaluation'), log.text);
	expectError(assert, await put(evalA, { indicator: M1, region: B, period: Y, score: 0.5, comment: 'x' }), 404, 'not_found');
	const evB = await live(coord, B);
	assert.equal(byId(evB, M1).score, 0, 'the other county is untouched');
	r = await put(evalA, { indicator: M2, region: A, period: Y, score: 0.75 * X2, comment: '已公布' });
	assert.equal(r.status, 200, r.text);
	approx((await live(evalA, A)).total, before.total + X1 + 0.75 * X2, 'the county evaluator scores its county');
	// Scores are kept per period: last year is unaffected.
	const last = await env.get(`/api/v1/evaluation?region=${A}&period=${Number(Y) - 1}`, coord);
	assert.equal(byId(last.json, M1).score, 0);
});

test('indicator systems: a bad file → 422 naming the line; a good one → 201 and usable', async () => {
	const tpl = readFileSync(join(REPO, 'data', 'indicators', 'template-2021.txt'), 'utf8').split('\n');
	const sys = tpl.findIndex((l) => l.startsWith('system '));
	assert.ok(sys >= 0);

	const bad = [...tpl];
	bad[sys] = 'system fz-it-bad 2026.1 测试体系（坏）';
	const k = bad.findIndex((l) => l.startsWith('7.27.1 '));
	bad[k] = bad[k].replace('proposal.received', 'proposal.no_such_metric');
	let r = await env.post('/api/v1/indicator-systems', coord, { text: bad.join('\n') });
	expectError(assert, r, 422, 'invalid');
	assert.ok(Array.isArray(r.json.error.problems) && r.json.error.problems.length >= 1, r.text);
	assert.equal(r.json.error.problems[0].line, k + 1, r.text);
	assert.match(r.json.error.problems[0].message, /no_such_metric/);

	const bad2 = [...tpl];
	bad2[sys] = 'system fz-it-bad 2026.1 测试体系（坏）';
	const k2 = bad2.findIndex((l) => l.startsWith('2.7.1 '));
	bad2[k2] = '2.7.1    | 规范性文件合法性审核率 | 三 | manual';
	r = await env.post('/api/v1/indicator-systems', coord, { text: bad2.join('\r\n') });
	expectError(assert, r, 422, 'invalid');
	assert.equal(r.json.error.problems[0].line, k2 + 1, r.text);

	const good = [...tpl];
	good[sys] = 'system fz-it-2026 2026.1 集成测试用指标体系';
	r = await env.post('/api/v1/indicator-systems', coord, { text: good.join('\n') });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.id, 'fz-it-2026');
	assert.equal(r.json.version, '2026.1');
	// The same version again is a conflict.
	expectError(assert, await env.post('/api/v1/indicator-systems', coord, { text: good.join('\n') }), 409, 'conflict');
	// An evaluator cannot load systems.
	expectError(assert, await env.post('/api/v1/indicator-systems', evaluator, { text: good.join('\n') }), 403, 'forbidden');

	let list = await env.get('/api/v1/indicator-systems', coord);
	assert.ok(list.json.items.some((x) => x.id === 'fz-it-2026' && x.version === '2026.1' && x.active === false), list.text);
	assert.ok(!list.json.items.some((x) => x.id === 'fz-it-bad'));
	// Loaded is not in effect: the system is evaluated only once activated.
	expectError(assert, await env.get(`/api/v1/evaluation?region=${A}&period=${Y}&system=fz-it-2026`, coord), 404, 'not_found', 'system');
	r = await env.post('/api/v1/indicator-systems/fz-it-2026/versions/2026.1/activate', coord, {});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.version, '2026.1');
	list = await env.get('/api/v1/indicator-systems', coord);
	assert.ok(list.json.items.some((x) => x.id === 'fz-it-2026' && x.active === true), list.text);
	const ev = await live(coord, A, '&system=fz-it-2026');
	assert.equal(ev.system, 'fz-it-2026');
	assert.equal(ev.version, '2026.1');
	assert.equal(ev.system_name, '集成测试用指标体系');
	const dflt = await live(coord, A);
	approx(byId(ev, '7.27.1').value, byId(dflt, '7.27.1').value, 'same counters under the loaded system');
	expectError(assert, await env.get(`/api/v1/evaluation?region=${A}&period=${Y}&system=fz-no-such`, coord), 404, 'not_found');
});

test('gaps become rectification items (source 指标短板) with the indicator', async () => {
	const REC = '/api/v1/registers/rectification/records';
	const before = (await env.get(`${REC}?limit=200`, coord)).json.total;
	const items = [
		{ indicator: '7.27.1', body: 'B330282-SCJG', deadline: addDays(today, 30) },
		{ indicator: '7.27.2', body: 'B330282-ZHZF', deadline: addDays(today, 60) },
	];
	// One bad item refuses the whole list.
	let r = await env.post('/api/v1/evaluation/gaps', coord, { region: A, period: Y, items: [...items, { indicator: '9.99', body: 'B330282-SCJG', deadline: addDays(today, 30) }] });
	assert.equal(r.status, 422, r.text);
	assert.equal((await env.get(`${REC}?limit=200`, coord)).json.total, before, 'nothing created');
	expectError(assert, await env.post('/api/v1/evaluation/gaps', evaluator, { region: A, period: Y, items }), 403, 'forbidden');

	r = await env.post('/api/v1/evaluation/gaps', coord, { region: A, period: Y, items });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.created.length, 2);
	const ev = await live(coord, A);
	for (const [i, id] of r.json.created.entries()) {
		const rec = await env.get(`${REC}/${id}`, coord);
		assert.equal(rec.status, 200, rec.text);
		assert.equal(rec.json.data.source, '指标短板');
		assert.equal(rec.json.data.indicator, items[i].indicator);
		assert.equal(rec.json.data.deadline, items[i].deadline);
		assert.equal(rec.json.due_date, items[i].deadline);
		assert.equal(rec.json.state, 'pending');
		assert.equal(rec.json.region, A);
		assert.ok(rec.json.data.issue.includes(items[i].indicator) && rec.json.data.issue.includes(byId(ev, items[i].indicator).name),
			rec.json.data.issue);
	}
	assert.equal((await env.get(`${REC}?limit=200`, coord)).json.total, before + 2);
	// Pressing 生成整改事项 again makes no duplicate: one open item per indicator and body.
	const again = await env.post('/api/v1/evaluation/gaps', coord, { region: A, period: Y, items: [items[1], items[0]] });
	expectError(assert, again, 409, 'duplicate', 'items');
	assert.match(again.json.error.message, new RegExp(`编号 ${r.json.created[1]}`));
	assert.equal((await env.get(`${REC}?limit=200`, coord)).json.total, before + 2, 'nothing created');
	// and the gap list shows the open item beside its indicator
	const shown = byId(await live(coord, A), items[0].indicator).open_items || [];
	assert.ok(shown.some((o) => o.id === r.json.created[0] && o.state_label && o.body_name), JSON.stringify(shown));
	// They count at once, but not in 8.34.1: it counts 法治督察 items only (none here).
	assert.equal(byId(ev, '8.34.1').value, null);
	// Not for a body outside the caller's county.
	r = await env.post('/api/v1/evaluation/gaps', coordA, { region: A, period: Y, items: [{ indicator: '7.27.1', body: 'B330281-SCJG', deadline: addDays(today, 30) }] });
	assert.ok(r.status === 403 || r.status === 422, r.text);
	assert.equal((await env.get(`${REC}?limit=200`, coord)).json.total, before + 2);
});

test('a stored run returns the same total as when it was made', async () => {
	const livenow = await live(coord, A);
	const r = await env.post('/api/v1/evaluations', coord, { region: A, period: Y });
	assert.equal(r.status, 201, r.text);
	assert.ok(Number.isInteger(r.json.id));
	assert.equal(r.json.total, livenow.total);
	const g = await env.get(`/api/v1/evaluations/${r.json.id}`, coord);
	assert.equal(g.status, 200, g.text);
	assert.equal(g.json.total, r.json.total);
	assert.equal(g.json.region, A);
	assert.equal(g.json.period, Y);
	assert.deepEqual(g.json.indicators.map((x) => [x.id, x.score]), r.json.indicators.map((x) => [x.id, x.score]));
	const runs = await env.get('/api/v1/evaluations', coord);
	assert.ok(runs.json.items.some((x) => x.id === r.json.id && x.region === A), runs.text);
	// The stored run stays as it was when the live one moves.
	const put = await env.req('PUT', '/api/v1/evaluation/manual-scores', { sess: evaluator, body: { indicator: M2, region: A, period: Y, score: X2, comment: '复评' } });
	assert.equal(put.status, 200, put.text);
	approx((await live(coord, A)).total, livenow.total + 0.25 * X2, 'live total moved by the re-score (¾ → all of its maximum)');
	assert.equal((await env.get(`/api/v1/evaluations/${r.json.id}`, coord)).json.total, r.json.total);
	// Another county's run is out of scope.
	expectError(assert, await env.get(`/api/v1/evaluations/${r.json.id}`, coordB), 404, 'not_found');
	assert.ok(!(await env.get('/api/v1/evaluations', coordB)).json.items.some((x) => x.id === r.json.id));
});

// ---- issue 7, finding 3: loading and activating indicator systems ----

const TEMPLATE = () => readFileSync(join(REPO, 'data', 'indicators', 'template-2021.txt'), 'utf8').split('\n');
function systemText(line) {
	const tpl = TEMPLATE();
	tpl[tpl.findIndex((l) => l.startsWith('system '))] = line;
	return tpl.join('\n');
}

test('a coordinator scoped below the top region cannot load a system: 403 before its text is parsed, audited', async () => {
	const before = (await env.get('/api/v1/indicator-systems', coord)).json.total;
	// Not even read: an unparseable text, an unknown field and no body at all answer the same 403.
	for (const body of [{ text: systemText('system fz-template-2021 2099.1 篡改') }, { text: 'not a system' }, { bogus: 1 }, {}]) {
		const r = await env.post('/api/v1/indicator-systems', coordA, body);
		expectError(assert, r, 403, 'forbidden');
	}
	assert.equal((await env.get('/api/v1/indicator-systems', coord)).json.total, before, 'nothing stored');
	const refused = await env.audit({ actor: 'coord_a', entity: 'indicator_system', result: 'refused' });
	assert.ok(refused.length >= 4, JSON.stringify(refused));
	assert.equal(refused[0].action, 'create');
	// The default system every region is scored by is still the shipped one.
	const ev = await live(coord, A);
	assert.equal(ev.system, 'fz-template-2021');
	assert.equal(ev.version, '2021.1');
});

test('a shipped system id cannot be overwritten through the API, not even by the top-level coordinator', async () => {
	const r = await env.post('/api/v1/indicator-systems', coord, { text: systemText('system fz-template-2021 2099.1 覆盖内置体系') });
	expectError(assert, r, 403, 'forbidden');
	const list = await env.get('/api/v1/indicator-systems', coord);
	assert.deepEqual(list.json.items.filter((x) => x.id === 'fz-template-2021').map((x) => x.version), ['2021.1'], list.text);
	expectError(assert, await env.post('/api/v1/indicator-systems/fz-template-2021/versions/2099.1/activate', coord, {}), 403, 'forbidden');
	assert.equal((await live(coord, A, '&system=fz-template-2021')).version, '2021.1');
	const refused = await env.audit({ actor: 'coord', entity: 'indicator_system', result: 'refused' });
	assert.ok(refused.some((x) => x.action === 'create'), JSON.stringify(refused));
});

test('a new version takes effect only when activated (top level, audited); stored runs keep the version they used', async () => {
	let r = await env.post('/api/v1/indicator-systems', coord, { text: systemText('system fz-it-act 1.0 启用测试体系') });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.active, false);
	// A county coordinator cannot activate.
	expectError(assert, await env.post('/api/v1/indicator-systems/fz-it-act/versions/1.0/activate', coordA, {}), 403, 'forbidden');
	expectError(assert, await env.get(`/api/v1/evaluation?region=${A}&period=${Y}&system=fz-it-act`, coord), 404, 'not_found');
	expectError(assert, await env.post('/api/v1/indicator-systems/fz-it-act/versions/9.9/activate', coord, {}), 404, 'not_found');
	r = await env.post('/api/v1/indicator-systems/fz-it-act/versions/1.0/activate', coord, {});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.previous, null);
	assert.equal((await live(coord, A, '&system=fz-it-act')).version, '1.0');
	const run1 = await env.post('/api/v1/evaluations', coord, { system: 'fz-it-act', region: A, period: Y });
	assert.equal(run1.status, 201, run1.text);
	assert.equal(run1.json.system, 'fz-it-act');
	assert.equal(run1.json.version, '1.0');

	// Version 2.0 loaded: still 1.0 until activated.
	r = await env.post('/api/v1/indicator-systems', coord, { text: systemText('system fz-it-act 2.0 启用测试体系（修订）') });
	assert.equal(r.status, 201, r.text);
	assert.equal((await live(coord, A, '&system=fz-it-act')).version, '1.0');
	const shown = await env.get('/api/v1/indicator-systems/fz-it-act?version=2.0', coord);
	assert.equal(shown.status, 200, shown.text);
	assert.equal(shown.json.version, '2.0');
	r = await env.post('/api/v1/indicator-systems/fz-it-act/versions/2.0/activate', coord, {});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.previous, '1.0');
	const ev = await live(coord, A, '&system=fz-it-act');
	assert.equal(ev.version, '2.0');
	assert.equal(ev.system_name, '启用测试体系（修订）');
	const act = await env.audit({ actor: 'coord', action: 'activate', entity: 'indicator_system' });
	assert.ok(act.some((x) => JSON.stringify(x).includes('2.0') && JSON.stringify(x).includes('1.0')), JSON.stringify(act));

	// The stored run shows the system and version it was made with.
	const g = await env.get(`/api/v1/evaluations/${run1.json.id}`, coord);
	assert.equal(g.json.system, 'fz-it-act');
	assert.equal(g.json.version, '1.0');
	const runs = await env.get('/api/v1/evaluations?limit=200', coord);
	const row = runs.json.items.find((x) => x.id === run1.json.id);
	assert.equal(row.system, 'fz-it-act');
	assert.equal(row.version, '1.0');
	const run2 = await env.post('/api/v1/evaluations', coord, { system: 'fz-it-act', region: A, period: Y });
	assert.equal(run2.json.version, '2.0');
});

// ---- issue 7, finding 4: drill-down within a body-bound user's scope ----

test('a body-bound department user drills down to its own bodies\' records only, each with body_name', async () => {
	const dept = await env.login('dept_a'); // 慈溪市市场监督管理局 only
	const own = '慈溪市市场监督管理局';
	for (const metric of ['proposal.received', 'proposal.closed', 'rectification.total']) {
		const all = await env.get(`/api/v1/evaluation/drill?metric=${metric}&region=${A}&period=${Y}`, coord);
		const mine = await env.get(`/api/v1/evaluation/drill?metric=${metric}&region=${A}&period=${Y}`, dept);
		assert.equal(mine.status, 200, mine.text);
		assert.equal(mine.json.metric, metric);
		assert.ok(all.json.items.some((x) => x.body_name !== own), `${metric}: other bodies have records`);
		const expected = all.json.items.filter((x) => x.body_name === own).map((x) => x.id);
		assert.ok(expected.length > 0, `${metric}: the department has records`);
		assert.deepEqual(sortNum(mine.json.items.map((x) => x.id)), sortNum(expected), metric);
		assert.ok(mine.json.items.every((x) => x.body_name === own), mine.text);
		assert.equal(mine.json.total, expected.length);
		assert.equal(mine.json.value, expected.length, `${metric}: the value counts only its bodies`);
		for (const it of mine.json.items)
			assert.equal((await env.get(`/api/v1/registers/${mine.json.register}/records/${it.id}`, dept)).status, 200);
	}
	// rectification.total keeps its name and meaning: every rectification item started in the year.
	const rect = await env.get(`/api/v1/evaluation/drill?metric=rectification.total&region=${A}&period=${Y}`, coord);
	assert.equal(rect.json.register, 'rectification');
	assert.equal(rect.json.total, rect.json.value);
	expectError(assert, await env.get(`/api/v1/evaluation/drill?metric=proposal.received&region=${B}&period=${Y}`, dept), 404, 'not_found');
});

test('4.17.1 持证执法率 is computed from the officers\' certificates: valid on the day, active (not 暂扣 or 吊销)', async () => {
	const count = async () => {
		const items = (await env.get(`/api/v1/people?region=${A}&officer=1&limit=200`, coord)).json.items;
		const valid = items.filter((p) => p.cert_status === 'active' && p.cert_valid_from <= today && p.cert_valid_until >= today);
		return { total: items.length, valid: valid.length, items };
	};
	const before = await count();
	assert.ok(before.total >= 2, 'the fixture has officers');
	const value = async () => byId(await live(coord, A), '4.17.1');
	let it = await value();
	assert.equal(it.kind, 'auto');
	assert.ok(Math.abs(it.value - before.valid / before.total) < 1e-4, `${it.value} vs ${before.valid}/${before.total}`);
	// one certificate 暂扣 (suspended) and one officer with an expired certificate
	const active = before.items.find((p) => p.cert_status === 'active' && p.cert_valid_until >= today);
	assert.equal((await env.patch(`/api/v1/people/${active.id}`, coord, { cert_status: 'suspended' })).status, 200);
	const p = await env.post('/api/v1/people', coord, { name: '过期证', body: 'B330282-ZHZF', title: '执法队员', cert_no: '33028200777',
		cert_issuer: '浙江省人民政府', cert_valid_from: '2019-01-01', cert_valid_until: '2021-12-31', cert_status: 'active' });
	assert.equal(p.status, 201, p.text);
	it = await value();
	assert.ok(Math.abs(it.value - (before.valid - 1) / (before.total + 1)) < 1e-4, `${it.value}`);
	// a county sees only its own officers: B's value is B's
	const b = await env.get(`/api/v1/people?region=${B}&officer=1&limit=200`, coord);
	const bItem = byId(await live(coord, B), '4.17.1');
	assert.equal(bItem.value === null, b.json.total === 0);
});

test('4.17.2 培训学时达标率: valid officers whose courses this year reach training_min_hours (60), recorded in scope', async () => {
	const officers = async () => (await env.get(`/api/v1/people?region=${A}&officer=1&limit=200`, coord)).json.items;
	const valid = (await officers()).filter((p) => p.cert_valid);
	assert.ok(valid.length >= 1);
	const value = async () => byId(await live(coord, A), '4.17.2');
	let it = await value();
	assert.equal(it.kind, 'auto');
	const met0 = valid.filter((p) => p.training_met).length;
	assert.ok(Math.abs(it.value - met0 / valid.length) < 1e-4, `${it.value}`);
	const who = valid.find((p) => !p.training_met);
	const add = (body, sess = coord) => env.post(`/api/v1/people/${who.id}/training`, sess, body);
	expectError(assert, await add({ day: today, hours: 0, course: '行政处罚法' }), 422, 'invalid', 'hours');
	expectError(assert, await add({ day: today, hours: 201, course: '行政处罚法' }), 422, 'invalid', 'hours');
	expectError(assert, await add({ day: addDays(today, 1), hours: 8, course: '行政处罚法' }), 422, 'invalid', 'day');
	expectError(assert, await add({ day: today, hours: 8 }), 422, 'invalid', 'course');
	expectError(assert, await add({ day: today, hours: 8, course: '行政处罚法' }, coordB), 404, 'not_found');
	let r = await add({ day: `${Y}-01-01`, hours: 40, course: '行政处罚法专题培训', organizer: '市司法局' });
	assert.equal(r.status, 201, r.text);
	let list = (await env.get(`/api/v1/people/${who.id}/training`, coord)).json;
	assert.deepEqual([list.hours, list.min_hours, list.met], [40, 60, false]);
	assert.ok((await env.get(`/api/v1/people?region=${A}&training=below&limit=200`, coord)).json.items.some((p) => p.id === who.id));
	r = await add({ day: `${Y}-01-01`, hours: 20, course: '执法文书规范' });
	list = (await env.get(`/api/v1/people/${who.id}/training`, coord)).json;
	assert.deepEqual([list.hours, list.met, list.items.length], [60, true, 2]);
	assert.ok(!(await env.get(`/api/v1/people?region=${A}&training=below&limit=200`, coord)).json.items.some((p) => p.id === who.id));
	it = await value();
	assert.ok(Math.abs(it.value - (met0 + 1) / valid.length) < 1e-4, `${it.value}`);
	const log = await env.audit({ entity: 'training' });
	assert.ok(log.length >= 2);
	expectError(assert, await env.get(`/api/v1/people?training=never`, coord), 400, 'bad_param', 'training');
});

test('一票否决: the evaluator records that V holds → the total is 0 and the evaluation names the veto; 0 lifts it', async () => {
	const put = (score) => env.req('PUT', '/api/v1/evaluation/manual-scores',
		{ sess: evaluator, body: { indicator: 'V', region: A, period: Y, score, comment: '经核实' } });
	const before = await live(coord, A);
	assert.equal(before.veto, null);
	assert.ok(before.total > 0);
	expectError(assert, await put(0.5), 422, 'invalid', 'score');
	let r = await put(1);
	assert.equal(r.status, 200, r.text);
	let ev = await live(coord, A);
	assert.equal(ev.total, 0);
	assert.deepEqual(ev.veto, { id: 'V', name: byId(ev, 'V').name, cap: 0 });
	assert.equal(byId(ev, 'V').status, 'below');
	assert.equal(ev.base, before.base, 'the areas keep their scores');
	r = await put(0);
	assert.equal(r.status, 200, r.text);
	ev = await live(coord, A);
	assert.equal(ev.veto, null);
	assert.equal(ev.total, before.total);
});

test('an auto item says its target and its formula in words (metric labels, not identifiers)', async () => {
	const ev = await live(coord, A);
	const it = byId(ev, '7.27.1');
	assert.match(it.rule_text, /^目标 ≥ 100%/);
	assert.ok(it.formula_text && !/proposal\./.test(it.formula_text), it.formula_text);
	assert.match(it.formula_text, /按期答复件数/);
	assert.equal(byId(ev, '1').rule_text, undefined, 'a group has no rule');
});
