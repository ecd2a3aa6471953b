// benchmarks.test.mjs — 裁量基准 over HTTP: the shipped example listed and
// shown (ranges in fen, legal bases), loading a version (top level only,
// refused before the body is read and audited; line-numbered Chinese
// errors; shipped ids and duplicate versions refused), the newest version
// used by default, and the check a case form makes (within, outside with
// and without a reason, category without ground, multiples needing a base).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { defaultUsers, expectError, setup } from './harness.mjs';

const BM = '/api/v1/benchmarks';
let env, coord, coordA, dept;

const file = (version, extra = '') => [
	`benchmark fz-it-bm ${version} 集成测试裁量基准`,
	'violation T-1 | 测试违法行为 | 市场监管',
	'prohibition 价格法 第十三条',
	'penalty 价格法 第四十二条',
	`circ A | 一般情形 | 一般 | 罚款 ${version === '1' ? '100-200' : '300-400'} 元`,
	extra,
].join('\n');

before(async () => {
	env = await setup({ users: defaultUsers() });
	coord = await env.login('coord');
	coordA = await env.login('coord_a');
	dept = await env.login('dept_a');
});
after(() => env?.close());

test('the shipped example is listed and shown with its circumstances, ranges in fen and legal bases', async () => {
	const list = await env.get(BM, dept);
	assert.equal(list.status, 200, list.text);
	const shipped = list.json.items.find((x) => x.id === 'fz-example');
	assert.ok(shipped && shipped.source === '内置' && shipped.violations >= 10, list.text);
	const r = await env.get(`${BM}/fz-example`, dept);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.version, shipped.version);
	const v = r.json.violations.find((x) => x.code === 'SP-124-05');
	assert.match(v.penalty, /食品安全法 第一百二十四条/);
	assert.match(v.prohibition, /食品安全法 第三十四条/);
	const a = v.circumstances.find((c) => c.code === 'A');
	assert.deepEqual([a.category, a.range.kind, a.range.lo_fen, a.range.hi_fen], ['从轻', 'fixed', 5000000, 6500000]);
	assert.equal(a.range.text, '罚款 5 万元至 6.5 万元');
	const gh = r.json.violations.find((x) => x.code === 'GH-64').circumstances[0].range;
	assert.deepEqual([gh.kind, gh.base, gh.lo_per_10000, gh.hi_per_10000], ['multiple', '建设工程造价', 500, 650]);
	assert.ok(r.json.violations.some((x) => x.sector === '城市管理'));
	assert.ok(r.json.violations.some((x) => x.lenient.some((l) => l.kind === '首违不罚' && /第三十三条/.test(l.basis))));
	expectError(assert, await env.get(`${BM}/fz-example?version=1999.1`, dept), 404, 'not_found', 'version');
	expectError(assert, await env.get(`${BM}/no-such`, dept), 404, 'not_found');
});

test('the check answers what the benchmark proposes and whether a decision is inside it', async () => {
	const check = (body) => env.post(`${BM}/fz-example/check`, dept, body);
	let r = await check({ violation: 'SP-124-05', circumstance: 'A', category: '从轻', amount_fen: 6000000 });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.verdict, 'within');
	assert.deepEqual([r.json.proposed.category, r.json.proposed.lo_fen, r.json.proposed.hi_fen], ['从轻', 5000000, 6500000]);
	r = await check({ violation: 'SP-124-05', circumstance: 'A', category: '从轻', amount_fen: 7000000 });
	assert.equal(r.json.verdict, 'reason_required', r.text);
	assert.match(r.json.message, /裁量理由/);
	r = await check({ violation: 'SP-124-05', circumstance: 'A', category: '从轻', amount_fen: 7000000, reason: '涉案食品流入学校食堂' });
	assert.equal(r.json.verdict, 'outside', r.text);
	// LAW: 行政处罚法 第五条 — no ground for 不予处罚 in the benchmark
	r = await check({ violation: 'SP-124-05', category: '不予处罚', amount_fen: 0, reason: '情节轻微' });
	assert.equal(r.json.verdict, 'category_not_allowed', r.text);
	// LAW: 行政处罚法 第三十三条 — the lenient list grounds it, and is returned
	r = await check({ violation: 'JG-42', category: '不予处罚' });
	assert.equal(r.json.verdict, 'within', r.text);
	assert.ok(r.json.lenient.some((l) => l.kind === '首违不罚'), r.text);
	// 货值金额 2 万元 × 13–17 倍
	expectError(assert, await check({ violation: 'SP-124-05', circumstance: 'D', category: '一般', amount_fen: 30000000 }), 422, 'benchmark_base_required', 'base_fen');
	r = await check({ violation: 'SP-124-05', circumstance: 'D', category: '一般', amount_fen: 30000000, base_fen: 2000000 });
	assert.deepEqual([r.json.verdict, r.json.proposed.lo_fen, r.json.proposed.hi_fen], ['within', 26000000, 34000000], r.text);
	// bad input: stable codes, Chinese labels
	r = await check({ violation: 'NOPE', category: '一般' });
	expectError(assert, r, 422, 'benchmark_unknown', 'violation');
	r = await check({ violation: 'JG-42', category: '稍轻' });
	expectError(assert, r, 422, 'invalid', 'category');
	assert.match(r.json.error.message, /裁量阶次/);
	r = await check({ violation: 'JG-42', category: '一般', amount_fen: 1.5 });
	expectError(assert, r, 422, 'invalid', 'amount_fen');
	assert.match(r.json.error.message, /罚款金额/);
	expectError(assert, await check({ violation: 'JG-42', category: '不予处罚', amount_fen: 100 }), 422, 'invalid', 'amount_fen');
	expectError(assert, await check({ violation: 'JG-42', category: '一般', bogus: 1 }), 400, 'unknown_field');
});

test('loading a version: top level only (refused before the body is read, audited), line-numbered errors, versions kept', async () => {
	const before = (await env.get(BM, coord)).json.total;
	for (const body of [{ text: file('1') }, { text: 'nonsense' }, {}]) expectError(assert, await env.post(BM, coordA, body), 403, 'forbidden');
	expectError(assert, await env.post(BM, dept, { text: file('1') }), 403, 'forbidden');
	const refused = await env.audit({ actor: 'coord_a', entity: 'discretion_benchmark', result: 'refused' });
	assert.ok(refused.length >= 3, JSON.stringify(refused));

	// The errors name their lines.
	let r = await env.post(BM, coord, { text: file('1', 'circ B | 从重情形 | 很重 | 罚款 1-2 元') });
	expectError(assert, r, 422, 'invalid', 'text');
	assert.equal(r.json.error.problems[0].line, 6, r.text);
	assert.match(r.json.error.problems[0].message, /裁量阶次/);
	assert.match(r.json.error.message, /第 6 行/);
	r = await env.post(BM, coord, { text: file('1').replace('罚款 100-200 元', '罚款 200-100 元') });
	assert.equal(r.json.error.problems[0].line, 5, r.text);
	// A shipped id cannot be loaded over.
	expectError(assert, await env.post(BM, coord, { text: file('1').replace('fz-it-bm', 'fz-example') }), 403, 'forbidden');
	assert.equal((await env.get(BM, coord)).json.total, before, 'nothing stored');

	r = await env.post(BM, coord, { text: file('1') });
	assert.equal(r.status, 201, r.text);
	assert.deepEqual([r.json.id, r.json.version, r.json.violations, r.json.source], ['fz-it-bm', '1', 1, '导入']);
	expectError(assert, await env.post(BM, coord, { text: file('1') }), 409, 'conflict');
	const ok = await env.audit({ actor: 'coord', entity: 'discretion_benchmark', result: 'ok' });
	assert.ok(ok.some((x) => x.action === 'create' && JSON.parse(x.detail).version === '1'), JSON.stringify(ok));
	const shippedRefusal = await env.audit({ actor: 'coord', entity: 'discretion_benchmark', result: 'refused' });
	assert.ok(shippedRefusal.some((x) => JSON.parse(x.detail).code === 'forbidden'), JSON.stringify(shippedRefusal));

	// Version 2: the newest is used without a version; version 1 stays readable.
	assert.equal((await env.post(BM, coord, { text: file('2') })).status, 201);
	const list = await env.get(BM, dept);
	assert.deepEqual(list.json.items.filter((x) => x.id === 'fz-it-bm').map((x) => x.version).sort(), ['1', '2']);
	assert.equal((await env.get(`${BM}/fz-it-bm`, dept)).json.version, '2');
	const v1 = await env.get(`${BM}/fz-it-bm?version=1`, dept);
	assert.equal(v1.json.violations[0].circumstances[0].range.hi_fen, 20000);
	r = await env.post(`${BM}/fz-it-bm/check`, dept, { violation: 'T-1', category: '一般', amount_fen: 15000 });
	assert.equal(r.json.version, '2');
	assert.equal(r.json.verdict, 'reason_required', r.text);
	r = await env.post(`${BM}/fz-it-bm/check`, dept, { version: '1', violation: 'T-1', category: '一般', amount_fen: 15000 });
	assert.deepEqual([r.json.version, r.json.verdict], ['1', 'within'], r.text);
});
