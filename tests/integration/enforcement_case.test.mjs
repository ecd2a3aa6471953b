// enforcement_case.test.mjs — 行政处罚案件 under 行政处罚法 2021: an officer's
// path through a case (线索登记 → 立案 → 调查取证 → 告知 → 陈述申辩 → 决定 →
// 送达 → 执行 → 结案) with the limits the law fixes (第六十条, 第六十一条 with
// 第八十五条); two certified officers on every act, refused by name and
// reason (第四十二条); the limitation at 立案 (第三十六条); 法制审核 before the
// decision (第五十八条); the hearing (第六十三条, 第六十四条); 首违不罚
// (第三十三条); the simple procedure's limits (第五十一条); the 执法事项清单.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { addDays, deadlineCli, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const CASES = '/api/v1/registers/enforcement_case/records';
const MATTERS = '/api/v1/registers/enforcement_matter/records';
const today = todayCst();
const year = today.slice(0, 4);
// 王建国 (fixture) and 陈敏 hold valid certificates of 慈溪市市场监督管理局.
const TWO = '33028200017、33028200031';
let env, dir, officer, dept, coordB, coord, unit, person, matter, n = 0;

const people = [
	{ name: '陈敏', cert_no: '33028200031', from: '2022-01-01', until: '2099-12-31', status: 'active' },
	{ name: '刘强', cert_no: '33028200032', from: '2022-01-01', until: '2099-12-31', status: 'suspended' },
	{ name: '周静', cert_no: '33028200033', from: '2020-01-01', until: '2024-12-31', status: 'active' },
	{ name: '吴刚', cert_no: '33028200034', from: '2022-01-01', until: '2099-12-31', status: 'revoked' },
];

before(async () => {
	env = await setup({ users: [...defaultUsers(),
		{ username: 'officer_a', role: 'officer', scope: '330282', bodies: ['B330282-SCJG'] }] });
	dir = mkdtempSync(join(tmpdir(), 'fazhi-case-'));
	const file = join(dir, 'people.jsonl');
	writeFileSync(file, people.map((p) => JSON.stringify({ type: 'person', name: p.name, body: 'B330282-SCJG', title: '执法队员',
		cert_no: p.cert_no, cert_issuer: '浙江省人民政府', cert_valid_from: p.from, cert_valid_until: p.until, cert_status: p.status })).join('\n') + '\n');
	await env.mustFazhi(['import', '--db', env.uri, file]);
	coord = await env.login('coord');
	coordB = await env.login('coord_b');
	officer = await env.login('officer_a');
	dept = await env.login('dept_a'); // the body's 法制审核 and 负责人
	const subj = async (q) => (await env.get(`/api/v1/subjects?q=${encodeURIComponent(q)}`, coord)).json.items[0].id;
	unit = await subj('兴华供应链');
	person = await subj('张三');
	const m = await env.post(MATTERS, officer, { body: 'B330282-SCJG', start_date: today, data: { code: '330282-CF-0001',
		name: '对生产经营不符合食品安全标准的食品的行政处罚', kind: '行政处罚', sector: '市场监管',
		basis: '《中华人民共和国食品安全法》第一百二十四条' } });
	assert.equal(m.status, 201, m.text);
	matter = m.json.id;
});
after(async () => {
	await env?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(data = {}, start = today, sess = officer) {
	const r = await env.post(CASES, sess, { body: 'B330282-SCJG', start_date: start, data: { case_no: `慈市监处〔${year}〕${++n}号`,
		party: unit, matter, procedure: '普通程序', violation: `销售超过保质期的食品 ${n}`, violation_date: start,
		officers: TWO, ...data } });
	assert.equal(r.status, 201, r.text);
	return r.json.id;
}
const move = (sess, id, transition, data) =>
	env.post(`${CASES}/${id}/transitions`, sess, data ? { transition, data } : { transition });
const must = async (p) => { const r = await p; assert.equal(r.status, 200, r.text); return r.json; };
const get = async (id) => (await env.get(`${CASES}/${id}`, coord)).json;
const fine = (fen, extra = {}) => ({ penalty_kind: '罚款', amount_fen: fen, decision_category: '一般处罚', ...extra });

/* Filed, investigated, notified and heard: ready for the decision. */
async function heard(data = {}, proposal = fine(500000)) {
	const id = await open(data);
	await must(move(officer, id, 'file'));
	await must(move(officer, id, 'investigate'));
	await must(move(officer, id, 'notify', proposal));
	await must(move(officer, id, 'hear', { statement: '当事人放弃陈述申辩' }));
	return id;
}

test('the 执法事项清单 lists a body\'s powers with type and legal basis; a case links one of them', async () => {
	const r = await env.post(MATTERS, officer, { body: 'B330282-SCJG', start_date: today,
		data: { code: 'X-1', name: '无类别事项', kind: '罚没', basis: '某法' } });
	expectError(assert, r, 422, 'invalid', 'kind');
	assert.match(r.json.error.message, /事项类别/);
	const bad = await env.post(CASES, officer, { body: 'B330282-SCJG', start_date: today, data: { party: unit, matter: 999999,
		procedure: '普通程序', violation: '无', violation_date: today, officers: TWO } });
	expectError(assert, bad, 422, 'invalid', 'matter');
	assert.match(bad.json.error.message, /执法事项/);
});

test('the party is a subject within the writer\'s scope; its kind follows from the subject', async () => {
	const other = (await env.get('/api/v1/subjects?q=明远模具', coord)).json.items[0].id; // 余姚市
	const r = await env.post(CASES, officer, { body: 'B330282-SCJG', start_date: today, data: { party: other, matter,
		procedure: '普通程序', violation: '越界', violation_date: today, officers: TWO } });
	expectError(assert, r, 422, 'invalid', 'party');
	assert.match(r.json.error.message, /当事人.*不在您的管辖范围内/);
	assert.equal((await get(await open({ party: person }))).data.party_kind, '个人');
	assert.equal((await get(await open())).data.party_kind, '单位');
	// Another county's coordinator does not see the case.
	const id = await open();
	assert.equal((await env.get(`${CASES}/${id}`, coordB)).status, 404);
});

test('an officer\'s path through an ordinary case: each step stamped, the limits computed, the metrics counted', async () => {
	const id = await open();
	assert.equal((await get(id)).state, 'received');
	const filed = await must(move(officer, id, 'file'));
	assert.equal(filed.state, 'filed');
	assert.equal(filed.data.filed_on, today);
	// LAW 第六十条: decided within 90 days of 立案 (a setting).
	assert.equal(filed.data.handling_due, await deadlineCli(today, { days: 90 }));
	assert.equal(filed.due_date, filed.data.handling_due);
	assert.equal(filed.data.certified, '是');
	assert.equal((await must(move(officer, id, 'investigate'))).data.investigated_on, today);
	const told = await must(move(officer, id, 'notify', fine(500000)));
	assert.equal(told.data.notified_on, today);
	assert.equal(told.data.hearing_required, '否'); // 5,000 元 for a unit: below the province's 较大数额
	expectError(assert, await move(officer, id, 'hear'), 422, 'invalid', 'statement');
	await must(move(officer, id, 'hear', { statement: '当事人陈述申辩，未提出新的事实' }));
	const decided = await must(move(officer, id, 'decide', { decision_no: `慈市监罚〔${year}〕1号` }));
	assert.equal(decided.data.review_state, '无需审核');
	assert.equal(decided.data.decided_on, today);
	// LAW 第六十一条、第八十五条: delivered within 7 working days.
	assert.equal(decided.data.delivery_due, await deadlineCli(today, { workingDays: 7 }));
	assert.equal(decided.deadline_status, 'closed_on_time'); // met at the decision (第六十条)
	const delivered = await must(move(officer, id, 'deliver'));
	assert.equal(delivered.data.delivery_on_time, '是');
	await must(move(officer, id, 'execute', { execution: '当事人已缴纳罚款' }));
	const closed = await must(move(officer, id, 'close'));
	assert.equal(closed.state, 'closed');
	for (const metric of ['filed', 'decided', 'decided_on_time', 'delivered_on_time', 'certified_officers', 'closed', 'closed_on_time']) {
		const d = await env.get(`/api/v1/evaluation/drill?metric=enforcement_case.${metric}&region=330282&period=${year}`, coord);
		assert.equal(d.status, 200, d.text);
		assert.ok(d.json.items.some((x) => x.id === id), metric);
	}
	// The coordinator (assigning side) reads but does not act for the body.
	expectError(assert, await move(coord, await open(), 'file'), 403, 'forbidden');
});

test('an approved extension moves the handling limit, within the setting (第六十条)', async () => {
	const id = await open();
	await must(move(officer, id, 'file'));
	expectError(assert, await env.patch(`${CASES}/${id}`, officer, { data: { extension_days: 30 } }), 403, 'field_forbidden');
	const r = await env.patch(`${CASES}/${id}`, dept, { data: { extension_days: 31, extension_reason: '局长批准' } });
	expectError(assert, r, 422, 'invalid', 'extension_days');
	expectError(assert, await env.patch(`${CASES}/${id}`, dept, { data: { extension_days: 30 } }), 422, 'invalid', 'extension_reason');
	const ok = await env.patch(`${CASES}/${id}`, dept, { data: { extension_days: 30, extension_reason: '经局长批准延长三十日' } });
	assert.equal(ok.status, 200, ok.text);
	assert.equal((await get(id)).data.handling_due, await deadlineCli(today, { days: 120 }));
});

test('every act needs two officers with valid certificates, refused by name and reason (第四十二条)', async () => {
	const cases = [
		['33028200017', 'too_few_officers', /不得少于两人.*第四十二条/],
		['33028200017、33028200032', 'officer_not_certified', /刘强（执法证号 33028200032）的执法证已暂扣/],
		['33028200017，33028200034', 'officer_not_certified', /吴刚（执法证号 33028200034）的执法证已吊销/],
		['33028200017 33028200033', 'officer_not_certified', /周静（执法证号 33028200033）的执法证已于 2024-12-31 过期/],
		['33028200017、99999999', 'officer_not_certified', /执法证号 99999999 不是登记在册的执法人员/],
		['33028200017、33028200018', 'officer_not_certified', /李明.*不是本案承办机关的执法人员/],
		['33028200017、33028200017', 'invalid', /重复/],
	];
	for (const [officers, code, msg] of cases) {
		const id = await open({ officers });
		const r = await move(officer, id, 'file');
		expectError(assert, r, 422, code, 'officers');
		assert.match(r.json.error.message, msg);
		assert.equal((await get(id)).state, 'received', 'nothing written');
	}
	// Later acts are checked too: an officer whose certificate is suspended
	// after 立案 cannot take part in the next step.
	const id = await open();
	await must(move(officer, id, 'file'));
	const r = await move(officer, id, 'investigate', { officers: '33028200031、33028200032' });
	expectError(assert, r, 422, 'officer_not_certified', 'officers');
	assert.equal((await get(id)).state, 'filed');
});

test('the violation must be found within two years, five where life, health or finance was harmed (第三十六条)', async () => {
	const old = addDays(today, -3 * 366);
	const id = await open({ violation_date: old });
	const r = await move(officer, id, 'file');
	expectError(assert, r, 409, 'limitation_expired', 'violation_date');
	assert.match(r.json.error.message, /2 年内.*第三十六条/);
	await must(move(officer, id, 'decline', { decline_reason: '超过追责时效（行政处罚法第三十六条）' }));
	assert.equal((await get(id)).state, 'declined');
	const grave = await open({ violation_date: old, grave: '是' });
	assert.equal((await must(move(officer, grave, 'file'))).state, 'filed');
	const future = await env.post(CASES, officer, { body: 'B330282-SCJG', start_date: today, data: { party: unit, matter,
		procedure: '普通程序', violation: '将来', violation_date: addDays(today, 1), officers: TWO } });
	expectError(assert, future, 422, 'invalid', 'violation_date');
});

test('a decision in the four situations of 第五十八条 needs a recorded 法制审核 opinion first', async () => {
	for (const data of [{ review_complex: '是' }, { review_public_interest: '是' }, { review_other: '是' }]) {
		const id = await heard(data);
		const r = await move(officer, id, 'decide', { decision_no: 'X' });
		expectError(assert, r, 409, 'review_required', 'review_opinion');
		assert.match(r.json.error.message, /第五十八条/);
		assert.equal((await get(id)).data.review_state, '待审核');
	}
	// 重大 by amount (a setting: 20 万元).
	const big = await heard({}, fine(20000000, { decision_category: '从重处罚', hearing_right_told: '是' }));
	expectError(assert, await move(officer, big, 'decide', { decision_no: 'X' }), 409, 'review_required');
	// The reviewer is not the case officer: 法制审核 is the 法制审核机构's (department role).
	expectError(assert, await move(officer, big, 'review', { review_opinion: '同意' }), 403, 'forbidden');
	expectError(assert, await move(dept, big, 'review'), 422, 'invalid', 'review_opinion');
	const reviewed = await must(move(dept, big, 'review', { review_opinion: '事实清楚，证据确凿，程序合法，同意' }));
	assert.equal(reviewed.data.reviewed_on, today);
	const done = await must(move(officer, big, 'decide', { decision_no: `慈市监罚〔${year}〕58号` }));
	assert.equal(done.data.review_state, '已审核');
	for (const metric of ['major_decided', 'major_reviewed']) {
		const d = await env.get(`/api/v1/evaluation/drill?metric=enforcement_case.${metric}&region=330282&period=${year}`, coord);
		assert.ok(d.json.items.some((x) => x.id === big), metric);
	}
});

test('the hearing right is told when 第六十三条 applies; a timely request is heard, notified 7 working days before (第六十四条)', async () => {
	const id = await open();
	await must(move(officer, id, 'file'));
	await must(move(officer, id, 'investigate'));
	// 较大数额 for a unit (10 万元, a setting) and 吊销许可证件 give the right.
	for (const p of [fine(10000000), { penalty_kind: '吊销许可证件', decision_category: '一般处罚' }]) {
		const r = await move(officer, id, 'notify', p);
		expectError(assert, r, 409, 'hearing_right_not_told', 'hearing_right_told');
		assert.match(r.json.error.message, /第六十三条/);
	}
	const told = await must(move(officer, id, 'notify', fine(10000000, { hearing_right_told: '是' })));
	assert.equal(told.data.hearing_required, '是');
	const r = await move(officer, id, 'hear', { statement: '当事人要求听证', hearing_requested: '是', hearing_request_date: today });
	expectError(assert, r, 409, 'hearing_not_held', 'hearing_date');
	assert.match(r.json.error.message, /五个工作日内.*第六十三条/);
	const soon = await move(officer, id, 'hear', { statement: '听证', hearing_requested: '是', hearing_request_date: today,
		hearing_notice_date: today, hearing_date: today });
	expectError(assert, soon, 409, 'hearing_notice_late', 'hearing_date');
	assert.match(soon.json.error.message, /七个工作日.*第八十五条/);
	expectError(assert, await move(officer, id, 'hear', { statement: '听证', hearing_requested: '是' }), 422, 'invalid', 'hearing_request_date');
});

test('a hearing on past days (back-dated history): held in time, then the 法制审核 follows from it (第五十八条第二项)', async () => {
	const line = (notice, held) => JSON.stringify({ body: 'B330282-SCJG', start_date: '2025-03-03',
		data: { party: unit, matter, procedure: '普通程序', violation: `听证案件 ${notice}`, violation_date: '2025-03-01', officers: TWO },
		history: [
			{ transition: 'file', date: '2025-03-04' },
			{ transition: 'investigate', date: '2025-03-20' },
			{ transition: 'notify', date: '2025-03-24', data: { ...fine(15000000), hearing_right_told: '是' } },
			{ transition: 'hear', date: '2025-04-18', data: { statement: '听证意见已采纳部分', hearing_requested: '是',
				hearing_request_date: '2025-03-26', hearing_notice_date: notice, hearing_date: held } },
			{ transition: 'decide', date: '2025-04-25', data: { decision_no: `听证-${notice}` } },
		] });
	const file = join(dir, 'hearing.jsonl');
	// 2025-04-03 + 7 working days (清明 04-04…06) is 2025-04-15: a hearing on the 14th is too early.
	writeFileSync(file, line('2025-04-03', '2025-04-14') + '\n');
	let r = await env.fazhi(['records', 'import', '--db', env.uri, '--register', 'enforcement_case', file]);
	assert.notEqual(r.code, 0);
	assert.match(r.stderr + r.stdout, /七个工作日/);
	writeFileSync(file, line('2025-04-03', '2025-04-15') + '\n');
	r = await env.fazhi(['records', 'import', '--db', env.uri, '--register', 'enforcement_case', file]);
	assert.notEqual(r.code, 0, 'a hearing was held: no decision without 法制审核');
	assert.match(r.stderr + r.stdout, /第五十八条/);
	const reviewed = JSON.parse(line('2025-04-03', '2025-04-15'));
	reviewed.history.splice(4, 0, { transition: 'review', date: '2025-04-22', data: { review_opinion: '同意' } });
	writeFileSync(file, JSON.stringify(reviewed) + '\n');
	r = await env.fazhi(['records', 'import', '--db', env.uri, '--register', 'enforcement_case', file]);
	assert.equal(r.code, 0, r.stderr);
	const list = (await env.get(`${CASES}?q=${encodeURIComponent('听证案件 2025-04-03')}`, coord)).json.items;
	assert.equal(list.length, 1);
	assert.equal(list[0].state, 'decided');
	assert.equal(list[0].data.review_state, '已审核');
	assert.equal(list[0].data.handling_due, await deadlineCli('2025-03-04', { days: 90 }));
	assert.equal(list[0].data.delivery_due, await deadlineCli('2025-04-25', { workingDays: 7 }));
});

test('首违不罚 (第三十三条): minor, corrected, no harm must not be punished; a first minor violation needs the reason either way', async () => {
	const must33 = await heard({ minor: '是', corrected: '是', no_harm: '是' });
	const r = await move(officer, must33, 'decide', { decision_no: 'X' });
	expectError(assert, r, 409, 'must_not_punish', 'decision_category');
	assert.match(r.json.error.message, /第三十三条第一款/);
	expectError(assert, await move(officer, must33, 'decide', { decision_no: 'X', decision_category: '不予处罚' }),
		422, 'invalid', 'penalty_kind');
	await must(move(officer, must33, 'decide', { decision_no: 'X', decision_category: '不予处罚', penalty_kind: '不予处罚', amount_fen: 0 }));
	const first = await heard({ first_violation: '是', minor: '是', corrected: '是', no_harm: '否' });
	const r2 = await move(officer, first, 'decide', { decision_no: 'Y' });
	expectError(assert, r2, 422, 'invalid', 'lenient_reason');
	assert.match(r2.json.error.message, /未适用首违不罚的理由/);
	await must(move(officer, first, 'decide', { decision_no: 'Y', lenient_reason: '危害后果虽轻微但涉及儿童食品，不适用首违不罚' }));
});

test('the simple procedure decides on the spot only 警告 or small fines (第五十一条); an ordinary case goes through the steps', async () => {
	const id = await open({ procedure: '简易程序', party: person });
	await must(move(officer, id, 'file'));
	const r = await move(officer, id, 'decide', { ...fine(30000), decision_no: 'J-1' });
	expectError(assert, r, 409, 'simple_procedure_exceeded', 'penalty_kind');
	assert.match(r.json.error.message, /公民处以 200 元以下/);
	await must(move(officer, id, 'decide', { ...fine(20000), decision_no: 'J-1' }));
	const ord = await open();
	await must(move(officer, ord, 'file'));
	expectError(assert, await move(officer, ord, 'decide', { ...fine(20000), decision_no: 'J-2' }), 409, 'steps_missing');
});

const pdf = (text) => Buffer.concat([Buffer.from('%PDF-1.4\n%'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]), Buffer.from(`\n% ${text}\n%%EOF\n`)]);
const prove = (id, step) => env.req('POST', `${CASES}/${id}/attachments?filename=${encodeURIComponent(`${step}.pdf`)}`,
	{ sess: officer, body: pdf(`${id} ${step}`), contentType: 'application/pdf' });

test('the full-process record (第四十七条): each key step leaves a proof; a closed case without one is counted incomplete', async () => {
	const path = [['file'], ['investigate'], ['notify', fine(300000)], ['hear', { statement: '无异议' }],
		['decide', { decision_no: `慈市监罚〔${year}〕47号` }], ['deliver'], ['execute', { execution: '已缴纳' }], ['close']];
	const keys = new Set(['file', 'investigate', 'decide', 'deliver', 'execute']);
	const run = async (skip) => {
		const id = await open();
		for (const [t, data] of path) {
			if (keys.has(t) && t !== skip) {
				const r = await prove(id, t);
				assert.equal(r.status, 201, r.text);
			}
			await must(move(officer, id, t, data));
		}
		return get(id);
	};
	const whole = await run(null);
	assert.equal(whole.data.full_record, '是');
	assert.equal(whole.data.record_gaps, undefined);
	const gap = await run('deliver');
	assert.equal(gap.data.full_record, '否');
	assert.equal(gap.data.record_gaps, '送达');
	const d = await env.get(`/api/v1/evaluation/drill?metric=enforcement_case.fully_recorded&region=330282&period=${year}`, coord);
	const ids = d.json.items.map((x) => x.id);
	assert.ok(ids.includes(whole.id) && !ids.includes(gap.id));
});

test('the handling limit and the hearing thresholds are the province\'s settings, each naming its source', async () => {
	const r = await env.fazhi(['settings', '--db', env.uri]);
	for (const key of ['handling_days', 'extension_max_days', 'person_hearing_fen', 'unit_hearing_fen', 'major_review_fen'])
		assert.match(r.stdout, new RegExp(`enforcement_case\\.${key}.*依据：行政处罚法`));
});
