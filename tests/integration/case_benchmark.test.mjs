// case_benchmark.test.mjs — a 行政处罚案件's decision meets its 裁量基准
// (data/benchmarks/, discretion_check): within the range it is decided and
// the version used is recorded on the case (the newest listing the
// violation code when none is named); outside the range it needs the
// written reason (409 naming the range in 元); a category the benchmark
// gives no ground for is refused (行政处罚法 第五条); a code, version or
// circumstance no benchmark lists is 400 naming the field; nothing is
// written by a refusal. And a 注销 certificate is refused by name like a
// 吊销 one (第四十二条).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const CASES = '/api/v1/registers/enforcement_case/records';
const MATTERS = '/api/v1/registers/enforcement_matter/records';
const today = todayCst();
// 王建国 (fixture) and 陈敏 hold valid certificates of 慈溪市市场监督管理局;
// 郑伟's was cancelled (注销).
const TWO = '33028200017、33028200031';
let env, dir, officer, coord, unit, matter, n = 0;

const people = [
	{ name: '陈敏', cert_no: '33028200031', status: 'active' },
	{ name: '郑伟', cert_no: '33028200035', status: 'cancelled' },
];

before(async () => {
	env = await setup({ users: [...defaultUsers(),
		{ username: 'officer_a', role: 'officer', scope: '330282', bodies: ['B330282-SCJG'] }] });
	dir = mkdtempSync(join(tmpdir(), 'fazhi-case-bm-'));
	const file = join(dir, 'people.jsonl');
	writeFileSync(file, people.map((p) => JSON.stringify({ type: 'person', name: p.name, body: 'B330282-SCJG', title: '执法队员',
		cert_no: p.cert_no, cert_issuer: '浙江省人民政府', cert_valid_from: '2022-01-01', cert_valid_until: '2099-12-31',
		cert_status: p.status })).join('\n') + '\n');
	await env.mustFazhi(['import', '--db', env.uri, file]);
	coord = await env.login('coord');
	officer = await env.login('officer_a');
	unit = (await env.get(`/api/v1/subjects?q=${encodeURIComponent('兴华供应链')}`, coord)).json.items[0].id;
	const m = await env.post(MATTERS, officer, { body: 'B330282-SCJG', start_date: today, data: { code: '330282-CF-0009',
		name: '对经营者不按照规定明码标价的行政处罚', kind: '行政处罚', sector: '市场监管', basis: '《中华人民共和国价格法》第四十二条' } });
	assert.equal(m.status, 201, m.text);
	matter = m.json.id;
});
after(async () => {
	await env?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const move = (id, transition, data) => env.post(`${CASES}/${id}/transitions`, officer, data ? { transition, data } : { transition });
const must = async (p) => { const r = await p; assert.equal(r.status, 200, r.text); return r.json; };
const get = async (id) => (await env.get(`${CASES}/${id}`, coord)).json;

/* A case heard after 告知 of the proposal: ready for the decision. */
async function heard(proposal) {
	const r = await env.post(CASES, officer, { body: 'B330282-SCJG', start_date: today, data: { party: unit, matter,
		procedure: '普通程序', violation: `未按规定明码标价 ${++n}`, violation_date: today, officers: TWO } });
	assert.equal(r.status, 201, r.text);
	const id = r.json.id;
	await must(move(id, 'file'));
	await must(move(id, 'investigate'));
	await must(move(id, 'notify', { penalty_kind: '罚款', decision_category: '一般处罚', ...proposal }));
	await must(move(id, 'hear', { statement: '当事人放弃陈述申辩' }));
	return id;
}
const decide = (id, data) => move(id, 'decide', { decision_no: `慈市监罚〔${today.slice(0, 4)}〕${id}号`, ...data });

test('a decision inside the benchmark is decided; the version used is recorded on the case', async () => {
	// JG-42 一般: 罚款 1500 元至 3500 元 (shipped fz-example 2024.1)
	const id = await heard({ amount_fen: 200000 });
	const c = await must(decide(id, { benchmark_code: 'JG-42' }));
	assert.equal(c.state, 'decided');
	assert.equal(c.data.benchmark_version, '2024.1');
	assert.equal(c.data.benchmark_applied, '是');
	// with the circumstance and a multiple's base: CZ-49 B, 货值金额 1.6–2.4 倍 of 1000 元
	const cz = await heard({ amount_fen: 200000 });
	expectError(assert, await decide(cz, { benchmark_code: 'CZ-49', benchmark_circumstance: 'B' }), 422, 'invalid', 'benchmark_base_fen');
	const ok = await must(decide(cz, { benchmark_code: 'CZ-49', benchmark_circumstance: 'B', benchmark_base_fen: 100000,
		benchmark_version: '2024.1' }));
	assert.deepEqual([ok.data.benchmark_circumstance, ok.data.benchmark_version], ['B', '2024.1']);
	// no benchmark named: decided, but not counted as applying one (4.18.1)
	const none = await must(decide(await heard({ amount_fen: 200000 })));
	assert.equal(none.data.benchmark_applied, '否');
	assert.equal(none.data.benchmark_version, undefined);
});

test('outside the range without the written reason: 409 naming the range in 元; with the reason decided', async () => {
	const id = await heard({ amount_fen: 450000 });
	const r = await decide(id, { benchmark_code: 'JG-42' });
	expectError(assert, r, 409, 'benchmark_reason_required', 'benchmark_reason');
	assert.match(r.json.error.message, /4500 元.*情形 B：罚款 1500 元至 3500 元.*超出裁量基准的理由/);
	const c = await get(id);
	assert.equal(c.state, 'heard', 'nothing written');
	const log = await env.audit({ action: 'write' });
	const entry = log.find((x) => x.entity === 'enforcement_case' && x.entity_id === String(id) && x.result === 'refused');
	assert.ok(entry, 'the refusal audited');
	assert.equal(JSON.parse(entry.detail).code, 'benchmark_reason_required');
	assert.equal(c.data.benchmark_code, undefined);
	// the circumstance's own range, a multiple shown in 元 for the base
	const cz = await heard({ amount_fen: 500000 });
	const m = await decide(cz, { benchmark_code: 'CZ-49', benchmark_circumstance: 'B', benchmark_base_fen: 100000 });
	expectError(assert, m, 409, 'benchmark_reason_required', 'benchmark_reason');
	assert.match(m.json.error.message, /货值金额 1\.6 倍至 2\.4 倍（即 1600 元至 2400 元）/);
	// a category other than the circumstance's is outside it too
	const lighter = await heard({ amount_fen: 200000, decision_category: '从轻处罚' });
	const l = await decide(lighter, { benchmark_code: 'JG-42', benchmark_circumstance: 'B' });
	expectError(assert, l, 409, 'benchmark_reason_required', 'benchmark_reason');
	assert.match(l.json.error.message, /情形 B 的裁量阶次为“一般”，决定为“从轻”/);
	const done = await must(decide(id, { benchmark_code: 'JG-42', benchmark_reason: '一年内三次违法且拒不改正，经集体讨论从重处罚' }));
	assert.deepEqual([done.state, done.data.benchmark_applied], ['decided', '是']);
});

test('a category the benchmark gives no ground for is refused (行政处罚法 第五条)', async () => {
	// JG-42 has no 减轻 circumstance and no 减轻处罚 lenient entry
	const id = await heard({ amount_fen: 50000, decision_category: '减轻处罚' });
	const r = await decide(id, { benchmark_code: 'JG-42', benchmark_reason: '当事人配合调查' });
	expectError(assert, r, 409, 'benchmark_category_not_allowed', 'decision_category');
	assert.match(r.json.error.message, /裁量类别.*没有规定“减轻”的情形/);
	assert.equal((await get(id)).state, 'heard');
});

test('a code, version or circumstance no benchmark lists is 400 naming the field', async () => {
	const id = await heard({ amount_fen: 200000 });
	for (const [data, field, msg] of [
		[{ benchmark_code: 'NO-SUCH' }, 'benchmark_code', /适用的裁量基准.*NO-SUCH/],
		[{ benchmark_code: 'JG-42', benchmark_version: '1999' }, 'benchmark_version', /裁量基准版本 1999/],
		[{ benchmark_code: 'JG-42', benchmark_circumstance: 'Z' }, 'benchmark_circumstance', /裁量情形.*Z/],
	]) {
		const r = await decide(id, data);
		expectError(assert, r, 400, 'benchmark_unknown', field);
		assert.match(r.json.error.message, msg);
	}
	expectError(assert, await decide(id, { benchmark_version: '2024.1' }), 422, 'invalid', 'benchmark_code');
	assert.equal((await get(id)).state, 'heard');
});

test('the newest loaded version listing the code is used and recorded when the case names none', async () => {
	const text = (version, range) => [`benchmark fz-it-case ${version} 集成测试裁量基准`, 'violation IT-9 | 测试违法行为 | 市场监管',
		'prohibition 价格法 第十三条', 'penalty 价格法 第四十二条', `circ A | 一般情形 | 一般 | 罚款 ${range} 元`].join('\n');
	assert.equal((await env.post('/api/v1/benchmarks', coord, { text: text('1', '100-200') })).status, 201);
	assert.equal((await env.post('/api/v1/benchmarks', coord, { text: text('2', '300-400') })).status, 201);
	const id = await heard({ amount_fen: 35000 });
	const c = await must(decide(id, { benchmark_code: 'IT-9' }));
	assert.deepEqual([c.data.benchmark_version, c.data.benchmark_applied], ['2', '是']);
	// the older version named: 350 元 is outside its 100–200 元
	const old = await heard({ amount_fen: 35000 });
	const r = await decide(old, { benchmark_code: 'IT-9', benchmark_version: '1' });
	expectError(assert, r, 409, 'benchmark_reason_required', 'benchmark_reason');
	assert.match(r.json.error.message, /fz-it-case（1）.*罚款 100 元至 200 元/);
});

test('a 注销 certificate is refused by name like a 吊销 one (第四十二条); the status is listed as 注销', async () => {
	const r = await env.post(CASES, officer, { body: 'B330282-SCJG', start_date: today, data: { party: unit, matter,
		procedure: '普通程序', violation: '注销证件', violation_date: today, officers: '33028200017、33028200035' } });
	assert.equal(r.status, 201, r.text);
	const f = await move(r.json.id, 'file');
	expectError(assert, f, 422, 'officer_not_certified', 'officers');
	assert.match(f.json.error.message, /郑伟（执法证号 33028200035）的执法证已注销/);
	assert.equal((await get(r.json.id)).state, 'received');
	const p = (await env.get('/api/v1/people?q=33028200035', coord)).json.items[0];
	assert.equal(p.cert_status, 'cancelled');
	const vocab = (await env.get('/api/v1/meta', coord)).json;
	assert.equal(vocab.cert_statuses.cancelled, '注销');
	// set through the API too; a status outside the list is refused naming it
	const bad = await env.patch(`/api/v1/people/${p.id}`, coord, { cert_status: 'lost' });
	expectError(assert, bad, 422, 'invalid', 'cert_status');
	assert.match(bad.json.error.message, /证件状态/);
});
