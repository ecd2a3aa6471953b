// case_file_reviews.test.mjs — 案卷评查 over HTTP: a county's office draws a
// reproducible sample of each body's closed cases (seed recorded; the
// same seed draws the same sample, verify re-draws and compares); each
// sampled case goes to a reviewer from another body (交叉评查: one from the
// case's body is refused); a reviewer sees only the cases assigned to
// them, reads the case file through the review, scores it on the rubric
// (out-of-range points refused naming the rubric item; final once
// submitted; the office corrects with a reason); finishing turns low
// scores into remedial items (整改事项) (source 案卷评查); 4.19.1 案卷评查合格率 is
// computed from the scores. Another county's office sees none of it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { addDays, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const REVIEWS = '/api/v1/case-reviews';
const CASES = '/api/v1/registers/enforcement_case/records';
const MATTERS = '/api/v1/registers/enforcement_matter/records';
const today = todayCst();
const year = Number(today.slice(0, 4));
let env, dir, coordA, coordB, evaluator, revScjg, revZhzf, revB, dept, n = 0;
const closed = { 'B330282-SCJG': [], 'B330282-ZHZF': [], 'B330281-SCJG': [] };
const uid = {};

// Two certified officers per body (第四十二条); the fixture has one in some.
const people = [
	['陈敏', 'B330282-SCJG', '33028200031'], ['周强', 'B330282-ZHZF', '33028200041'],
	['钱坤', 'B330281-SCJG', '33028100051'],
];
const officers = { 'B330282-SCJG': '33028200017、33028200031', 'B330282-ZHZF': '33028200018、33028200041',
	'B330281-SCJG': '33028100021、33028100051' };

before(async () => {
	env = await setup({ users: [...defaultUsers(),
		{ username: 'off_scjg', role: 'officer', scope: '330282', bodies: ['B330282-SCJG'] },
		{ username: 'off_zhzf', role: 'officer', scope: '330282', bodies: ['B330282-ZHZF'] },
		{ username: 'off_b', role: 'officer', scope: '330281', bodies: ['B330281-SCJG'] },
		{ username: 'rev_scjg', role: 'evaluator', scope: '330282', bodies: ['B330282-SCJG'] },
		{ username: 'rev_zhzf', role: 'evaluator', scope: '330282', bodies: ['B330282-ZHZF'] },
		{ username: 'rev_b', role: 'evaluator', scope: '330281' }] });
	dir = mkdtempSync(join(tmpdir(), 'fazhi-review-'));
	const file = join(dir, 'people.jsonl');
	writeFileSync(file, people.map(([name, body, cert]) => JSON.stringify({ type: 'person', name, body, title: '执法队员',
		cert_no: cert, cert_issuer: '浙江省人民政府', cert_valid_from: '2022-01-01', cert_valid_until: '2099-12-31',
		cert_status: 'active' })).join('\n') + '\n');
	await env.mustFazhi(['import', '--db', env.uri, file]);
	coordA = await env.login('coord_a');
	coordB = await env.login('coord_b');
	dept = await env.login('dept_a');
	evaluator = await env.login('evaluator');
	revScjg = await env.login('rev_scjg');
	revZhzf = await env.login('rev_zhzf');
	revB = await env.login('rev_b');
	for (const s of [evaluator, revScjg, revZhzf, revB]) uid[s.user.username] = s.user.id;
	const coord = await env.login('coord');
	const subj = async (q) => (await env.get(`/api/v1/subjects?q=${encodeURIComponent(q)}`, coord)).json.items[0].id;
	const party = { '330282': await subj('兴华供应链'), '330281': await subj('明远模具') };
	const plan = [['B330282-SCJG', 'off_scjg', 4], ['B330282-ZHZF', 'off_zhzf', 3], ['B330281-SCJG', 'off_b', 2]];
	for (const [body, user, count] of plan) {
		const off = await env.login(user);
		const m = await env.post(MATTERS, off, { body, start_date: today, data: { code: `${body}-CF-1`,
			name: '对销售不符合食品安全标准的食品的行政处罚', kind: '行政处罚', sector: '市场监管',
			basis: '《中华人民共和国食品安全法》第一百二十四条' } });
		assert.equal(m.status, 201, m.text);
		for (let i = 0; i < count; i++) closed[body].push(await closeCase(off, body, party[body.slice(1, 7)], m.json.id));
	}
});
after(async () => {
	await env?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/* One ordinary case from 立案 to 结案 by the body's officer. */
async function closeCase(off, body, party, matter) {
	const k = ++n;
	const r = await env.post(CASES, off, { body, start_date: today, data: { case_no: `评查测〔${year}〕${k}号`, party, matter,
		procedure: '普通程序', violation: `销售超过保质期的食品 ${k}`, violation_date: today, officers: officers[body] } });
	assert.equal(r.status, 201, r.text);
	const steps = [['file'], ['investigate'], ['notify', { penalty_kind: '罚款', amount_fen: 500000, decision_category: '一般处罚' }],
		['hear', { statement: '当事人放弃陈述申辩' }], ['decide', { decision_no: `评查罚〔${year}〕${k}号` }], ['deliver'],
		['execute', { execution: '已缴纳' }], ['close']];
	for (const [transition, data] of steps) {
		const t = await env.post(`${CASES}/${r.json.id}/transitions`, off, data ? { transition, data } : { transition });
		assert.equal(t.status, 200, `${transition}: ${t.text}`);
	}
	return r.json.id;
}

const put = (path, sess, body) => env.req('PUT', path, { sess, body });
const det = (x) => (typeof x.detail === 'string' ? JSON.parse(x.detail) : x.detail);
const ids = (review) => review.cases.map((c) => c.record_id).sort((a, b) => a - b);
const create = (body, sess = coordA) => env.post(REVIEWS, sess, { year, ...body });
const caseUrl = (rid, cid) => `${REVIEWS}/${rid}/cases/${cid}`;
const sessOf = (c) => ({ [uid.evaluator]: evaluator, [uid.rev_scjg]: revScjg, [uid.rev_zhzf]: revZhzf })[c.reviewer_id];

test('a campaign draws N closed cases per body of the region from a recorded seed; the same seed draws the same sample', async () => {
	const r = await create({ per_body: 2, seed: 'fz-seed-1' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.seed, 'fz-seed-1');
	assert.equal(r.json.state, 'open');
	const by = (b) => r.json.cases.filter((c) => c.body === b);
	assert.equal(by('B330282-SCJG').length, 2);
	assert.equal(by('B330282-ZHZF').length, 2);
	assert.equal(by('B330281-SCJG').length, 0, 'another county\'s cases are not drawn');
	for (const c of r.json.cases) assert.ok(closed[c.body].includes(c.record_id));
	assert.match(r.json.cases[0].case_no, /^评查测/);
	assert.equal(r.json.rubric.pass, 80);
	assert.equal(r.json.rubric.items.reduce((s, i) => s + i.points, 0), 100);
	// 交叉评查: every drawn case has a reviewer, none from the case's body
	for (const c of r.json.cases) {
		assert.ok(c.reviewer_id, JSON.stringify(c));
		assert.notEqual(c.reviewer_id, c.body === 'B330282-SCJG' ? uid.rev_scjg : uid.rev_zhzf);
		assert.notEqual(c.reviewer_id, uid.rev_b, 'a reviewer of another county is not drawn');
	}
	const again = await create({ per_body: 2, seed: 'fz-seed-1' });
	assert.deepEqual(ids(again.json), ids(r.json));
	assert.deepEqual(again.json.cases.map((c) => c.reviewer_id), r.json.cases.map((c) => c.reviewer_id));
	const other = await create({ per_body: 2, seed: 'fz-seed-2' });
	assert.notDeepEqual(ids(other.json), ids(r.json));
	const v = await env.get(`${REVIEWS}/${r.json.id}/verify`, coordA);
	assert.equal(v.status, 200, v.text);
	assert.deepEqual([v.json.same, v.json.drawn, v.json.recorded, v.json.seed], [true, 4, 4, 'fz-seed-1']);
	// the same check offline: `fazhi review verify ID`
	const cli = await env.fazhi(['review', 'verify', '--db', env.uri, '--json', String(r.json.id)]);
	assert.equal(cli.code, 0, cli.stderr);
	assert.deepEqual([JSON.parse(cli.stdout).same, JSON.parse(cli.stdout).drawn], [true, 4]);
	const none = await env.fazhi(['review', 'verify', '--db', env.uri, '999999']);
	assert.equal(none.code, 1);
	assert.match(none.stderr, /评查活动不存在/);
	// without a seed one is chosen and recorded; a percentage rounds up
	const pct = await create({ percent: 50 });
	assert.equal(pct.status, 201, pct.text);
	assert.match(pct.json.seed, /^[0-9a-f]{32}$/);
	assert.equal(pct.json.cases.length, 4); // ⌈4 × 50%⌉ + ⌈3 × 50%⌉
	const list = await env.get(REVIEWS, coordA);
	assert.ok(list.json.items.some((x) => x.id === r.json.id && x.sampled === 4));
	const audit = await env.audit({ entity: 'case_review', entity_id: String(r.json.id) });
	assert.ok(audit.some((x) => x.action === 'create' && x.result === 'ok' && det(x).seed === 'fz-seed-1'));
});

test('bad campaign input is refused with the field\'s Chinese label; a body-bound user cannot run one', async () => {
	let r = await create({ per_body: 2, percent: 10 });
	expectError(assert, r, 422, 'invalid', 'per_body');
	assert.match(r.json.error.message, /每单位抽查件数或抽查比例/);
	r = await create({});
	expectError(assert, r, 422, 'invalid', 'per_body');
	r = await create({ per_body: 2, seed: '种子 1' });
	expectError(assert, r, 422, 'invalid', 'seed');
	assert.match(r.json.error.message, /随机种子/);
	r = await env.post(REVIEWS, coordA, { year: 1999, per_body: 2 });
	expectError(assert, r, 422, 'invalid', 'year');
	assert.match(r.json.error.message, /评查年度/);
	expectError(assert, await env.post(REVIEWS, coordA, { year: 2001, per_body: 2 }), 422, 'review_no_cases', 'year');
	expectError(assert, await create({ per_body: 2, region: '330281' }), 404, 'not_found', 'region');
	assert.ok((await env.audit({ entity: 'case_review', result: 'refused' })).some((x) => det(x).code === 'not_found'));
	expectError(assert, await create({ per_body: 2 }, dept), 403, 'forbidden');
	const refused = await env.audit({ entity: 'case_review', result: 'refused' });
	assert.ok(refused.some((x) => det(x).code === 'invalid' && /随机种子/.test(det(x).reason)));
});

test('another county, a body-bound user and an unassigned reviewer see nothing of a campaign (404)', async () => {
	const r = (await create({ per_body: 1, seed: 'fz-scope' })).json;
	const c = r.cases[0];
	assert.equal((await env.get(`${REVIEWS}/${r.id}`, coordB)).status, 404);
	assert.equal((await env.get(`${REVIEWS}/${r.id}/verify`, coordB)).status, 404);
	assert.ok(!(await env.get(REVIEWS, coordB)).json.items.some((x) => x.id === r.id));
	assert.equal((await env.get(caseUrl(r.id, c.record_id), coordB)).status, 404);
	assert.equal((await env.get(caseUrl(r.id, c.record_id), revB)).status, 404);
	assert.equal((await env.get(`${REVIEWS}/${r.id}`, dept)).status, 404);
	expectError(assert, await put(`${caseUrl(r.id, c.record_id)}/reviewer`, coordB, { reviewer: uid.rev_b }), 404, 'not_found');
	// a case that is not in the sample
	assert.equal((await env.get(caseUrl(r.id, closed['B330281-SCJG'][0]), coordA)).status, 404);
	// the reviewer of the case reads it through the review, across bodies — not through the records API
	const mine = sessOf(c);
	const view = await env.get(caseUrl(r.id, c.record_id), mine);
	assert.equal(view.status, 200, view.text);
	assert.equal(view.json.body, c.body);
	assert.ok(view.json.fields.some((f) => f.label === '案号' && f.value === c.case_no));
	assert.equal(view.json.may_score, true);
	if (mine !== evaluator) assert.equal((await env.get(`${CASES}/${c.record_id}`, mine)).status, 404);
	const other = r.cases.find((x) => x.reviewer_id !== c.reviewer_id);
	assert.ok(other, 'the cases went to more than one reviewer');
	assert.equal((await env.get(caseUrl(r.id, other.record_id), mine)).status, 404);
	// a reviewer (even one bound to no body) sees no campaign, only their cases
	for (const s of [evaluator, revScjg, revZhzf]) {
		assert.equal((await env.get(`${REVIEWS}/${r.id}`, s)).status, 404);
		assert.deepEqual((await env.get(REVIEWS, s)).json.items, []);
	}
});

test('cross-review: a reviewer from the case\'s body is refused; the office reassigns to another body\'s reviewer', async () => {
	const r = (await create({ per_body: 1, seed: 'fz-cross' })).json;
	const c = r.cases.find((x) => x.body === 'B330282-SCJG');
	const url = `${caseUrl(r.id, c.record_id)}/reviewer`;
	let x = await put(url, coordA, { reviewer: uid.rev_scjg });
	expectError(assert, x, 422, 'review_same_body', 'reviewer');
	assert.match(x.json.error.message, /交叉评查/);
	expectError(assert, await put(url, coordA, { reviewer: uid.rev_b }), 422, 'review_reviewer_invalid', 'reviewer');
	const who = await env.get(`${REVIEWS}/${r.id}/reviewers`, coordA);
	assert.equal(who.status, 200, who.text);
	assert.deepEqual(who.json.items.map((u) => u.id).sort((a, b) => a - b),
		[uid.evaluator, uid.rev_scjg, uid.rev_zhzf].sort((a, b) => a - b), 'county B\'s reviewer is not offered');
	assert.deepEqual(who.json.items.find((u) => u.id === uid.rev_scjg).bodies, [c.body_id]);
	assert.equal((await env.get(`${REVIEWS}/${r.id}/reviewers`, coordB)).status, 404);
	x = await put(url, coordA, { reviewer: uid.rev_zhzf });
	assert.equal(x.status, 200, x.text);
	assert.equal(x.json.reviewer_id, uid.rev_zhzf);
	const mine = await env.get(`${REVIEWS}/mine`, revZhzf);
	assert.ok(mine.json.items.some((m) => m.review_id === r.id && m.record_id === c.record_id && !m.submitted));
	const audit = await env.audit({ entity: 'case_review', entity_id: String(r.id) });
	assert.ok(audit.some((a) => a.action === 'assign' && a.result === 'refused' && det(a).code === 'review_same_body'));
	assert.ok(audit.some((a) => a.action === 'assign' && a.result === 'ok' && det(a).to === uid.rev_zhzf));
});

test('scoring: out-of-range points refused naming the rubric item; final once submitted; the office corrects with a reason', async () => {
	const r = (await create({ per_body: 1, seed: 'fz-score' })).json;
	const c = r.cases[0], who = sessOf(c), url = `${caseUrl(r.id, c.record_id)}/score`;
	let x = await env.post(url, who, { items: [{ item: 'evidence', deductions: [{ code: 'evidence-form', points: 9 }] }] });
	expectError(assert, x, 422, 'review_score_invalid', 'scores');
	assert.match(x.json.error.message, /「证据充分」.*1 到 5 分/);
	x = await env.post(url, who, { items: [{ item: 'evidence', deductions: [{ code: 'evidence-missing' }, { code: 'evidence-form' }] }] });
	expectError(assert, x, 422, 'review_score_invalid', 'scores');
	assert.match(x.json.error.message, /「证据充分」扣分合计 25 分，超过该项分值 20 分/);
	expectError(assert, await env.post(url, who, { items: [{ item: 'nope' }] }), 422, 'review_score_invalid', 'scores');
	expectError(assert, await env.post(url, who, { items: [{ item: 'law', deductions: [{ code: 'evidence-form' }] }] }),
		422, 'review_score_invalid', 'scores');
	// not the assigned reviewer: the case does not exist for them
	const notMine = [evaluator, revScjg, revZhzf].find((s) => s !== who && s.user.id !== c.reviewer_id);
	expectError(assert, await env.post(url, notMine, { items: [] }), 404, 'not_found');
	x = await env.post(url, who, { items: [{ item: 'documents', deductions: [{ code: 'documents-errors', points: 2, note: '文号缺年份' }] },
		{ item: 'procedure', deductions: [{ code: 'procedure-limit' }] }] });
	assert.equal(x.status, 200, x.text);
	assert.deepEqual([x.json.total, x.json.passed, x.json.submitted, x.json.may_score], [93, true, true, false]);
	assert.equal(x.json.scores.items.find((i) => i.item === 'documents').score, 8);
	x = await env.post(url, who, { items: [] });
	expectError(assert, x, 409, 'review_final');
	assert.match(x.json.error.message, /评分已提交/);
	expectError(assert, await put(url, coordA, { items: [] }), 422, 'invalid', 'reason');
	x = await put(url, coordA, { items: [{ item: 'facts', deductions: [{ code: 'facts-unclear' }] }], reason: '复核发现违法事实要素缺失' });
	assert.equal(x.status, 200, x.text);
	assert.deepEqual([x.json.total, x.json.passed], [85, true]);
	const audit = await env.audit({ entity: 'case_review', entity_id: String(r.id) });
	assert.ok(audit.some((a) => a.action === 'score' && a.result === 'ok' && det(a).score === 93));
	assert.ok(audit.some((a) => a.action === 'correct' && det(a).from === 93 && det(a).score === 85));
	assert.ok(audit.some((a) => a.action === 'score' && a.result === 'refused' && det(a).code === 'review_final'));
});

test('finishing turns low scores into remedial items (整改事项) (案卷评查) and 4.19.1 is computed from the scores', async () => {
	const r = (await create({ per_body: 2, seed: 'fz-finish', title: '测试案卷评查' })).json;
	const deadline = addDays(today, 30);
	expectError(assert, await env.post(`${REVIEWS}/${r.id}/finish`, coordA, { deadline }), 409, 'review_unscored');
	const plans = [
		[{ item: 'evidence', deductions: [{ code: 'evidence-missing', note: '无现场检查笔录' }] }, { item: 'procedure', deductions: [{ code: 'procedure-notice' }] }], // 60: fails
		[{ item: 'subject', deductions: [{ code: 'subject-authority' }] }], // 90 but 主体合法 at 0
		[],
		[{ item: 'law', deductions: [{ code: 'law-article', points: 3 }] }],
	];
	for (const [i, c] of r.cases.entries()) {
		const x = await env.post(`${caseUrl(r.id, c.record_id)}/score`, sessOf(c), { items: plans[i] });
		assert.equal(x.status, 200, x.text);
	}
	expectError(assert, await env.post(`${REVIEWS}/${r.id}/finish`, coordA, { deadline: '2026-13-01' }), 422, 'invalid', 'deadline');
	const past = await env.post(`${REVIEWS}/${r.id}/finish`, coordA, { deadline: addDays(today, -1) });
	expectError(assert, past, 422, 'invalid', 'deadline');
	assert.match(past.json.error.message, /整改期限不能早于今天/);
	const f = await env.post(`${REVIEWS}/${r.id}/finish`, coordA, { deadline });
	assert.equal(f.status, 200, f.text);
	assert.equal(f.json.state, 'finished');
	const low = f.json.cases.filter((c) => c.remedy_id).map((c) => c.record_id).sort((a, b) => a - b);
	assert.deepEqual(low, [r.cases[0].record_id, r.cases[1].record_id].sort((a, b) => a - b));
	const failed = f.json.cases.find((c) => c.record_id === r.cases[0].record_id);
	assert.deepEqual([failed.total, failed.passed], [60, false]);
	const item = await env.get(`/api/v1/registers/rectification/records/${failed.remedy_id}`, coordA);
	assert.equal(item.status, 200, item.text);
	assert.equal(item.json.data.source, '案卷评查');
	assert.equal(item.json.data.deadline, deadline);
	assert.match(item.json.data.issue, new RegExp(`${failed.case_no}.*60 分.*不合格.*证据充分.*无现场检查笔录`));
	assert.equal(item.json.body_name, failed.body_name);
	const res = f.json.results.find((x) => x.body === r.cases[0].body);
	assert.ok(res.reviewed >= 1 && res.remedies >= 1, JSON.stringify(f.json.results));
	expectError(assert, await env.post(`${REVIEWS}/${r.id}/finish`, coordA, { deadline }), 409, 'review_finished');
	expectError(assert, await put(`${caseUrl(r.id, r.cases[2].record_id)}/score`, coordA, { items: [], reason: '更正' }),
		409, 'review_finished');
	// 4.19.1: passed / reviewed over every scored case of the year in the county
	const all = (await env.get(REVIEWS, coordA)).json.items;
	const reviewed = all.reduce((s, x) => s + x.reviewed, 0), passed = all.reduce((s, x) => s + x.passed, 0);
	const ev = await env.get(`/api/v1/evaluation?region=330282&period=${year}`, coordA);
	assert.equal(ev.status, 200, ev.text);
	const ind = ev.json.indicators.find((i) => i.id === '4.19.1');
	assert.ok(Math.abs(ind.value - passed / reviewed) < 1e-3, `${ind.value} vs ${passed}/${reviewed}`);
	assert.notEqual(ind.status, 'manual');
	const evB = await env.get(`/api/v1/evaluation?region=330281&period=${year}`, coordB);
	assert.equal(evB.json.indicators.find((i) => i.id === '4.19.1').status, 'na');
});
