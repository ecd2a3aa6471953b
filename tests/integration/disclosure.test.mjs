// disclosure.test.mjs — 行政处罚决定公示 (行政处罚法 第四十八条): which
// decisions must be published and by when (7 working days, 市场监管 20: a
// per-sector setting; the handling limit per sector too), publishing and
// withdrawing as acts on the case with each refusal's code, the scope, the
// public pages (no login) that read only the published views, masking (no
// raw ID, phone, plate or bank card number reaches a public answer), a
// minor's case never published, and the 张某 / full-name switch.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { deadlineCli, defaultUsers, expectError, freshUscc, idNumber, setup, todayCst } from './harness.mjs';

const CASES = '/api/v1/registers/enforcement_case/records';
const MATTERS = '/api/v1/registers/enforcement_matter/records';
const PUBLIC = '/api/v1/public/penalties';
const today = todayCst();
const year = today.slice(0, 4);
const TWO = '33028200017、33028200031';
// What must never be published: an ID number, a mobile number, a plate, a bank card.
const RAW_ID = '330282198503121233', RAW_PHONE = '13857401234', RAW_PLATE = '浙B12345', RAW_CARD = '6222021234567890123';
let env, officer, coordB, coord, unit, person, minor, market, urban, n = 0;

before(async () => {
	env = await setup({ users: [...defaultUsers(),
		{ username: 'officer_a', role: 'officer', scope: '330282', bodies: ['B330282-SCJG'] }] });
	const file = `${env.dir}/people.jsonl`;
	await import('node:fs').then((fs) => fs.writeFileSync(file, JSON.stringify({ type: 'person', name: '陈敏', body: 'B330282-SCJG',
		title: '执法队员', cert_no: '33028200031', cert_issuer: '浙江省人民政府', cert_valid_from: '2022-01-01',
		cert_valid_until: '2099-12-31', cert_status: 'active' }) + '\n'));
	await env.mustFazhi(['import', '--db', env.uri, file]);
	coord = await env.login('coord');
	coordB = await env.login('coord_b');
	officer = await env.login('officer_a');
	const subject = async (body) => {
		const r = await env.post('/api/v1/subjects', coord, { region: '330282', ...body });
		assert.equal(r.status, 201, r.text);
		return r.json.id;
	};
	// A unit whose name carries a phone number; a person with an ID number; a minor.
	unit = await subject({ kind: 'enterprise', name: `慈溪市联系电话${RAW_PHONE}商行`, uscc: freshUscc() });
	person = (await env.get('/api/v1/subjects?q=张三', coord)).json.items[0].id; // ID 330282198503121233 (fixture)
	minor = await subject({ kind: 'person', name: '李小明', id_number: idNumber(`330282${Number(year) - 12}0601001`) });
	const matter = async (sector, code) => {
		const m = await env.post(MATTERS, officer, { body: 'B330282-SCJG', start_date: today, data: { code, sector,
			name: `对违法行为的行政处罚 ${code}`, kind: '行政处罚', basis: '《中华人民共和国食品安全法》第一百二十四条' } });
		assert.equal(m.status, 201, m.text);
		return m.json.id;
	};
	market = await matter('市场监管', 'GS-1');
	urban = await matter('城市管理', 'GS-2');
});
after(async () => { await env?.close(); });

const move = (id, transition, data) => env.post(`${CASES}/${id}/transitions`, officer, data ? { transition, data } : { transition });
const must = async (p, status = 200) => { const r = await p; assert.equal(r.status, status, r.text); return r.json; };

async function open(data = {}) {
	return (await must(env.post(CASES, officer, { body: 'B330282-SCJG', start_date: today, data: { case_no: `慈市监处〔${year}〕${++n}号`,
		party: unit, matter: market, procedure: '普通程序', violation: `销售超过保质期的食品 ${n}`, violation_date: today,
		officers: TWO, ...data } }), 201)).id;
}

/* An ordinary case decided today (a fine of 5,000 元 unless said). */
async function decided(data = {}, proposal = { penalty_kind: '罚款', amount_fen: 500000, decision_category: '一般处罚' }) {
	const id = await open(data);
	await must(move(id, 'file'));
	await must(move(id, 'investigate'));
	await must(move(id, 'notify', proposal));
	await must(move(id, 'hear', { statement: '当事人放弃陈述申辩' }));
	await must(move(id, 'decide', { decision_no: `慈市监罚〔${year}〕${n}号` }));
	return id;
}
const act = (id, what, body, sess = officer) => env.post(`${CASES}/${id}/${what}`, sess, body);
const get = async (id) => (await env.get(`${CASES}/${id}`, coord)).json;

test('the sector comes from the matter; disclosure and handling limits are per sector (7 / 20 working days)', async () => {
	const m = await get(await decided());
	assert.equal(m.data.sector, '市场监管');
	assert.equal(m.data.disclose_required, '是');
	assert.equal(m.data.disclose_due, await deadlineCli(today, { workingDays: 20 })); // 公示规定 第九条
	assert.equal(m.data.handling_due, await deadlineCli(today, { days: 90 }));      // 程序规定 第六十四条
	const u = await get(await decided({ matter: urban }));
	assert.equal(u.data.sector, '城市管理');
	assert.equal(u.data.disclose_due, await deadlineCli(today, { workingDays: 7 })); // 国办发〔2018〕118号
	// A case before its decision has no disclosure duty yet.
	const open1 = await get(await open());
	assert.equal(open1.data.disclose_required, undefined);
	// The sector is read-only: derived, never written.
	expectError(assert, await env.patch(`${CASES}/${open1.id}`, officer, { data: { sector: '城市管理' } }), 403, 'field_forbidden', 'sector');
});

test('publishing: the preview is exactly what is stored; the case is annotated and audited; on time counted', async () => {
	const id = await decided();
	const pre = await must(env.get(`${CASES}/${id}/disclosure-preview`, officer));
	assert.equal(pre.view.party.kind, '单位');
	assert.equal(pre.view.decided_on, today);
	assert.equal(pre.view.amount_fen, 500000);
	assert.equal(pre.view.basis, '《中华人民共和国食品安全法》第一百二十四条');
	assert.match(pre.view.body, /慈溪市市场监督管理局/);
	const pub = await must(act(id, 'publish', {}));
	assert.deepEqual(pub.content, pre.view);
	assert.equal(pub.published_on, today);
	const c = await get(id);
	assert.equal(c.data.published_on, today);
	assert.equal(c.data.disclosed_on_time, '是');
	assert.ok(c.timeline.some((t) => t.action === 'publish' && t.result === 'ok'), JSON.stringify(c.timeline));
	for (const metric of ['disclose_required', 'disclosed_on_time']) {
		const d = await env.get(`/api/v1/evaluation/drill?metric=enforcement_case.${metric}&region=330282&period=${year}`, coord);
		assert.equal(d.status, 200, d.text);
		assert.ok(d.json.items.some((x) => x.id === id), metric);
	}
	// The public list shows it, newest first; the detail too — with no login.
	const list = await must(env.get(PUBLIC));
	assert.equal(list.items[0].id, pub.id);
	assert.deepEqual(list.items[0].content, pre.view);
	assert.deepEqual((await must(env.get(`${PUBLIC}/${pub.id}`))).content, pre.view);
	expectError(assert, await act(id, 'publish', {}), 409, 'already_published');
});

test('each refusal to publish has its code: not decided, not required (simple procedure, 不予处罚), a minor', async () => {
	const filed = await open();
	await must(move(filed, 'file'));
	expectError(assert, await act(filed, 'publish', {}), 409, 'not_decided');
	expectError(assert, await env.get(`${CASES}/${filed}/disclosure-preview`, officer), 409, 'not_decided');

	const simple = await open({ procedure: '简易程序' });
	await must(move(simple, 'file'));
	await must(move(simple, 'decide', { penalty_kind: '警告', decision_category: '一般处罚', decision_no: '当场处罚决定书' }));
	assert.equal((await get(simple)).data.disclose_required, '否');
	const r = await act(simple, 'publish', {});
	expectError(assert, r, 409, 'not_required', 'disclose_required');
	assert.match(r.json.error.message, /简易程序/);

	const spared = await decided({ first_violation: '是', minor: '是', corrected: '是', no_harm: '是',
		lenient_reason: '初次违法、危害后果轻微并及时改正' }, { penalty_kind: '不予处罚', decision_category: '不予处罚', amount_fen: 0 });
	expectError(assert, await act(spared, 'publish', {}), 409, 'not_required');

	// 未成年人: the officer's flag, or the party's ID number (born 12 years ago).
	const flagged = await decided({ party_minor: '是' });
	assert.equal((await get(flagged)).data.disclose_required, '否');
	expectError(assert, await act(flagged, 'publish', {}), 409, 'party_minor');
	const byId = await decided({ party: minor });
	const m = await act(byId, 'publish', {});
	expectError(assert, m, 409, 'party_minor', 'party_minor');
	assert.match(m.json.error.message, /未成年人/);
	expectError(assert, await env.get(`${CASES}/${byId}/disclosure-preview`, officer), 409, 'party_minor');
	// Each refusal is audited on the case.
	assert.ok((await get(byId)).timeline.some((t) => t.action === 'publish' && t.result === 'refused'));
	const pub = await must(env.get(`${PUBLIC}?page=1`));
	assert.ok(!JSON.stringify(pub).includes('李小明') && !JSON.stringify(pub).includes('李某'));
});

test('another county cannot publish, withdraw or preview the case (404, as reading it)', async () => {
	const id = await decided();
	expectError(assert, await act(id, 'publish', {}, coordB), 404, 'not_found');
	expectError(assert, await env.get(`${CASES}/${id}/disclosure-preview`, coordB), 404, 'not_found');
	expectError(assert, await act(id, 'withdraw', { kind: '撤销', reason: 'x', changed_on: today }, coordB), 404, 'not_found');
	assert.equal((await get(id)).data.published_on, undefined);
	// Reading roles without record.write cannot publish.
	const evaluator = await env.login('evaluator');
	expectError(assert, await act(id, 'publish', {}, evaluator), 403, 'forbidden');
	expectError(assert, await env.get(`${CASES}/${id}/disclosure-preview`, evaluator), 403, 'forbidden');
});

test('the office in scope cannot publish or withdraw a body\'s decision: the deciding body does (the field\'s write rule)', async () => {
	const id = await decided();
	const before = (await must(env.get(`${PUBLIC}?page=1`))).total;
	const r = await act(id, 'publish', {}, coord);
	expectError(assert, r, 403, 'forbidden', 'published_on');
	assert.match(r.json.error.message, /公示日期.*承办机关/);
	assert.equal((await get(id)).data.published_on, undefined);
	assert.equal((await must(env.get(`${PUBLIC}?page=1`))).total, before, 'nothing half-written');
	assert.ok((await get(id)).timeline.some((t) => t.action === 'publish' && t.result === 'refused'));
	await must(act(id, 'publish', {}));
	expectError(assert, await act(id, 'withdraw', { kind: '撤销', reason: '复议撤销', changed_on: today }, coord), 403, 'forbidden',
		'withdrawn_on');
	assert.equal((await get(id)).data.withdrawn_on, undefined);
});

test('withdrawal: kind, reason and date required; within 3 working days (第四十八条第二款); listed with why, content gone', async () => {
	const id = await decided();
	expectError(assert, await act(id, 'withdraw', { kind: '撤销', reason: '复议撤销', changed_on: today }), 409, 'not_published');
	const pub = await must(act(id, 'publish', {}));
	let r = await act(id, 'withdraw', { reason: '复议撤销', changed_on: today });
	expectError(assert, r, 422, 'invalid', 'kind');
	assert.match(r.json.error.message, /撤回公示的情形/);
	expectError(assert, await act(id, 'withdraw', { kind: '作废', reason: '复议撤销', changed_on: today }), 422, 'invalid', 'kind');
	r = await act(id, 'withdraw', { kind: '撤销', changed_on: today });
	expectError(assert, r, 422, 'invalid', 'reason');
	assert.match(r.json.error.message, /撤回公示的理由/);
	expectError(assert, await act(id, 'withdraw', { kind: '撤销', reason: '复议撤销' }), 422, 'invalid', 'changed_on');
	expectError(assert, await act(id, 'withdraw', { kind: '撤销', reason: '复议撤销', changed_on: '2001-01-01' }), 422, 'invalid', 'changed_on');
	expectError(assert, await act(id, 'withdraw', { kind: '撤销', reason: '复议撤销', changed_on: '2999-01-01' }), 422, 'invalid', 'changed_on');
	expectError(assert, await act(id, 'withdraw', { kind: '撤销', reason: '复议撤销', changed_on: today, extra: 1 }), 400, 'unknown_field');
	const w = await must(act(id, 'withdraw', { kind: '撤销', reason: `经行政复议撤销原决定（来电 ${RAW_PHONE}）`, changed_on: today }));
	assert.equal(w.withdrawn_on, today);
	assert.equal(w.withdraw_kind, '撤销');
	const c = await get(id);
	assert.equal(c.data.withdraw_due, await deadlineCli(today, { workingDays: 3 }));
	assert.equal(c.data.withdraw_kind, '撤销');
	assert.ok(c.timeline.some((t) => t.action === 'withdraw_publication' && t.result === 'ok'));
	expectError(assert, await act(id, 'withdraw', { kind: '撤销', reason: '再撤', changed_on: today }), 409, 'already_withdrawn');
	expectError(assert, await act(id, 'publish', {}), 409, 'already_withdrawn');
	// Public: out of the list and the detail; in the withdrawn list with kind, date and reason, no content.
	assert.ok(!(await must(env.get(PUBLIC))).items.some((x) => x.id === pub.id));
	expectError(assert, await env.get(`${PUBLIC}/${pub.id}`), 404, 'not_found');
	const gone = (await must(env.get(`${PUBLIC}/withdrawn?page=1`))).items.find((x) => x.id === pub.id);
	assert.ok(gone);
	assert.equal(gone.withdraw_kind, '撤销');
	assert.equal(gone.withdrawn_on, today);
	assert.match(gone.withdraw_reason, /经行政复议撤销原决定/);
	assert.equal(gone.content, undefined);
});

test('no public answer holds a raw ID, phone, plate or bank card number (violation text, party, reason)', async () => {
	const secret = `当事人（身份证号 ${RAW_ID}，手机 ${RAW_PHONE}）驾驶 ${RAW_PLATE} 运输过期食品，货款经银行卡 ${RAW_CARD} 收取`;
	const ids = [await decided({ party: person, violation: secret }), await decided({ violation: secret })];
	const pubs = [];
	for (const id of ids) pubs.push((await must(act(id, 'publish', {}))).id);
	await must(act(ids[1], 'withdraw', { kind: '变更', reason: `复议变更；联系人 ${RAW_PHONE}，身份证 ${RAW_ID}，车辆 ${RAW_PLATE}，账户 ${RAW_CARD}`,
		changed_on: today }));
	const answers = [];
	const total = (await must(env.get(PUBLIC))).total;
	for (let p = 1; p <= Math.ceil(total / 20); p++) answers.push((await env.get(`${PUBLIC}?page=${p}`)).text);
	answers.push((await env.get(`${PUBLIC}/${pubs[0]}`)).text);
	answers.push((await env.get(`${PUBLIC}/withdrawn`)).text);
	for (const text of answers)
		for (const raw of [RAW_ID, RAW_PHONE, RAW_PLATE, RAW_CARD, '张三'])
			assert.ok(!text.includes(raw), `a public answer holds ${raw}: ${text.slice(0, 300)}`);
	const shown = (await must(env.get(`${PUBLIC}/${pubs[0]}`))).content;
	assert.equal(shown.party.name, '张某');
	assert.equal(shown.party.id_number, undefined);
	assert.match(shown.violation, /运输过期食品/); // the facts are there, masked
	assert.ok(answers.join('').includes('慈溪市联系电话'));
});

test('public pages: 20 a page, newest first, page 2, a bad page refused with a code', async () => {
	for (let i = 0; i < 21; i++) await must(act(await decided(), 'publish', {}));
	const one = await must(env.get(`${PUBLIC}?page=1`));
	assert.equal(one.items.length, 20);
	assert.ok(one.total >= 21);
	const two = await must(env.get(`${PUBLIC}?page=2`));
	assert.ok(two.items.length >= 1);
	assert.ok(one.items.every((x) => !two.items.some((y) => y.id === x.id)));
	assert.ok(one.items[0].id > two.items[0].id);
	for (const bad of ['0', '-1', 'x', '1.5']) {
		const r = await env.get(`${PUBLIC}?page=${bad}`);
		expectError(assert, r, 400, 'bad_param', 'page');
		assert.match(r.json.error.message, /page/);
	}
	expectError(assert, await env.get(`${PUBLIC}/withdrawn?page=abc`), 400, 'bad_param', 'page');
	expectError(assert, await env.get(`${PUBLIC}/999999`), 404, 'not_found');
	expectError(assert, await env.post(PUBLIC, null, {}), 405, 'method_not_allowed');
});

test('a publication ends when its period does (setting disclose_keep_months: 3 years, 第十三条): listed as 公示期满', async () => {
	const id = await decided();
	const pub = await must(act(id, 'publish', {}));
	assert.ok((await must(env.get(`${PUBLIC}?page=1`))).items.some((x) => x.id === pub.id));
	// published 36 months and a day ago: no longer shown, found among the ended ones with why
	const d = new Date(`${today}T00:00:00Z`);
	d.setUTCMonth(d.getUTCMonth() - 36);
	d.setUTCDate(d.getUTCDate() - 1);
	const old = d.toISOString().slice(0, 10);
	await env.sql(`UPDATE penalty_disclosures SET published_on = '${old}' WHERE id = ${pub.id}`);
	assert.ok(!(await must(env.get(`${PUBLIC}?page=1`))).items.some((x) => x.id === pub.id));
	expectError(assert, await env.get(`${PUBLIC}/${pub.id}`), 404, 'not_found');
	const ended = (await must(env.get(`${PUBLIC}/withdrawn?page=1`))).items.find((x) => x.id === pub.id);
	assert.equal(ended.withdraw_kind, '公示期满');
	assert.match(ended.withdraw_reason, /届满/);
	assert.equal(ended.content, undefined, 'the content is not shown once the period ended');
	// one day short of 36 months: still shown
	d.setUTCDate(d.getUTCDate() + 2);
	await env.sql(`UPDATE penalty_disclosures SET published_on = '${d.toISOString().slice(0, 10)}' WHERE id = ${pub.id}`);
	await must(env.get(`${PUBLIC}/${pub.id}`));
});

test('the locality may publish a natural person\'s full name (setting disclose_person_full_name)', async () => {
	const id = await decided({ party: person });
	assert.equal((await must(env.get(`${CASES}/${id}/disclosure-preview`, officer))).view.party.name, '张某');
	await env.mustFazhi(['settings', 'set', 'enforcement_case.disclose_person_full_name', '1', '--db', env.uri]);
	await env.restart();
	const sess = await env.login('officer_a');
	const pre = await must(env.get(`${CASES}/${id}/disclosure-preview`, sess));
	assert.equal(pre.view.party.name, '张三');
	assert.equal(JSON.stringify(pre).includes(RAW_ID), false);
});
