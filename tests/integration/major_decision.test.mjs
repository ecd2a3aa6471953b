// major_decision.test.mjs — 重大行政决策 and the 决策事项目录 (重大行政决策程序
// 暂行条例 2019): adoption refused, with a stable code naming the missing
// procedure and its article, while a procedure that applies is not recorded
// (公众参与 第十四、十五条, 专家论证 第十九条, 风险评估 第二十二条, 合法性审查
// 第二十五条, 集体讨论决定 第三十条); the comment period of at least 30 days
// unless the urgency is stated (第十五条) and the legality review of at least
// 7 working days unless the reason is stated (第二十六条第二款), across the
// National Day holiday; the indicators 3.11–3.13 divided by the decisions
// that required each procedure; the catalogue's publication deadline
// (setting decision_catalog.publish_by) and 3.10.1; scope.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addDays, deadlineCli, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const MD = '/api/v1/registers/major_decision/records';
const CAT = '/api/v1/registers/decision_catalog/records';
const today = todayCst();
const thisYear = Number(today.slice(0, 4));
let env, coord, coordA, coordB, dept, n = 0;

before(async () => {
	env = await setup({ users: defaultUsers() });
	coord = await env.login('coord');
	coordA = await env.login('coord_a'); // 慈溪市: B330282-GOV is in its scope
	coordB = await env.login('coord_b');
	dept = await env.login('dept_a');    // bound to B330282-SCJG
});
after(async () => { await env?.close(); });

const must = async (p, status = 200) => { const r = await p; assert.equal(r.status, status, r.text); return r.json; };
const move = (id, transition, data, sess = coordA) =>
	env.post(`${MD}/${id}/transitions`, sess, data ? { transition, data } : { transition });
const patch = (id, data, sess = coordA) => env.patch(`${MD}/${id}`, sess, { data });

/* A decision of 慈溪市人民政府; which procedures apply as given. */
async function decision(start, { pp = '适用', er = '适用', ra = '适用', ...data } = {}) {
	return must(env.post(MD, coordA, { body: 'B330282-GOV', start_date: start, data: {
		title: `决策事项 ${++n}`, catalog_year: Number(start.slice(0, 4)), catalog_item: n, undertaker: '慈溪市住房和城乡建设局',
		public_participation: pp, public_participation_reason: '涉及公众切身利益',
		expert_review: er, expert_review_reason: er === '适用' ? '专业性较强' : '不涉及专业技术问题',
		risk_assessment: ra, risk_assessment_reason: ra === '适用' ? '可能影响社会稳定' : '无明显风险', ...data } }), 201);
}

// Each procedure's record, dated within year y (the meeting last).
const recorded = (y) => ({
	pp: { comment_from: `${y}-03-01`, comment_to: `${y}-03-31`, comment_channels: '政府网站', comment_feedback: '收到意见 5 条，采纳 2 条' },
	er: { experts: '专家 5 名', expert_opinion: '可行', expert_on: `${y}-04-02` },
	ra: { risk_conclusion: '风险可控', risk_report: '风险等级低', risk_on: `${y}-04-03` },
	lr: { legality_submitted: `${y}-04-07`, legality_result: '合法', legality_opinion: '合法', legality_on: `${y}-04-21` },
	adviser: { adviser_opinion: '无法律风险', adviser_on: `${y}-04-21` },
	cd: { meeting_on: `${y}-04-25`, meeting_kind: '常务会议', meeting_outcome: '通过', meeting_record: '一致同意' },
});

async function indicator(region, year, id, sess = coord) {
	const ev = await must(env.get(`/api/v1/evaluation?region=${region}&period=${year}`, sess));
	const it = ev.indicators.find((i) => i.id === id);
	assert.equal(it.kind, 'auto', id);
	return it.value;
}

test('adoption is refused while each required procedure is missing, naming it and its article', async () => {
	const d = await decision('2024-02-01');
	const p = recorded(2024);
	const steps = [
		['public_participation_missing', /公众参与.*第十四条、第十五条/, p.pp],
		['expert_review_missing', /专家论证.*第十九条/, p.er],
		['risk_assessment_missing', /风险评估.*第二十二条/, p.ra],
		['legality_review_missing', /合法性审查.*第二十五条/, { ...p.lr, legality_result: '不合法' }],
	];
	for (const [code, article, data] of steps) {
		const r = await move(d.id, 'adopt');
		expectError(assert, r, 409, code);
		assert.match(r.json.error.message, article);
		const now = await must(env.get(`${MD}/${d.id}`, coordA));
		assert.equal(now.state, 'drafting', 'nothing written by a refusal');
		await must(patch(d.id, data));
	}
	expectError(assert, await move(d.id, 'adopt'), 409, 'collective_decision_missing');
	await must(patch(d.id, { ...p.cd, meeting_outcome: '修改后再次讨论' }));
	expectError(assert, await move(d.id, 'adopt'), 409, 'legality_review_unlawful');
	await must(patch(d.id, { legality_result: '修改后合法' }));
	const again = await move(d.id, 'adopt');
	expectError(assert, again, 409, 'collective_decision_not_adopted');
	assert.match(again.json.error.message, /第三十条/);
	await must(patch(d.id, { meeting_outcome: '通过' }));
	const a = await must(move(d.id, 'adopt'));
	assert.equal(a.state, 'adopted');
	assert.equal(a.data.adopted_on, today);
	for (const s of ['public_participation_status', 'expert_review_status', 'risk_assessment_status', 'legality_review_status',
		'collective_decision_status'])
		assert.equal(a.data[s], '已履行', s);
	// Recorded procedures are fixed once decided.
	expectError(assert, await patch(d.id, { risk_report: '改写' }), 403, 'field_forbidden', 'risk_report');
	expectError(assert, await move(d.id, 'publish'), 422, 'invalid', 'publish_channel');
	assert.equal((await must(move(d.id, 'publish', { publish_channel: '政府公报' }))).data.published_on, today);
});

test('a procedure that does not apply needs only its reason; adoption does not wait for it', async () => {
	const p = recorded(2024);
	const r = await env.post(MD, coordA, { body: 'B330282-GOV', start_date: '2024-02-01', data: { title: '无理由', catalog_year: 2024,
		undertaker: '慈溪市民政局', public_participation: '适用', public_participation_reason: '涉及公众利益', expert_review: '不适用',
		risk_assessment: '不适用', risk_assessment_reason: '无' } });
	expectError(assert, r, 422, 'invalid', 'expert_review_reason');
	const d = await decision('2024-02-01', { er: '不适用', ra: '不适用' });
	assert.equal(d.data.expert_review_status, '不适用');
	await must(patch(d.id, { ...p.pp, ...p.lr, ...p.cd }));
	assert.equal((await must(move(d.id, 'adopt'))).state, 'adopted');
});

test('the comment period: at least 30 days, shorter only with the urgency stated (第十五条)', async () => {
	const d = await decision('2025-02-01');
	const short = await patch(d.id, { comment_from: '2025-03-01', comment_to: '2025-03-30', comment_channels: '网站' });
	expectError(assert, short, 422, 'invalid', 'comment_urgency');
	assert.match(short.json.error.message, /29 日.*第十五条/);
	const kept = await must(env.get(`${MD}/${d.id}`, coordA));
	assert.equal(kept.data.comment_from, undefined, 'nothing half-written');
	await must(patch(d.id, { comment_from: '2025-03-01', comment_to: '2025-03-31' })); // 30 days (a Monday after a weekend)
	await must(patch(d.id, { comment_to: '2025-03-16', comment_urgency: '汛期临近，需尽快实施' }));
	expectError(assert, await patch(d.id, { comment_to: '2025-02-27' }), 422, 'invalid', 'comment_to');
});

test('the legality review: at least 7 working days across the National Day holiday unless the reason is stated (第二十六条)', async () => {
	const d = await decision('2025-08-01');
	const seventh = await deadlineCli('2025-09-26', { workingDays: 7 });
	assert.equal(seventh, '2025-10-13', 'the 28th (Sunday) and the 11th (Saturday) are working days, 1–8 October rest');
	const early = await patch(d.id, { legality_submitted: '2025-09-26', legality_on: '2025-10-10', legality_result: '合法', legality_opinion: '合法' });
	expectError(assert, early, 422, 'invalid', 'legality_urgency');
	assert.match(early.json.error.message, /2025-10-13.*第二十六条/);
	await must(patch(d.id, { legality_submitted: '2025-09-26', legality_on: '2025-10-13', legality_result: '合法', legality_opinion: '合法' }));
	await must(patch(d.id, { legality_on: '2025-09-30', legality_urgency: '上级要求限期出台' }));
	expectError(assert, await patch(d.id, { legality_on: '2025-09-25' }), 422, 'invalid', 'legality_on');
	// 第二十五条第二款: not put to the meeting before the review.
	expectError(assert, await patch(d.id, { meeting_on: '2025-09-29', meeting_kind: '常务会议', meeting_outcome: '通过' }), 422, 'invalid',
		'meeting_on');
});

test('3.11 divides by the decisions that required each procedure; 3.12.1 by those decided', async () => {
	const y = 2023, p = recorded(y);
	const none = await decision(`${y}-02-01`, { er: '不适用' });          // not in 3.11.2's denominator
	await must(patch(none.id, { ...p.pp, ...p.ra, ...p.lr, ...p.adviser, ...p.cd }));
	await must(move(none.id, 'adopt'));
	const done = await decision(`${y}-02-01`);                           // required and done
	await must(patch(done.id, { ...p.pp, ...p.er, ...p.ra, ...p.lr, ...p.cd }));
	await must(move(done.id, 'adopt'));
	const missing = await decision(`${y}-02-01`, { ra: '不适用' });       // required, not done
	await must(patch(missing.id, { ...p.pp, ...p.lr }));
	assert.equal(await indicator('330282', y, '3.11.2'), 0.5, '1 done of the 2 that required 专家论证');
	assert.equal(await indicator('330282', y, '3.11.3'), 1, 'the third did not require 风险评估');
	assert.equal(await indicator('330282', y, '3.11.5'), 0.6667, '集体讨论 always applies: 2 of 3');
	assert.equal(await indicator('330282', y, '3.12.1'), 0.5, 'one of the two decided had the adviser\'s opinion');
	// Another county's evaluation has none of them.
	assert.notEqual(await indicator('330281', y, '3.11.2', coordB), 0.5);
});

test('the post-decision evaluation: due when the body decides to run one (第三十六条); 3.13.1 by the due date', async () => {
	const p = recorded(2022);
	const d = await decision('2022-02-01', { pp: '不适用', er: '不适用', ra: '不适用' });
	await must(patch(d.id, { ...p.lr, ...p.cd }));
	await must(move(d.id, 'adopt'));
	await must(move(d.id, 'publish', { publish_channel: '政府网站' }));
	expectError(assert, await move(d.id, 'plan_evaluation', { evaluation_planned_due: addDays(today, -1), evaluation_unit: '第三方' }),
		422, 'invalid', 'evaluation_planned_due');
	const planned = await must(move(d.id, 'plan_evaluation', { evaluation_planned_due: today, evaluation_unit: '第三方评估机构' }));
	assert.equal(planned.due_date, today);
	assert.equal(await indicator('330282', thisYear, '3.13.1'), 0, 'due, not yet done');
	const done = await must(move(d.id, 'evaluate', { evaluation_conclusion: '目标基本实现' }));
	assert.equal(done.data.evaluated_on, today);
	assert.equal(await indicator('330282', thisYear, '3.13.1'), 1);
});

test('the catalogue: due by the locality\'s month and day; published on time or not (3.10.1); decisions flagged outside it', async () => {
	const cat = async (year, start) => must(env.post(CAT, coordA, { body: 'B330282-GOV', start_date: start, data: { title: `${year} 年度目录`, year } }), 201);
	const late = await cat(thisYear, `${thisYear}-01-05`);
	assert.equal(late.due_date, `${thisYear}-03-31`);
	expectError(assert, await env.post(`${CAT}/${late.id}/transitions`, coordA, { transition: 'publish' }), 422, 'invalid', 'party_approved_on');
	const linked = await decision(today, { catalog: late.id });
	assert.equal(linked.data.catalogued, '否', 'a catalogue not yet published');
	await must(env.post(`${CAT}/${late.id}/transitions`, coordA, { transition: 'publish',
		data: { party_approved_on: today, publish_channel: '政府网站' } }));
	const next = await cat(thisYear + 1, today);
	expectError(assert, await env.post(CAT, coordA, { body: 'B330282-GOV', start_date: today, data: { title: '重复', year: thisYear + 1 } }),
		409, 'catalog_exists', 'year');
	await must(env.post(`${CAT}/${next.id}/transitions`, coordA, { transition: 'publish',
		data: { party_approved_on: today, publish_channel: '政府网站' } }));
	assert.equal((await must(env.get(`${MD}/${linked.id}`, coordA))).data.catalogued, '是', 'derived again when its catalogue is published');
	assert.equal(await indicator('330282', thisYear, '3.10.1'), 0, `published after ${thisYear}-03-31`);
	assert.equal(await indicator('330282', thisYear + 1, '3.10.1'), 1, 'published before the day');
	// No catalogue at all is a gap (0), not "not applicable".
	assert.equal(await indicator('330281', 2019, '3.10.1', coordB), 0);
	const inside = await decision(today, { catalog: late.id });
	assert.equal(inside.data.catalogued, '是');
	assert.equal((await decision(today)).data.catalogued, '否');
	// A catalogue of another county cannot be linked.
	expectError(assert, await env.post(MD, coordB, { body: 'B330281-GOV', start_date: today, data: { title: 'x', catalog: late.id,
		catalog_year: thisYear, undertaker: 'x', public_participation: '不适用', public_participation_reason: 'x', expert_review: '不适用',
		expert_review_reason: 'x', risk_assessment: '不适用', risk_assessment_reason: 'x' } }), 422, 'invalid', 'catalog');
});

test('scope: another county and a department see none of a government\'s decisions', async () => {
	const d = await decision('2024-05-01');
	assert.equal((await env.get(`${MD}/${d.id}`, coordB)).status, 404);
	assert.equal((await env.get(`${MD}/${d.id}`, dept)).status, 404);
	assert.equal((await env.get(`${MD}/${d.id}`, coord)).status, 200);
	const list = await must(env.get(`${MD}?page=1`, dept));
	assert.ok(!list.items.some((x) => x.id === d.id));
	expectError(assert, await move(d.id, 'adopt', undefined, coordB), 404, 'not_found');
});
