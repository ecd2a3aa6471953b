// draws_api.test.mjs — 双随机 draws for signed-in users (docs/draws.md):
// a department draws for its own body, the answer is the seed's SM3 hash
// (the seed stays hidden until the run); running reveals the seed, stores
// the picks and makes each pick a 涉企行政检查 plan (计划, 随机抽查, the
// matter and window, the two drawn officers, the draw's id) in one
// transaction; a second run is refused; verify reproduces the result.
// Scope: another county's draw answers 404 like a missing one; a
// department drawing for another body, or with another body's inspectors,
// is refused and audited; bad specs are refused naming the field. The
// public page shows the draws without login, their result paged.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { defaultUsers, expectError, freshUscc, setup, todayCst, addDays } from './harness.mjs';

const DRAWS = '/api/v1/draws';
const INSP = '/api/v1/registers/inspection/records';
const MATTERS = '/api/v1/registers/enforcement_matter/records';
const today = todayCst();
const from = addDays(today, 7), to = addDays(today, 30);
let env, dir, pop, coord, coordB, dept, officer, scjg, scjgB, zhzf, check, punish;
const det = (x) => (typeof x.detail === 'string' ? JSON.parse(x.detail) : x.detail);
const bodyId = async (code) => Number(await env.sql(`SELECT id FROM bodies WHERE code = '${code}'`));

before(async () => {
	env = await setup({ users: [...defaultUsers(),
		{ username: 'officer_a', role: 'officer', scope: '330282', bodies: ['B330282-SCJG'] }] });
	dir = mkdtempSync(join(tmpdir(), 'fazhi-draws-'));
	const file = join(dir, 'people.jsonl');
	const people = [['陈敏', 'B330282-SCJG', '33028200031'], ['刘洋', 'B330282-SCJG', '33028200032'],
		['吴磊', 'B330282-SCJG', '33028200035'], ['钱芳', 'B330281-SCJG', '33028100031']];
	writeFileSync(file, people.map(([name, body, cert_no]) => JSON.stringify({ type: 'person', name, body, title: '执法队员',
		cert_no, cert_issuer: '浙江省人民政府', cert_valid_from: '2020-01-01', cert_valid_until: '2099-12-31',
		cert_status: 'active' })).join('\n') + '\n');
	await env.mustFazhi(['import', '--db', env.uri, file]);
	coord = await env.login('coord');
	coordB = await env.login('coord_b');
	dept = await env.login('dept_a');
	officer = await env.login('officer_a');
	[scjg, scjgB, zhzf] = [await bodyId('B330282-SCJG'), await bodyId('B330281-SCJG'), await bodyId('B330282-ZHZF')];
	// 60 enterprises of 慈溪市 and 5 of 余姚市, in one statement
	const rows = [], pathOf = async (code) => (await env.sql(`SELECT path FROM regions WHERE code = '${code}'`)).trim();
	const paths = { 330282: await pathOf('330282'), 330281: await pathOf('330281') };
	for (let i = 0; i < 65; i++) {
		const code = i < 60 ? '330282' : '330281', path = paths[code];
		rows.push(`('enterprise', '抽查企业${i}有限公司', '${freshUscc(code)}', '${code}', '${path}', 1, 1, '制造业', '${'ABCD'[i % 4]}')`);
	}
	await env.sql(`INSERT INTO subjects(kind, name, uscc, region_code, region_path, created_at, updated_at, industry, credit_grade) VALUES ${rows.join(', ')}`);
	pop = Number(await env.sql(`SELECT COUNT(*) FROM subjects WHERE kind = 'enterprise' AND region_code = '330282'`));
	assert.ok(pop >= 60);
	const matter = async (kind, code) => {
		const m = await env.post(MATTERS, officer, { body: 'B330282-SCJG', start_date: today, data: { code, kind, sector: '市场监管',
			name: `${kind}事项 ${code}`, basis: `《中华人民共和国产品质量法》第十五条（${code}）` } });
		assert.equal(m.status, 201, m.text);
		return m.json.id;
	};
	check = await matter('行政检查', '330282-JC-0101');
	punish = await matter('行政处罚', '330282-CF-0102');
});
after(async () => {
	await env?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const spec = (more = {}) => ({ title: '2026年产品质量双随机抽查', body_id: scjg, sample: 5, matter: check,
	window_from: from, window_to: to, ...more });
const regionPath = async (id) => (await env.sql(`SELECT region_path FROM draws WHERE id = ${id}`)).trim();

test('a department draws for its own body: the seed hash at once, then the picks and their plans, once', async () => {
	const c = await env.post(DRAWS, dept, spec());
	assert.equal(c.status, 201, c.text);
	const d = c.json;
	assert.match(d.seed_hash, /^[0-9a-f]{64}$/);
	assert.equal(d.seed, null);
	assert.equal(d.run, false);
	assert.equal(d.body_id, scjg);
	assert.deepEqual(d.spec.weights, [1, 2, 4, 8, 2]); // the settings' defaults
	assert.deepEqual(d.spec.bodies, [scjg]);
	assert.equal(d.picks.total, 0);
	assert.equal(await regionPath(d.id), (await env.sql("SELECT path FROM regions WHERE code = '330282'")).trim());
	const created = await env.audit({ entity: 'draw', entity_id: String(d.id) });
	assert.ok(created.some((x) => x.action === 'create' && x.result === 'ok' && det(x).seed_hash === d.seed_hash));

	const r = await env.post(`${DRAWS}/${d.id}/run`, dept, {});
	assert.equal(r.status, 200, r.text);
	const run = r.json;
	assert.equal(run.run, true);
	assert.equal(run.population, pop);
	// the revealed seed is the committed one
	const seed = (await env.sql(`SELECT seed FROM draws WHERE id = ${d.id}`)).trim();
	assert.equal(run.seed, seed);
	assert.equal(createHash('sm3').update(seed).digest('hex'), d.seed_hash);
	assert.equal(run.picks.total, 5);
	assert.equal(run.plans_total, 5);
	assert.equal(run.picks.items.length, 5);
	for (const p of run.picks.items) {
		assert.equal(p.plan_state, 'plan');
		const plan = (await env.get(`${INSP}/${p.plan_id}`, dept)).json;
		assert.equal(plan.state, 'plan');
		assert.equal(plan.body_id, scjg);
		assert.equal(plan.data.enterprise, p.subject_id);
		assert.equal(plan.data.matter, check);
		assert.equal(plan.data.inspection_kind, '随机抽查');
		assert.equal(plan.data.window_from, from);
		assert.equal(plan.data.window_to, to);
		assert.equal(plan.data.draw, d.id);
		assert.equal(plan.data.officers, `${p.inspectors[0].cert_no}、${p.inspectors[1].cert_no}`);
		assert.match(plan.data.basis, /产品质量法》第十五条/); // derived by the register's hooks
	}
	assert.equal(Number(await env.sql(`SELECT COUNT(*) FROM records WHERE register = 'inspection' AND body_id = ${scjg}`)), 5);
	// a drawn plan is registered (报备) like any other: its officers are certified officers of the body
	const reg = await env.post(`${INSP}/${run.picks.items[0].plan_id}/transitions`, dept, { transition: 'register' });
	assert.equal(reg.status, 200, reg.text);

	expectError(assert, await env.post(`${DRAWS}/${d.id}/run`, dept, {}), 409, 'draw_already_run');
	assert.equal(Number(await env.sql(`SELECT COUNT(*) FROM records WHERE register = 'inspection' AND body_id = ${scjg}`)), 5);
	const audit = await env.audit({ entity: 'draw', entity_id: String(d.id) });
	assert.ok(audit.some((x) => x.action === 'run' && x.result === 'ok' && det(x).count === 5));
	assert.ok(audit.some((x) => x.action === 'run' && x.result === 'refused' && det(x).code === 'draw_already_run'));

	const v = await env.get(`${DRAWS}/${d.id}/verify`, coord);
	assert.equal(v.status, 200, v.text);
	assert.equal(v.json.same, true);
	assert.match(v.json.message, /与记录一致/);
	const list = await env.get(DRAWS, dept);
	assert.ok(list.json.items.some((x) => x.id === d.id && x.picks_total === 5 && x.plans_total === 5));
});

test('scope: another county\'s draw is missing; a department may not draw for another body or with its inspectors', async () => {
	const d = (await env.post(DRAWS, coord, spec({ title: '余姚抽查', body_id: scjgB, matter: undefined, window_from: undefined,
		window_to: undefined, sample: 1 }))).json;
	assert.ok(d.id > 0, JSON.stringify(d));
	for (const r of [await env.get(`${DRAWS}/${d.id}`, dept), await env.get(`${DRAWS}/${d.id}/verify`, dept),
		await env.post(`${DRAWS}/${d.id}/run`, dept, {})])
		expectError(assert, r, 404, 'not_found');
	assert.ok(!(await env.get(DRAWS, dept)).json.items.some((x) => x.id === d.id));
	assert.ok(!(await env.get(DRAWS, await env.login('coord_a'))).json.items.some((x) => x.id === d.id));
	assert.equal((await env.get(`${DRAWS}/${d.id}`, coordB)).status, 200);
	assert.equal((await env.post(`${DRAWS}/${d.id}/run`, coordB, {})).status, 200);
	assert.equal(Number(await env.sql(`SELECT COUNT(*) FROM draws WHERE id = ${d.id} AND revealed_at IS NOT NULL`)), 1);

	expectError(assert, await env.post(DRAWS, dept, spec({ body_id: scjgB })), 403, 'forbidden', 'body_id');
	expectError(assert, await env.post(DRAWS, dept, spec({ bodies: [scjgB] })), 403, 'forbidden', 'bodies');
	expectError(assert, await env.post(DRAWS, dept, spec({ bodies: [zhzf] })), 403, 'forbidden', 'bodies');
	expectError(assert, await env.post(DRAWS, coord, spec({ bodies: [scjg, zhzf] })), 422, 'draw_foreign_inspectors', 'bodies');
	expectError(assert, await env.post(DRAWS, coordB, spec()), 403, 'forbidden', 'body_id');
	expectError(assert, await env.post(DRAWS, dept, spec({ region: '330281' })), 403, 'forbidden', 'region');
	expectError(assert, await env.post(DRAWS, officer, spec()), 403, 'forbidden');
	const refused = await env.audit({ entity: 'draw', result: 'refused' });
	assert.ok(refused.some((x) => x.action === 'create' && det(x).field === 'body_id' && x.actor === 'dept_a'), JSON.stringify(refused));
	assert.ok(refused.some((x) => x.action === 'create' && det(x).field === 'bodies'));
});

test('bad specs are refused naming the field', async () => {
	const bad = async (more, status, code, field) => expectError(assert, await env.post(DRAWS, dept, spec(more)), status, code, field);
	await bad({ sample: 5, rate: 10 }, 422, 'invalid', 'sample');
	await bad({ sample: undefined }, 422, 'invalid', 'sample');
	await bad({ weights: [1, 2, 3] }, 422, 'invalid', 'weights');
	await bad({ weights: [1, 2, 3, 4, 5000] }, 422, 'invalid', 'weights');
	await bad({ matter: punish }, 422, 'invalid', 'matter');
	await bad({ matter: 999999 }, 422, 'invalid', 'matter');
	await bad({ window_to: addDays(from, -1) }, 422, 'invalid', 'window_to');
	await bad({ window_from: '2026-13-01' }, 422, 'invalid', 'window_from');
	await bad({ region: '999999' }, 422, 'invalid', 'region');
	await bad({ title: '' }, 422, 'invalid', 'title');
	await bad({ quiet: ['x'] }, 422, 'invalid', 'quiet');
	await bad({ seed: 'mine' }, 400, 'unknown_field');
	const r = await env.post(DRAWS, dept, spec({ sample: pop + 1 }));
	assert.equal(r.status, 201, r.text);
	const run = await env.post(`${DRAWS}/${r.json.id}/run`, dept, {});
	expectError(assert, run, 422, 'draw_sample_too_large', 'sample');
	assert.match(run.json.error.message, new RegExp(`超过符合条件的企业数 ${pop}`));
	assert.equal(Number(await env.sql(`SELECT COUNT(*) FROM draws WHERE id = ${r.json.id} AND revealed_at IS NULL`)), 1);
	const audit = await env.audit({ entity: 'draw', entity_id: String(r.json.id), result: 'refused' });
	assert.ok(audit.some((x) => det(x).code === 'draw_sample_too_large'));
});

test('paging: the signed-in and the public views of one draw, 50 picks a page; the public list has no picks', async () => {
	const d = (await env.post(DRAWS, coord, spec({ title: '全量抽查', sample: 55, matter: undefined, window_from: undefined,
		window_to: undefined }))).json;
	const pending = (await env.get(`/api/v1/public/draws/${d.id}`)).json;
	assert.equal(pending.seed, null);
	assert.equal(pending.picks.items.length, 0);
	assert.equal(pending.seed_hash, d.seed_hash);
	assert.equal((await env.post(`${DRAWS}/${d.id}/run`, coord, {})).status, 200);
	const one = (await env.get(`${DRAWS}/${d.id}`, dept)).json;
	assert.equal(one.picks.total, 55);
	assert.equal(one.picks.items.length, 50);
	assert.equal(one.plans_total, 0);
	const two = (await env.get(`${DRAWS}/${d.id}?page=2`, dept)).json;
	assert.equal(two.picks.items.length, 5);
	const seen = new Set([...one.picks.items, ...two.picks.items].map((p) => p.subject_id));
	assert.equal(seen.size, 55);

	const list = await env.get('/api/v1/public/draws');
	assert.equal(list.status, 200);
	assert.ok(list.json.total >= 1);
	const item = list.json.items.find((x) => x.id === d.id);
	assert.equal(item.picks, undefined);
	assert.equal(item.picks_total, 55);
	const p1 = await env.get(`/api/v1/public/draws/${d.id}`);
	assert.equal(p1.status, 200, p1.text);
	assert.equal(p1.json.picks.total, 55);
	assert.equal(p1.json.picks.items.length, 50);
	assert.ok(p1.json.picks.items.every((p) => p.enterprise && p.uscc && p.inspectors.length === 2 && p.inspectors[0].cert_no));
	assert.equal(p1.json.picks.items[0].subject_id, undefined); // the public sees names, not internal ids
	assert.equal((await env.get(`/api/v1/public/draws/${d.id}?page=2`)).json.picks.items.length, 5);
	assert.equal((await env.get(`/api/v1/public/draws/${d.id}?page=x`)).status, 400);
	assert.equal((await env.get('/api/v1/public/draws/999999')).status, 404);
});
