// metrics.test.mjs — the metric counters kept by delta through creates,
// updates, transitions and deletes equal a recomputation from the records
// (`fazhi metrics rebuild --check` exits 0); a counter changed behind the
// application's back is found (non-zero) and `fazhi metrics rebuild` puts it
// right.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, addDays, defaultUsers, setup, todayCst } from './harness.mjs';

const PROP = '/api/v1/registers/proposal/records';
const REC = '/api/v1/registers/rectification/records';
const today = todayCst();
const Y = today.slice(0, 4);

let env, coord, dept, zhzfA, scjgB;
before(async () => {
	env = await setup({ users: [...defaultUsers(),
		{ username: 'h_zhzf_a', role: 'department', scope: '330282', bodies: ['B330282-ZHZF'] },
		{ username: 'h_scjg_b', role: 'department', scope: '330281', bodies: ['B330281-SCJG'] }] });
	coord = await env.login('coord');
	dept = await env.login('dept_a');
	zhzfA = await env.login('h_zhzf_a');
	scjgB = await env.login('h_scjg_b');
});
after(async () => { await env?.close(); });

const check = () => env.fazhi(['metrics', 'rebuild', '--db', env.uri, '--check']);

async function ok(p, what) {
	const r = await p;
	assert.ok(r.status === 200 || r.status === 201 || r.status === 204, `${what}: ${r.status} ${r.text}`);
	return r.json;
}
// How the office heard a deputy's or member's view (recorded with it).
const heard = { satisfaction_source: '电话', satisfaction_date: today };
const step = (sess, reg, id, transition, data) =>
	ok(env.post(`${reg}/${id}/transitions`, sess, data ? { transition, data } : { transition }), `${transition} ${id}`);

/** The counter of a metric for a region this year, and the records behind it. */
async function drill(metric, region = '330282', period = Y) {
	const r = await env.get(`/api/v1/evaluation/drill?metric=${metric}&region=${region}&period=${period}`, coord);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.truncated, r.json.total > r.json.items.length, 'truncated says whether items were cut');
	return r.json;
}

test('after mixed creates, updates, transitions and deletes the counters equal a recomputation', async () => {
	const start = addDays(today, -2).startsWith(Y) ? addDays(today, -2) : today;
	const props = [];
	for (let i = 0; i < 6; i++) {
		const body = ['B330282-SCJG', 'B330282-ZHZF', 'B330281-SCJG'][i % 3];
		props.push((await ok(env.post(PROP, coord, {
			body, start_date: i % 2 ? start : today,
			data: { kind: '政协提案', number: `M-${i}`, title: `计数测试提案 ${i}`, proposer: '李委员' },
		}), 'create proposal')).id);
	}
	const recs = [];
	for (let i = 0; i < 5; i++) {
		recs.push((await ok(env.post(REC, coord, { // the office assigns; the body handles
			body: i < 3 ? 'B330282-SCJG' : 'B330281-ZHZF',
			data: { source: '法治督察', issue: `计数测试整改 ${i}`, deadline: addDays(today, 20 + i) },
		}), 'create rectification')).id);
	}
	// Proposals (each body replies, the office records the view): two closed,
	// one handled again after 不满意 (its view changed before that) and then
	// closed, one replied, one deleted, one untouched.
	const reply = (sess, id) => step(sess, PROP, id, 'accept').then(() => step(sess, PROP, id, 'reply',
		{ reply: '已答复', result: '已解决或基本解决', communication_method: '电话', communication_date: today }));
	await reply(dept, props[0]);
	await step(coord, PROP, props[0], 'close', { satisfaction: '满意', ...heard });
	await reply(zhzfA, props[1]);
	await ok(env.patch(`${PROP}/${props[1]}`, coord, { data: { satisfaction: '满意' } }), 'patch');
	await step(coord, PROP, props[1], 'rehandle', { satisfaction: '不满意', ...heard });
	await step(zhzfA, PROP, props[1], 're_reply', { reply: '重新答复', result: '已解决或基本解决' });
	await step(coord, PROP, props[1], 'close', { satisfaction: '基本满意', ...heard });
	await reply(scjgB, props[2]);
	await ok(env.req('DELETE', `${PROP}/${props[3]}`, { sess: coord }), 'delete');
	await reply(zhzfA, props[4]);
	await step(coord, PROP, props[4], 'close', { satisfaction: '基本满意', ...heard });
	// Rectification items: one closed, one returned, one deleted, a deadline moved.
	await step(dept, REC, recs[0], 'request_close', { measures: 'm', result: 'r' });
	await step(coord, REC, recs[0], 'close');
	await step(dept, REC, recs[1], 'start');
	await step(dept, REC, recs[1], 'request_close', { measures: 'm', result: 'r' });
	await step(coord, REC, recs[1], 'return', { return_reason: '材料不全' });
	await ok(env.req('DELETE', `${REC}/${recs[2]}`, { sess: coord }), 'delete');
	// A deadline moves by an extension the body requests and the office approves.
	await step(dept, REC, recs[1], 'request_extension', { extension_to: addDays(today, 90), extension_reason: '延期' });
	await step(coord, REC, recs[1], 'approve_extension');
	await step(coord, REC, recs[4], 'request_close', { measures: 'm', result: 'r' });
	await step(coord, REC, recs[4], 'close');

	const r = await check();
	assert.equal(r.code, 0, `--check: ${r.stdout}${r.stderr}`);
	// The counters say what the records say.
	for (const [metric, region, n] of [
		['proposal.received', '330282', 3], ['proposal.closed', '330282', 3], ['proposal.satisfied', '330282', 3],
		['proposal.rated', '330282', 3], ['proposal.replied_on_time', '330282', 3],
		['proposal.received', '330281', 2], ['proposal.closed', '330281', 0], ['proposal.satisfied', '330281', 0],
		['proposal.replied_on_time', '330281', 1],
		['rectification.total', '330282', 2], ['rectification.closed', '330282', 1],
		['rectification.total', '330281', 2], ['rectification.closed_on_time', '330281', 1],
	]) {
		const d = await drill(metric, region);
		assert.equal(d.total, n, `${metric} ${region}: records`);
		assert.equal(d.value, n, `${metric} ${region}: counter`);
	}
});

test('8.34.x: a metric dated "due" counts the year an item falls due and follows an extension; on time is the 申请销号 day, cleared by 退回', async () => {
	const NEXT = String(Number(Y) + 1);
	const count = async (metric, period = Y) => (await drill(metric, '330282', period)).value;
	const due0 = await count('rectification.supervision_due'), next0 = await count('rectification.supervision_due', NEXT);
	const item = await ok(env.post(REC, coord, { body: 'B330282-SCJG',
		data: { source: '法治督察', issue: '督察发现：行政执法公示不全', deadline: addDays(today, 10) } }), 'create');
	await ok(env.post(REC, coord, { body: 'B330282-SCJG', data: { source: '其他', issue: '其他来源不计入 8.34.1', deadline: addDays(today, 10) } }), 'create');
	const dueYear = addDays(today, 10).slice(0, 4);
	assert.equal(await count('rectification.supervision_due', dueYear), (dueYear === Y ? due0 : next0) + 1, 'counted in the year it falls due, only 法治督察');
	// an approved extension into next year moves it there
	await step(dept, REC, item.id, 'request_extension', { extension_to: `${NEXT}-01-20`, extension_reason: '需跨年完成' });
	await step(coord, REC, item.id, 'approve_extension');
	assert.equal(await count('rectification.supervision_due'), due0);
	assert.equal(await count('rectification.supervision_due', NEXT), next0 + 1);
	// 申请销号 stamps the day; the body is no longer late while the office reviews
	await step(dept, REC, item.id, 'request_close', { measures: '已补全公示', result: '公示平台截图' });
	let rec = (await env.get(`${REC}/${item.id}`, coord)).json;
	assert.equal(rec.data.requested_on, today);
	assert.equal(rec.deadline_status, 'closed_on_time');
	// 退回 clears it (on the timeline); a new request stamps again
	await step(coord, REC, item.id, 'return', { return_reason: '缺少整改前后对比' });
	rec = (await env.get(`${REC}/${item.id}`, coord)).json;
	assert.equal(rec.data.requested_on, undefined, '退回 clears the 申请销号 date');
	assert.ok(JSON.stringify(rec.timeline).includes('requested_on'), 'the change is on the timeline');
	const closed0 = await count('rectification.supervision_closed', NEXT), onTime0 = await count('rectification.closed_on_time');
	await step(dept, REC, item.id, 'request_close', { measures: '已补全公示', result: '整改前后对比' });
	await step(coord, REC, item.id, 'close');
	assert.equal(await count('rectification.supervision_closed', NEXT), closed0 + 1);
	assert.equal(await count('rectification.closed_on_time'), onTime0 + 1, 'met by the request, before the deadline');
	const r = await check();
	assert.equal(r.code, 0, `--check: ${r.stdout}${r.stderr}`);
});

test('a tampered counter fails --check; rebuild repairs it', async () => {
	const beforeValue = (await drill('proposal.received')).value;
	await env.sql("UPDATE metric_counts SET n = n + 1 WHERE metric = 'proposal.received'");
	// A year is read from the month counters (migration 003): tamper with them too.
	await env.sql("UPDATE metric_months SET n = n + 1 WHERE metric = 'proposal.received'");
	const changed = Number(await env.sql("SELECT COUNT(*) FROM metric_counts WHERE metric = 'proposal.received'"));
	assert.ok(changed >= 2, 'rows were changed');
	const tampered = await drill('proposal.received');
	assert.notEqual(tampered.value, tampered.total, 'the evaluation reads the counter');
	assert.ok(tampered.value > beforeValue);

	let r = await check();
	assert.notEqual(r.code, 0, `--check must fail on a tampered counter: ${r.stdout}`);
	assert.match(r.stdout, /counters differ: \d+/);
	// --check changed nothing.
	assert.equal((await drill('proposal.received')).value, tampered.value);

	r = await env.fazhi(['metrics', 'rebuild', '--db', env.uri]);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /rebuilt \((\d+)/);
	assert.ok(Number(/rebuilt \((\d+)/.exec(r.stdout)[1]) >= changed, r.stdout);
	r = await check();
	assert.equal(r.code, 0, r.stdout + r.stderr);
	const fixed = await drill('proposal.received');
	assert.equal(fixed.value, beforeValue);
	assert.equal(fixed.value, fixed.total);

	// A counter row with no record behind it, and a missing row, are found too.
	const bodyId = await env.idOf('bodies', { q: 'B330282-GOV' }, coord);
	await env.sql(`INSERT INTO metric_counts(metric, body_id, region_path, day, n) SELECT 'proposal.closed', ${bodyId}, region_path, '${Y}-01-01', 3 FROM bodies WHERE id = ${bodyId}`);
	assert.notEqual((await check()).code, 0, 'an extra counter row');
	assert.equal((await env.fazhi(['metrics', 'rebuild', '--db', env.uri])).code, 0);
	assert.equal((await check()).code, 0);
	await env.sql("DELETE FROM metric_counts WHERE metric = 'rectification.total'");
	assert.notEqual((await check()).code, 0, 'a missing counter row');
	assert.equal((await env.fazhi(['metrics', 'rebuild', '--db', env.uri])).code, 0);
	assert.equal((await check()).code, 0);
	const d = await drill('rectification.total');
	assert.ok(d.value >= 2 && d.value === d.total, `rebuilt: ${d.value} of ${d.total}`);
	// The API keeps counting correctly on top of the rebuilt counters.
	await ok(env.post(REC, coord, { body: 'B330282-SCJG', data: { source: '其他', issue: '重算后新增', deadline: addDays(today, 5) } }), 'create');
	assert.equal((await drill('rectification.total')).value, d.value + 1);
	assert.equal((await check()).code, 0);
	// The repair is in the audit log.
	assert.ok((await env.audit({ action: 'rebuild' })).some((x) => x.entity === 'metrics'));
});

test('a changed definition rebuilds the counters at start-up (audited); unchanged definitions leave them alone', async () => {
	// Counters wrong behind the application's back: a restart with the same
	// definitions does not touch them (the rebuild is by definition, not a
	// repair at every start) …
	await env.sql("DELETE FROM metric_counts WHERE metric = 'rectification.total'");
	await env.restart();
	assert.notEqual((await check()).code, 0, 'same definitions: counters left as they were');
	// … a province's replacement definition (one more metric) rebuilds them.
	const dir = mkdtempSync(join(tmpdir(), 'fazhi-defs-'));
	try {
		const def = JSON.parse(readFileSync(join(REPO, 'data/registers/rectification.json'), 'utf8'));
		def.metrics.push({ name: 'rectification.from_people_congress', label: '人大监督整改事项数', field: 'source', in: ['人大监督'] });
		writeFileSync(join(dir, 'rectification.json'), JSON.stringify(def));
		env.env.FAZHI_REGISTERS_DIR = dir;
		await env.restart();
		assert.match(env.serverLog, /已按记录重算指标计数器/);
		assert.equal((await env.fazhi(['metrics', 'rebuild', '--db', env.uri, '--check'], { env: { FAZHI_REGISTERS_DIR: dir } })).code, 0);
		const log = await env.audit({ action: 'rebuild', entity: 'metrics' });
		assert.ok(log.some((e) => e.actor === 'cli' && /keys_corrected/.test(JSON.stringify(e.detail))), JSON.stringify(log));
		// and the next start with the same definitions rebuilds nothing
		await env.restart();
		assert.doesNotMatch(env.serverLog, /已按记录重算指标计数器/);
	} finally {
		delete env.env.FAZHI_REGISTERS_DIR;
		await env.restart();
		rmSync(dir, { recursive: true, force: true });
	}
});
