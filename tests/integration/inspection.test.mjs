// inspection.test.mjs — 涉企行政检查: the path 计划 → 报备 → 入企 → 记录结果 →
// 评价/投诉 → 办结; the item a 行政检查 of the 执法事项清单 with its basis;
// two certified officers at 报备 and 入企 (行政处罚法 第四十二条、第五十五条);
// the yearly cap and the quiet period at 报备 (优化营商环境条例 第五十四条,
// the locality's numbers), lifted by the department's approval; a case
// behind 立案查处; the metrics of items 1.3.x.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { defaultUsers, expectError, freshUscc, setup, todayCst } from './harness.mjs';

const INSP = '/api/v1/registers/inspection/records';
const MATTERS = '/api/v1/registers/enforcement_matter/records';
const CASES = '/api/v1/registers/enforcement_case/records';
const today = todayCst();
const year = today.slice(0, 4);
// 王建国 (fixture) and 陈敏 hold valid certificates of 慈溪市市场监督管理局.
const TWO = '33028200017、33028200031';
let env, dir, officer, dept, coord, subjects, check, punish, used = 0;

before(async () => {
	env = await setup({ users: [...defaultUsers(),
		{ username: 'officer_a', role: 'officer', scope: '330282', bodies: ['B330282-SCJG'] }] });
	dir = mkdtempSync(join(tmpdir(), 'fazhi-insp-'));
	const file = join(dir, 'people.jsonl');
	const people = [['陈敏', '33028200031', '2099-12-31'], ['周静', '33028200033', '2024-12-31']];
	writeFileSync(file, people.map(([name, cert_no, until]) => JSON.stringify({ type: 'person', name, body: 'B330282-SCJG',
		title: '执法队员', cert_no, cert_issuer: '浙江省人民政府', cert_valid_from: '2020-01-01', cert_valid_until: until,
		cert_status: 'active' })).join('\n') + '\n');
	await env.mustFazhi(['import', '--db', env.uri, file]);
	coord = await env.login('coord');
	officer = await env.login('officer_a');
	dept = await env.login('dept_a');
	subjects = [];
	for (let i = 0; i < 12; i++) {
		const s = await env.post('/api/v1/subjects', coord, { kind: 'enterprise', name: `受检企业${i}有限公司`, uscc: freshUscc(), region: '330282' });
		assert.equal(s.status, 201, s.text);
		subjects.push(s.json.id);
	}
	const matter = async (kind, code) => {
		const m = await env.post(MATTERS, officer, { body: 'B330282-SCJG', start_date: today, data: { code, kind, sector: '市场监管',
			name: `${kind}事项 ${code}`, basis: `《中华人民共和国食品安全法》第一百一十条（${code}）` } });
		assert.equal(m.status, 201, m.text);
		return m.json.id;
	};
	check = await matter('行政检查', '330282-JC-0001');
	punish = await matter('行政处罚', '330282-CF-0009');
});
after(async () => {
	await env?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const fresh = () => subjects[used++];
async function plan(data = {}, sess = officer) {
	const r = await env.post(INSP, sess, { body: 'B330282-SCJG', start_date: today, data: { enterprise: subjects[0], matter: check,
		inspection_kind: '随机抽查', window_from: today, window_to: today, joint: '否', officers: TWO, ...data } });
	assert.equal(r.status, 201, r.text);
	return r.json;
}
const move = (sess, id, transition, data) =>
	env.post(`${INSP}/${id}/transitions`, sess, data ? { transition, data } : { transition });
const must = async (p) => { const r = await p; assert.equal(r.status, 200, r.text); return r.json; };

test('an inspection\'s path: the item\'s basis derived, each step stamped, rated and closed', async () => {
	const ent = fresh();
	const p = await plan({ enterprise: ent });
	assert.equal(p.state, 'plan');
	assert.match(p.data.basis, /食品安全法》第一百一十条/);
	const reg = await must(move(officer, p.id, 'register'));
	assert.equal(reg.data.registered_on, today);
	assert.equal(reg.data.year_ordinal, 1);
	assert.equal(reg.data.pair_first, '是');
	assert.equal((await must(move(officer, p.id, 'check_in'))).data.checked_in_on, today);
	expectError(assert, await move(officer, p.id, 'record_result'), 422, 'invalid', 'result');
	const res = await must(move(officer, p.id, 'record_result', { result: '无问题', result_text: '现场检查未发现问题' }));
	assert.equal(res.state, 'result_recorded');
	expectError(assert, await move(officer, p.id, 'rate', { rating: 6 }), 422, 'invalid', 'rating');
	assert.equal((await must(move(officer, p.id, 'rate', { rating: 5 }))).data.rating_given, '是');
	assert.equal((await must(move(officer, p.id, 'close'))).state, 'closed');
});

test('the item must be a 行政检查 of the list; the window ordered', async () => {
	const r = await env.post(INSP, officer, { body: 'B330282-SCJG', start_date: today, data: { enterprise: subjects[0], matter: punish,
		inspection_kind: '随机抽查', window_from: today, window_to: today, officers: TWO } });
	expectError(assert, r, 422, 'invalid', 'matter');
	assert.match(r.json.error.message, /检查事项.*行政检查/);
	const w = await env.post(INSP, officer, { body: 'B330282-SCJG', start_date: today, data: { enterprise: subjects[0], matter: check,
		inspection_kind: '随机抽查', window_from: `${year}-12-31`, window_to: `${year}-01-01`, officers: TWO } });
	expectError(assert, w, 422, 'invalid', 'window_to');
	assert.match(w.json.error.message, /计划检查截止日期/);
});

test('two certified officers at 报备 and at 入企, refused by name and reason', async () => {
	const ent = fresh();
	const one = await plan({ enterprise: ent, officers: '33028200017' });
	const r1 = await move(officer, one.id, 'register');
	expectError(assert, r1, 422, 'too_few_officers', 'officers');
	assert.match(r1.json.error.message, /不得少于两人.*检查人员执法证号只填了 1 人/);
	const expired = await plan({ enterprise: ent, officers: '33028200017、33028200033' });
	const r2 = await move(officer, expired.id, 'register');
	expectError(assert, r2, 422, 'officer_not_certified', 'officers');
	assert.match(r2.json.error.message, /周静（执法证号 33028200033）的执法证已于 2024-12-31 过期，不能实施行政检查/);
	// Registered with two, then one of them replaced by an expired one before 入企.
	await must(move(officer, expired.id, 'register', { officers: TWO }));
	const r3 = await move(officer, expired.id, 'check_in', { officers: '33028200017、33028200033' });
	expectError(assert, r3, 422, 'officer_not_certified', 'officers');
	assert.equal((await env.get(`${INSP}/${expired.id}`, coord)).json.state, 'registered'); // nothing written
});

test('the cap: over it 报备 is refused naming the enterprise and count, then allowed with the department\'s approval', async () => {
	const ent = fresh();
	const days = [`${year}-01-05`, `${year}-03-05`, `${year}-06-05`];
	const a = await plan({ enterprise: ent, window_from: days[0], window_to: days[0] });
	await must(move(officer, a.id, 'register'));
	const b = await plan({ enterprise: ent, window_from: days[1], window_to: days[1] });
	assert.equal((await must(move(officer, b.id, 'register'))).data.year_ordinal, 2);
	const c = await plan({ enterprise: ent, window_from: days[2], window_to: days[2] });
	const r = await move(officer, c.id, 'register');
	expectError(assert, r, 409, 'inspection_over_cap', 'cap_approval');
	assert.match(r.json.error.message, new RegExp(`${year} 年已接受本机关日常检查 2 次，达到上限 2 次`));
	// The officer may not write the approval; the body's department role may.
	assert.equal((await env.patch(`${INSP}/${c.id}`, officer, { data: { cap_approval: '局长批准' } })).status, 403);
	await must(env.patch(`${INSP}/${c.id}`, dept, { data: { cap_approval: `经局长批准（${year}-06-01）：食品安全专项整治` } }));
	const ok = await must(move(officer, c.id, 'register'));
	assert.equal(ok.data.year_ordinal, 3);
	assert.equal(ok.data.pair_over_cap, '是');
	// A complaint-driven check is not bounded by the cap.
	const k = await plan({ enterprise: ent, inspection_kind: '投诉举报', window_from: days[2], window_to: days[2] });
	await must(move(officer, k.id, 'register'));
});

test('the quiet period: a routine check within 30 days of the last is refused', async () => {
	const ent = fresh();
	const a = await plan({ enterprise: ent, window_from: `${year}-02-01`, window_to: `${year}-02-01` });
	await must(move(officer, a.id, 'register'));
	const b = await plan({ enterprise: ent, window_from: `${year}-02-20`, window_to: `${year}-02-20` });
	const r = await move(officer, b.id, 'register');
	expectError(assert, r, 409, 'inspection_quiet_period', 'cap_approval');
	assert.match(r.json.error.message, new RegExp(`已于 ${year}-02-01 接受本机关日常检查，30 日免检期内`));
	const c = await plan({ enterprise: ent, window_from: `${year}-03-05`, window_to: `${year}-03-05` });
	await must(move(officer, c.id, 'register')); // 32 days later
});

test('立案查处 needs the case; a case only behind 立案查处', async () => {
	const ent = fresh();
	const p = await plan({ enterprise: ent, inspection_kind: '重点检查' });
	await must(move(officer, p.id, 'register'));
	await must(move(officer, p.id, 'check_in'));
	const r = await move(officer, p.id, 'record_result', { result: '立案查处' });
	expectError(assert, r, 409, 'case_required', 'case');
	assert.match(r.json.error.message, /立案查处.*行政处罚案件/);
	const kase = await env.post(CASES, officer, { body: 'B330282-SCJG', start_date: today, data: { party: ent, matter: punish,
		procedure: '普通程序', violation: '检查发现销售过期食品', violation_date: today, officers: TWO } });
	assert.equal(kase.status, 201, kase.text);
	expectError(assert, await move(officer, p.id, 'record_result', { result: '无问题', case: kase.json.id }), 422, 'invalid', 'case');
	const done = await must(move(officer, p.id, 'record_result', { result: '立案查处', case: kase.json.id }));
	assert.equal(done.data.case, kase.json.id);
	const c = await must(move(officer, p.id, 'complain', { complaint: '检查时间过长，影响正常经营' }));
	assert.equal(c.data.complained, '是');
	await must(move(officer, p.id, 'close'));
});

test('items 1.3.1–1.3.3 computed from the year\'s registered inspections of the county', async () => {
	// The tests above registered 9 in 330282: 7 routine (all 随机抽查), 1 投诉举报,
	// 1 重点检查; none joint; 4 enterprises checked routinely, 1 of them over the cap.
	const ent = fresh();
	const p = await plan({ enterprise: ent, inspection_kind: '专项检查', joint: '是' });
	await must(move(officer, p.id, 'register'));
	await plan({ enterprise: ent, joint: '是' }); // a plan not 报备 counts nowhere
	const ev = await env.get(`/api/v1/evaluation?region=330282&period=${year}`, coord);
	assert.equal(ev.status, 200, ev.text);
	const item = (id) => ev.json.indicators.find((i) => i.id === id);
	const near = (id, v) => assert.ok(Math.abs(item(id).value - v) < 1e-3, `${id}: ${item(id).value} vs ${v}`);
	near('1.3.1', 7 / 8); // 随机抽查 over routine checks (重点检查, 投诉举报 excluded)
	near('1.3.2', 1 / 10); // joint over all
	near('1.3.3', 1 / 5); // (enterprise, body) pairs over the cap over pairs checked
	near('1.3.4', 0); // none of the test's enterprises has a credit grade
	// Another county sees none of them.
	const evB = await env.get(`/api/v1/evaluation?region=330281&period=${year}`, await env.login('coord_b'));
	assert.equal(evB.json.indicators.find((i) => i.id === '1.3.2').status, 'na');
});

test('the coordinator\'s overview: the same shares as 1.3.x, each pair over the cap by name, per body, in scope', async () => {
	const OV = '/api/v1/registers/inspection/overview';
	const ov = await env.get(`${OV}?year=${year}`, await env.login('coord_a'));
	assert.equal(ov.status, 200, ov.text);
	const ev = await env.get(`/api/v1/evaluation?region=330282&period=${year}`, coord);
	const item = (id) => ev.json.indicators.find((i) => i.id === id).value;
	const t = ov.json.totals;
	assert.equal(t.total, 10);
	assert.ok(Math.abs(t.random_share - item('1.3.1')) < 1e-9, `${t.random_share} vs ${item('1.3.1')}`);
	assert.ok(Math.abs(t.joint_share - item('1.3.2')) < 1e-9);
	assert.equal(t.ratings.reduce((a, b) => a + b, 0), t.rated);
	assert.ok(t.ratings[4] >= 1, 'the first test\'s 5 points');
	assert.equal(ov.json.cap_per_year, 2);
	assert.equal(ov.json.over_cap.length, 1, JSON.stringify(ov.json.over_cap));
	const o = ov.json.over_cap[0];
	assert.equal(o.routine, 3);
	assert.match(o.enterprise.name, /^受检企业\d有限公司$/);
	assert.equal(o.body.code, 'B330282-SCJG');
	assert.equal(ov.json.enterprises[0].enterprise.id, o.enterprise.id, 'the most inspected first');
	assert.equal(ov.json.bodies.length, 1);
	assert.equal(ov.json.bodies[0].total, 10);
	// The department sees its own body; another county sees nothing of it.
	assert.equal((await env.get(`${OV}?year=${year}`, dept)).json.totals.total, 10);
	const b = await env.get(`${OV}?year=${year}`, await env.login('coord_b'));
	assert.equal(b.json.totals.total, 0);
	assert.deepEqual(b.json.over_cap, []);
	assert.equal(b.json.totals.random_share, null);
	expectError(assert, await env.get(`${OV}?year=20x6`, coord), 400, 'invalid', 'year');
	assert.equal((await env.get(`${OV}?year=${Number(year) - 1}`, coord)).json.totals.total, 0);
});

test('1.3.4: a 双随机 check of an enterprise with a credit grade counts; the grade is the one at 报备', async () => {
	const ent = fresh();
	const sub = `/api/v1/subjects/${ent}`;
	expectError(assert, await env.patch(sub, coord, { credit_grade: 'E' }), 422, 'invalid', 'credit_grade');
	const g = await env.patch(sub, coord, { credit_grade: 'B', industry: '住宿和餐饮业' });
	assert.equal(g.status, 200, g.text);
	assert.equal(g.json.credit_grade, 'B');
	assert.match(g.json.credit_grade_label, /B 类/);
	// A PATCH of another field keeps the grade.
	assert.equal((await env.patch(sub, coord, { name: `${g.json.name}（更名）` })).json.credit_grade, 'B');
	const p = await plan({ enterprise: ent });
	const reg = await must(move(officer, p.id, 'register'));
	assert.equal(reg.data.credit_grade, 'B');
	assert.equal(reg.data.random_graded, '是');
	const ev = await env.get(`/api/v1/evaluation?region=330282&period=${year}`, coord);
	const v = ev.json.indicators.find((i) => i.id === '1.3.4');
	assert.equal(v.kind, 'auto');
	assert.ok(Math.abs(v.value - 1 / 8) < 1e-9, `1.3.4: ${v.value}`); // 1 graded of 8 随机抽查
	// A natural person has no grade.
	const person = await env.post('/api/v1/subjects', coord, { kind: 'person', name: '张三', id_number: '330282199001011234', region: '330282', credit_grade: 'A' });
	expectError(assert, person, 422, 'invalid', 'credit_grade');
	// null clears the grade; the inspection keeps the one it had at 报备.
	assert.equal((await env.patch(sub, coord, { credit_grade: null })).json.credit_grade, null);
	assert.equal((await env.get(`${INSP}/${p.id}`, officer)).json.data.credit_grade, 'B');
});

test('the locality\'s limits as data: a rule for a body, a body in an industry; the most specific applies, cited by its basis', async () => {
	const RULES = '/api/v1/registers/inspection/rules';
	const ca = await env.login('coord_a');
	const body = await env.post(RULES, ca, { body: 'B330282-SCJG', cap_per_year: 1, quiet_days: 0, basis: '慈溪市涉企行政检查频次规定第五条' });
	assert.equal(body.status, 201, body.text);
	assert.equal(body.json.body_code, 'B330282-SCJG');
	const [e1, e2] = [fresh(), fresh()];
	await must(env.patch(`/api/v1/subjects/${e2}`, coord, { industry: '住宿和餐饮业' }));
	const inInd = await env.post(RULES, ca, { body: 'B330282-SCJG', industry: '住宿和餐饮业', cap_per_year: 2, quiet_days: 0,
		basis: '慈溪市餐饮行业检查计划' });
	assert.equal(inInd.status, 201, inInd.text);
	// The body's rule: one routine check a year for e1.
	await must(move(officer, (await plan({ enterprise: e1 })).id, 'register'));
	const second = await plan({ enterprise: e1 });
	const r = await move(officer, second.id, 'register');
	expectError(assert, r, 409, 'inspection_over_cap', 'cap_approval');
	assert.match(r.json.error.message, /上限 1 次（慈溪市涉企行政检查频次规定第五条）/);
	// The body's rule in e2's industry: two.
	await must(move(officer, (await plan({ enterprise: e2 })).id, 'register'));
	await must(move(officer, (await plan({ enterprise: e2 })).id, 'register'));
	const third = await move(officer, (await plan({ enterprise: e2 })).id, 'register');
	expectError(assert, third, 409, 'inspection_over_cap', 'cap_approval');
	assert.match(third.json.error.message, /上限 2 次（慈溪市餐饮行业检查计划）/);
	// Who may: the office within its scope; another county's body is unknown to it; a department may not.
	expectError(assert, await env.post(RULES, await env.login('coord_b'), { body: 'B330282-SCJG', cap_per_year: 1, quiet_days: 0,
		basis: 'x' }), 422, 'invalid', 'body');
	assert.equal((await env.post(RULES, dept, { region: '330282', cap_per_year: 1, quiet_days: 0, basis: 'x' })).status, 403);
	expectError(assert, await env.post(RULES, ca, { region: '330282', cap_per_year: 0, quiet_days: 0, basis: 'x' }), 422, 'invalid',
		'cap_per_year');
	expectError(assert, await env.post(RULES, ca, { region: '330282', cap_per_year: 1, quiet_days: 0 }), 422, 'invalid', 'basis');
	assert.equal((await env.get(RULES, dept)).json.total, 2);
	assert.equal((await env.get(RULES, await env.login('coord_b'))).json.total, 0);
	// Withdrawn: the settings apply again (30 days' quiet period after e1's check).
	assert.equal((await env.post(`${RULES}/${body.json.id}/withdraw`, ca, {})).status, 200);
	expectError(assert, await move(officer, second.id, 'register'), 409, 'inspection_quiet_period', 'cap_approval');
	expectError(assert, await env.post(`${RULES}/${body.json.id}/withdraw`, ca, {}), 409, 'already_withdrawn');
	assert.equal((await env.post(`${RULES}/${body.json.id}/withdraw`, await env.login('coord_b'), {})).status, 404);
	assert.equal((await env.get(RULES, ca)).json.total, 1);
	assert.equal((await env.get(`${RULES}?all=1`, ca)).json.total, 2);
	const log = await env.get('/api/v1/audit?entity=inspection_rule', await env.login('auditor'));
	assert.ok(log.json.items.some((x) => x.action === 'withdraw' && x.result === 'ok'), log.text);
	assert.ok(log.json.items.some((x) => x.action === 'create' && x.result === 'refused'), 'the refusals are audited');
});
