// litigation.test.mjs — 行政应诉案件: the defence due fifteen days after the
// complaint's copy was received (行政诉讼法 第六十七条); at the hearing, whether
// the court notified the head and whether the head appeared, an absence
// explained (第三条第三款; 最高人民法院关于行政机关负责人出庭应诉若干问题的
// 规定 第四条、第十二条); the appeal window of fifteen days after a judgment,
// ten after a ruling (第八十五条), the ruling effective only after it; a lost
// judgment performed before closing (第九十四条); 6.24.1–6.24.3 computed with
// their denominators (出庭率 over the notified cases, 败诉率 over the judged).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addDays, deadlineCli, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const LIT = '/api/v1/registers/litigation/records';
const today = todayCst();
let env, coord, coordA, dept, n = 0;

before(async () => {
	env = await setup({ users: defaultUsers() });
	coord = await env.login('coord');
	dept = await env.login('dept_a'); // bound to B330282-SCJG
	coordA = await env.login('coord_a');
});
after(async () => { await env?.close(); });

async function received(start = today, data = {}) {
	const r = await env.post(LIT, dept, { body: 'B330282-SCJG', start_date: start, data: { case_number: `（2025）浙0282行初${++n}号`,
		court: '慈溪市人民法院', plaintiff: '张某', act: '行政处罚决定', ...data } });
	assert.equal(r.status, 201, r.text);
	return r.json;
}
const move = (sess, id, transition, data) =>
	env.post(`${LIT}/${id}/transitions`, sess, data ? { transition, data } : { transition });
const must = async (p) => { const r = await p; assert.equal(r.status, 200, r.text); return r.json; };
const hearing = (notified, appeared, extra = {}) => ({ hearing_date: today, head_notified: notified, head_appeared: appeared,
	appeared_person: appeared === '是' ? '局长' : '法制科科长', ...extra });

test('the defence is due fifteen days after the copy of the complaint was received (第六十七条)', async () => {
	const c = await received('2025-03-03');
	assert.equal(c.data.defence_due, await deadlineCli('2025-03-03', { days: 15 }));
	assert.equal(c.due_date, c.data.defence_due);
	const one = (await env.get(`${LIT}/${c.id}`, dept)).json;
	const dl = one.deadlines.find((x) => x.field === 'defence_due');
	assert.equal(dl.due, c.data.defence_due);
	assert.match(dl.explain, /第六十七条/);
	expectError(assert, await move(dept, c.id, 'defend', { defended_on: '2025-03-01' }), 422, 'invalid', 'defended_on');
	const d = await must(move(dept, c.id, 'defend', { defended_on: '2025-03-10' }));
	assert.equal(d.state, 'defended');
});

test('the head notified and absent: the reason is required; 出庭率 counts notified cases only', async () => {
	const c = await received();
	await must(move(dept, c.id, 'defend', { defended_on: today }));
	const r = await move(dept, c.id, 'hear', hearing('是', '否'));
	expectError(assert, r, 422, 'invalid', 'absence_reason');
	assert.match(r.json.error.message, /第三条第三款/);
	const h = await must(move(dept, c.id, 'hear', hearing('是', '否', { absence_reason: '负责人因公出差' })));
	assert.equal(h.data.head_appeared_notified, '否');
	const c2 = await received();
	await must(move(dept, c2.id, 'defend', { defended_on: today }));
	assert.equal((await must(move(dept, c2.id, 'hear', hearing('是', '是')))).data.head_appeared_notified, '是');
	const c3 = await received(); // not notified: in neither count
	await must(move(dept, c3.id, 'defend', { defended_on: today }));
	assert.equal((await must(move(dept, c3.id, 'hear', hearing('否', '是')))).data.head_appeared_notified, undefined);
	const ev = await env.get(`/api/v1/evaluation?region=330282&period=${today.slice(0, 4)}`, coord);
	const v = ev.json.indicators.find((i) => i.id === '6.24.1');
	assert.equal(v.kind, 'auto');
	assert.equal(v.value, 0.5); // 1 appeared of 2 notified
});

test('the appeal window: fifteen days after a judgment, ten after a ruling; effective only after it (第八十五条)', async () => {
	const served = addDays(today, -3);
	const c = await received(addDays(today, -40));
	await must(move(dept, c.id, 'defend', { defended_on: addDays(today, -30) }));
	const j = await must(move(dept, c.id, 'rule', { outcome: '败诉', ruling_kind: '判决', ruled_on: served }));
	assert.equal(j.data.appeal_due, await deadlineCli(served, { days: 15 }));
	assert.equal(j.data.must_perform, '是');
	const early = await move(dept, c.id, 'take_effect');
	expectError(assert, early, 409, 'appeal_window_open', 'transition');
	assert.match(early.json.error.message, /第八十五条/);
	const r = await received(addDays(today, -60));
	await must(move(dept, r.id, 'defend', { defended_on: addDays(today, -50) }));
	const ruling = await must(move(dept, r.id, 'rule', { outcome: '驳回起诉', ruling_kind: '裁定', ruled_on: addDays(today, -40) }));
	assert.equal(ruling.data.appeal_due, await deadlineCli(addDays(today, -40), { days: 10 }));
	assert.equal((await must(move(dept, r.id, 'take_effect'))).state, 'effective');
	// Nothing to perform when not lost: closed directly.
	expectError(assert, await move(dept, r.id, 'perform', { performed_on: today, performance: 'x' }), 409, 'nothing_to_perform');
	assert.equal((await must(move(dept, r.id, 'close'))).state, 'closed');
});

test('a lost judgment is performed before the case closes (第九十四条); 6.24.2 and 6.24.3', async () => {
	const c = await received(addDays(today, -80));
	await must(move(dept, c.id, 'defend', { defended_on: addDays(today, -70) }));
	await must(move(dept, c.id, 'rule', { outcome: '败诉', ruling_kind: '判决', ruled_on: addDays(today, -40) }));
	await must(move(dept, c.id, 'take_effect'));
	expectError(assert, await move(dept, c.id, 'close'), 409, 'must_perform');
	const year = today.slice(0, 4);
	let ev = await env.get(`/api/v1/evaluation?region=330282&period=${year}`, coord);
	const item = (id) => ev.json.indicators.find((i) => i.id === id);
	if (addDays(today, -80).startsWith(year)) {
		assert.equal(item('6.24.3').value, 0, 'due, not yet performed');
		await must(move(dept, c.id, 'perform', { performed_on: today, performance: '已重新作出行政行为' }));
		ev = await env.get(`/api/v1/evaluation?region=330282&period=${year}`, coord);
		assert.equal(item('6.24.3').value, 1);
		assert.equal(item('6.24.2').kind, 'auto');
		assert.ok(item('6.24.2').value > 0, 'lost over judged');
	} else {
		await must(move(dept, c.id, 'perform', { performed_on: today, performance: '已重新作出行政行为' }));
	}
	// Another county sees none of it.
	assert.equal((await env.get(`${LIT}/${c.id}`, await env.login('coord_b'))).status, 404);
});

test('the board ranks the bodies in scope by 败诉率 over the year (lost ÷ judged), worst first', async () => {
	const year = today.slice(0, 4);
	const c = await received(today);
	await must(move(dept, c.id, 'defend', { defended_on: today }));
	await must(move(dept, c.id, 'rule', { outcome: '胜诉', ruling_kind: '判决', ruled_on: today }));
	const lost = async (sess, region) => {
		const b = await env.get(`/api/v1/board?region=${region}&year=${year}`, sess);
		assert.equal(b.status, 200, b.text);
		assert.equal(b.json.year, Number(year));
		const k = b.json.rankings.find((x) => x.register === 'litigation' && x.name === 'lost_rate');
		assert.ok(k && k.lower_is_better && k.numerator_label && k.denominator_label, JSON.stringify(b.json.rankings));
		for (let i = 1; i < k.items.length; i++) assert.ok(k.items[i - 1].rate >= k.items[i].rate, 'worst first');
		return k.items;
	};
	const rows = await lost(coordA, '330282');
	const scjg = rows.find((x) => x.body_name.includes('市场监督管理局'));
	assert.ok(scjg, JSON.stringify(rows));
	assert.ok(scjg.denominator >= 1 && scjg.numerator <= scjg.denominator);
	assert.equal(scjg.rate, scjg.numerator / scjg.denominator);
	// One more judged case, not lost: the denominator grows, the numerator stays.
	const c2 = await received(today);
	await must(move(dept, c2.id, 'defend', { defended_on: today }));
	await must(move(dept, c2.id, 'rule', { outcome: '胜诉', ruling_kind: '判决', ruled_on: today }));
	const after = (await lost(coordA, '330282')).find((x) => x.body_id === scjg.body_id);
	assert.deepEqual([after.numerator, after.denominator], [scjg.numerator, scjg.denominator + 1]);
	// Another county's coordinator ranks its own bodies only.
	assert.ok(!(await lost(await env.login('coord_b'), '330281')).some((x) => x.body_id === scjg.body_id));
	expectError(assert, await env.get(`/api/v1/board?region=330282&year=20x5`, coord), 400, 'invalid', 'year');
});

test('reminder: a hearing the court notified the head to attend, within three days, is told to the body and the coordinators once', async () => {
	const soon = addDays(today, 2);
	const set = async (start, hearing_date, head_notified) => {
		const c = await received(start);
		const r = await env.patch(`${LIT}/${c.id}`, dept, { data: { hearing_date, head_notified } });
		assert.equal(r.status, 200, r.text);
		return c;
	};
	const yes = await set(today, soon, '是');
	const no = await set(today, soon, '否');
	const past = await set(addDays(today, -5), addDays(today, -1), '是');
	const far = await set(today, addDays(today, 10), '是');
	const later = await set(today, addDays(today, 1), '是');
	const run = async () => { const r = await env.fazhi(['notify', 'run', '--db', env.uri]); assert.equal(r.code, 0, r.stderr); };
	await run();
	const notes = async (sess) => (await env.get('/api/v1/notifications?limit=200', sess)).json.items
		.filter((x) => x.entity === 'litigation' && x.kind === 'due_soon' && /^提醒/.test(x.title));
	const mine = await notes(dept);
	const ids = mine.map((x) => x.entity_id);
	assert.ok(ids.includes(yes.id) && ids.includes(later.id), JSON.stringify(mine));
	for (const x of [no, past, far])
		assert.ok(!ids.includes(x.id), `no reminder for ${x.id}`);
	const n = mine.find((x) => x.entity_id === yes.id);
	assert.match(n.text, new RegExp(`负责人须出庭应诉的开庭.*${soon}`));
	assert.match(n.text, /慈溪市人民法院|行初/);
	// the coordinator over the body is told too; another county's is not
	assert.ok((await notes(coord)).some((x) => x.entity_id === yes.id));
	const coordB = await env.login('coord_b');
	assert.ok(!(await notes(coordB)).some((x) => x.entity_id === yes.id));
	// the 待办 item carries the reminder
	const todo = (await env.get('/api/v1/todo', dept)).json.items.filter((x) => x.register === 'litigation');
	assert.equal(todo.find((x) => x.record_id === yes.id)?.reminder?.date, soon, JSON.stringify(todo));
	assert.match(todo.find((x) => x.record_id === yes.id).reminder.label, /负责人须出庭应诉/);
	assert.equal(todo.find((x) => x.record_id === no.id)?.reminder, undefined);
	// once per date
	await run();
	assert.equal((await notes(dept)).filter((x) => x.entity_id === yes.id).length, 1);
});
