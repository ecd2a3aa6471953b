// joint.test.mjs — 综合查一次: different bodies' plans of one enterprise with
// overlapping windows are offered as one joint visit (优化营商环境条例
// 第五十四条); each member body accepts or declines; accepted by all, the
// plans become one joint group with the shared window; checking in one
// checks in all; a rating or complaint on one is every member's. Bodies
// outside the scope see nothing and cannot answer (404, audited).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { addDays, defaultUsers, expectError, freshUscc, setup, todayCst } from './harness.mjs';

const INSP = '/api/v1/registers/inspection/records';
const MATTERS = '/api/v1/registers/enforcement_matter/records';
const JOINT = '/api/v1/joint-merges';
const today = todayCst();
const day = (n) => addDays(today, n);
// Two certified officers in each of three bodies of 慈溪市 (王建国 and 李明 are the fixture's).
const OFFICERS = { 'B330282-SCJG': '33028200017、33028200031', 'B330282-ZHZF': '33028200018、33028200041',
	'B330282-YJGL': '33028200051、33028200052' };
let env, dir, users = {}, matters = {}, coord, aud;

before(async () => {
	env = await setup({ users: [...defaultUsers(),
		{ username: 'officer_a', role: 'officer', scope: '330282', bodies: ['B330282-SCJG'] },
		{ username: 'officer_z', role: 'officer', scope: '330282', bodies: ['B330282-ZHZF'] },
		{ username: 'dept_z', role: 'department', scope: '330282', bodies: ['B330282-ZHZF'] },
		{ username: 'officer_y', role: 'officer', scope: '330281', bodies: ['B330281-SCJG'] }] });
	dir = mkdtempSync(join(tmpdir(), 'fazhi-joint-'));
	const file = join(dir, 'org.jsonl');
	const person = (name, body, cert_no, until = '2099-12-31') => ({ type: 'person', name, body, title: '执法队员', cert_no,
		cert_issuer: '浙江省人民政府', cert_valid_from: '2020-01-01', cert_valid_until: until, cert_status: 'active' });
	writeFileSync(file, [{ type: 'body', code: 'B330282-YJGL', name: '慈溪市应急管理局', kind: 'department', region: '330282',
		parent: 'B330282-GOV' }, person('陈敏', 'B330282-SCJG', '33028200031'), person('吴刚', 'B330282-ZHZF', '33028200041'),
	person('周强', 'B330282-YJGL', '33028200051'), person('郑伟', 'B330282-YJGL', '33028200052'),
	person('冯雪', 'B330282-ZHZF', '33028200043', '2024-12-31')].map((o) => JSON.stringify(o)).join('\n') + '\n');
	await env.mustFazhi(['import', '--db', env.uri, file]);
	await env.addUser({ username: 'officer_j', role: 'officer', scope: '330282', bodies: ['B330282-YJGL'] });
	for (const u of ['officer_a', 'officer_z', 'dept_z', 'officer_y', 'officer_j', 'dept_a'])
		users[u] = await env.login(u);
	coord = await env.login('coord');
	aud = await env.login('auditor');
	for (const [body, u] of [['B330282-SCJG', 'officer_a'], ['B330282-ZHZF', 'officer_z'], ['B330282-YJGL', 'officer_j']]) {
		const m = await env.post(MATTERS, users[u], { body, start_date: today, data: { code: `${body}-JC`, kind: '行政检查',
			sector: '综合', name: `${body} 日常监督检查`, basis: '《优化营商环境条例》第五十四条' } });
		assert.equal(m.status, 201, m.text);
		matters[body] = m.json.id;
	}
});
after(async () => {
	await env?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const BODY = { officer_a: 'B330282-SCJG', officer_z: 'B330282-ZHZF', officer_j: 'B330282-YJGL' };
async function enterprise() {
	const s = await env.post('/api/v1/subjects', coord, { kind: 'enterprise', name: `联合受检企业${freshUscc().slice(-6)}有限公司`,
		uscc: freshUscc(), region: '330282' });
	assert.equal(s.status, 201, s.text);
	return s.json.id;
}
async function plan(who, ent, from, to, data = {}) {
	const body = BODY[who];
	const r = await env.post(INSP, users[who], { body, start_date: today, data: { enterprise: ent, matter: matters[body],
		inspection_kind: '随机抽查', window_from: day(from), window_to: day(to), officers: OFFICERS[body], ...data } });
	assert.equal(r.status, 201, r.text);
	return r.json.id;
}
const must = async (p, status = 200) => { const r = await p; assert.equal(r.status, status, r.text); return r.json; };
const move = (who, id, transition, data) =>
	must(env.post(`${INSP}/${id}/transitions`, users[who], data ? { transition, data } : { transition }));
const rec = (id) => must(env.get(`${INSP}/${id}`, coord));
const offersOf = async (id, sess = coord) => (await must(env.get(`${JOINT}?record=${id}`, sess))).items;
const accept = (who, id) => env.post(`${JOINT}/${id}/accept`, users[who], {});
const decline = (who, id, reason) => env.post(`${JOINT}/${id}/decline`, users[who], reason === undefined ? {} : { reason });

/* Two bodies' plans of a new enterprise, merged by both accepting. */
async function joined(fromA = 1, toA = 5, fromZ = 3, toZ = 9) {
	const ent = await enterprise();
	const a = await plan('officer_a', ent, fromA, toA), z = await plan('officer_z', ent, fromZ, toZ);
	const [offer] = await offersOf(a);
	await must(accept('officer_a', offer.id));
	const done = await must(accept('dept_z', offer.id));
	assert.equal(done.state, 'merged');
	return { a, z, group: offer.id };
}

test('an offer on overlapping windows of two bodies; none on disjoint windows or within one body', async () => {
	const ent = await enterprise();
	const a = await plan('officer_a', ent, 1, 5);
	assert.deepEqual(await offersOf(a), []);
	const z = await plan('officer_z', ent, 3, 9);
	const [offer, more] = await offersOf(a, users.officer_a);
	assert.equal(more, undefined);
	assert.equal(offer.state, 'open');
	assert.deepEqual(offer.members.map((m) => m.record_id), [a, z]);
	assert.deepEqual([offer.window_from, offer.window_to], [day(3), day(5)]);
	assert.deepEqual(offer.other_bodies, ['慈溪市综合行政执法局']);
	assert.equal(offer.my_pending, true);
	assert.equal(offer.members.find((m) => m.record_id === z).officers, OFFICERS['B330282-ZHZF']);
	// The other body sees it as its 待办 (mine=1); a third body of the county does not.
	assert.ok((await must(env.get(`${JOINT}?mine=1`, users.officer_z))).items.some((o) => o.id === offer.id));
	assert.ok(!(await must(env.get(`${JOINT}?mine=1`, users.officer_j))).items.some((o) => o.id === offer.id));
	// Disjoint windows: none.
	const ent2 = await enterprise();
	const b = await plan('officer_a', ent2, 1, 2);
	const y = await plan('officer_z', ent2, 4, 6);
	assert.deepEqual([...await offersOf(b), ...await offersOf(y)], []);
	// The same body twice: none.
	const ent3 = await enterprise();
	const c = await plan('officer_a', ent3, 1, 5);
	await plan('officer_a', ent3, 2, 6);
	assert.deepEqual(await offersOf(c), []);
	// A third body's overlapping plan joins the open offer, narrowing the window.
	const j = await plan('officer_j', ent, 4, 20);
	const [grown] = await offersOf(j);
	assert.equal(grown.id, offer.id);
	assert.deepEqual(grown.members.map((m) => m.record_id), [a, z, j]);
	assert.deepEqual([grown.window_from, grown.window_to], [day(4), day(5)]);
});

test('accepted by every body: one joint group, joint = 是, the shared window', async () => {
	const ent = await enterprise();
	const a = await plan('officer_a', ent, 1, 5), z = await plan('officer_z', ent, 3, 9);
	const [offer] = await offersOf(a);
	const first = await must(accept('officer_a', offer.id));
	assert.equal(first.state, 'open');
	assert.equal(first.members.find((m) => m.record_id === a).answer, 'accepted');
	expectError(assert, await accept('officer_a', offer.id), 409, 'joint_answered');
	assert.equal((await rec(z)).data.joint_group, undefined);
	const done = await must(accept('dept_z', offer.id));
	assert.equal(done.state, 'merged');
	for (const id of [a, z]) {
		const r = await rec(id);
		assert.equal(r.data.joint, '是');
		assert.equal(r.data.joint_group, offer.id);
		assert.deepEqual([r.data.window_from, r.data.window_to], [day(3), day(5)]);
		assert.ok(r.timeline.some((t) => t.action === 'joint_merge'));
	}
	expectError(assert, await accept('officer_z', offer.id), 409, 'joint_decided');
	// A merged group takes in no later plan.
	const j = await plan('officer_j', ent, 1, 9);
	assert.deepEqual(await offersOf(j), []);
});

test('one declining drops it; with three the other two still merge', async () => {
	const ent = await enterprise();
	const a = await plan('officer_a', ent, 1, 5), z = await plan('officer_z', ent, 1, 5);
	const [offer] = await offersOf(a);
	expectError(assert, await decline('officer_z', offer.id), 422, 'invalid', 'reason');
	const d = await must(decline('officer_z', offer.id, '本局已安排专项行动，时间无法调整'));
	assert.equal(d.state, 'dropped');
	assert.equal(d.members.find((m) => m.record_id === z).reason, '本局已安排专项行动，时间无法调整');
	assert.equal((await rec(a)).data.joint_group, undefined);
	expectError(assert, await accept('officer_a', offer.id), 409, 'joint_decided');
	// Three bodies; one declines, the two left accept.
	const ent2 = await enterprise();
	const b = await plan('officer_a', ent2, 1, 5), y = await plan('officer_z', ent2, 1, 5), j = await plan('officer_j', ent2, 1, 5);
	const [three] = await offersOf(b);
	assert.equal(three.members.length, 3);
	await must(accept('officer_a', three.id));
	assert.equal((await must(decline('officer_j', three.id, '不参加'))).state, 'open');
	assert.equal((await must(accept('officer_z', three.id))).state, 'merged');
	assert.equal((await rec(b)).data.joint_group, three.id);
	assert.equal((await rec(y)).data.joint_group, three.id);
	assert.equal((await rec(j)).data.joint_group, undefined);
});

test('outside the scope the offer is missing (404, audited); a coordinator sees it but is no member', async () => {
	const ent = await enterprise();
	const a = await plan('officer_a', ent, 1, 5);
	await plan('officer_z', ent, 1, 5);
	const [offer] = await offersOf(a);
	expectError(assert, await accept('officer_y', offer.id), 404, 'not_found');
	expectError(assert, await decline('officer_y', offer.id, '不参加'), 404, 'not_found');
	expectError(assert, await accept('officer_y', 987654), 404, 'not_found');
	assert.deepEqual((await must(env.get(`${JOINT}?record=${a}`, users.officer_y))).items, []);
	assert.deepEqual((await must(env.get(`${JOINT}?record=${a}`, await env.login('coord_b')))).items, []);
	const log = await must(env.get(`/api/v1/audit?entity=joint_merge&entity_id=${offer.id}&result=refused`, aud));
	assert.deepEqual(log.items.map((i) => i.action).sort(), ['joint_accept', 'joint_decline']);
	// The coordinator of the city sees it, but only member bodies answer.
	expectError(assert, await env.post(`${JOINT}/${offer.id}/accept`, coord, {}), 403, 'joint_not_member');
	expectError(assert, await env.get(`${JOINT}?state=bad`, coord), 422, 'invalid', 'state');
	assert.equal((await rec(a)).data.joint_group, undefined);
});

test('checking in one member checks in all, each with its own officers; refused as a whole', async () => {
	const { a, z } = await joined();
	await move('officer_a', a, 'register');
	const r = await move('officer_a', a, 'check_in');
	assert.equal(r.state, 'checked_in');
	const other = await rec(z);
	assert.equal(other.state, 'checked_in'); // its plan registered and checked in with it
	assert.equal(other.data.checked_in_on, today);
	// One member's officer no longer certified: nobody checks in.
	const g = await joined();
	await must(env.patch(`${INSP}/${g.z}`, users.officer_z, { data: { officers: '33028200018、33028200043' } }));
	await move('officer_a', g.a, 'register');
	const bad = await env.post(`${INSP}/${g.a}/transitions`, users.officer_a, { transition: 'check_in' });
	assert.equal(bad.status, 422, bad.text);
	assert.match(bad.json.error.message, /联合检查的成员慈溪市综合行政执法局.*冯雪/);
	assert.equal((await rec(g.a)).state, 'registered');
	assert.equal((await rec(g.z)).state, 'plan');
});

test('one rating, one complaint: given on one member, every member has it', async () => {
	const { a, z } = await joined();
	await move('officer_a', a, 'register');
	await move('officer_a', a, 'check_in');
	await move('officer_a', a, 'record_result', { result: '无问题' });
	await move('officer_z', z, 'record_result', { result: '责令改正' });
	await move('officer_z', z, 'rate', { rating: 4 });
	const ra = await rec(a);
	assert.equal(ra.state, 'rated');
	assert.equal(ra.data.rating, 4);
	await move('officer_a', a, 'complain', { complaint: '检查时间过长' });
	assert.equal((await rec(z)).state, 'complained');
	assert.equal((await rec(z)).data.complaint, '检查时间过长');
	// A member recording its result after the rating is given it then.
	const g = await joined();
	await move('officer_a', g.a, 'register');
	await move('officer_a', g.a, 'check_in');
	await move('officer_a', g.a, 'record_result', { result: '无问题' });
	await move('officer_a', g.a, 'rate', { rating: 5 });
	assert.equal((await rec(g.z)).state, 'checked_in');
	await move('officer_z', g.z, 'record_result', { result: '无问题' });
	const late = await rec(g.z);
	assert.equal(late.state, 'rated');
	assert.equal(late.data.rating, 5);
});

test('no offer once checked in; a member checking in alone leaves the open offer', async () => {
	const ent = await enterprise();
	const a = await plan('officer_a', ent, 0, 5);
	await move('officer_a', a, 'register');
	await move('officer_a', a, 'check_in');
	const z = await plan('officer_z', ent, 0, 5);
	assert.deepEqual(await offersOf(z), []);
	const ent2 = await enterprise();
	const b = await plan('officer_a', ent2, 0, 5);
	await plan('officer_z', ent2, 0, 5);
	const [offer] = await offersOf(b);
	await move('officer_a', b, 'register');
	await move('officer_a', b, 'check_in');
	const [gone] = await offersOf(b);
	assert.equal(gone.state, 'dropped');
	assert.equal(gone.members.find((m) => m.record_id === b).answer, 'left');
	assert.equal(gone.id, offer.id);
});

test('a plan moved to another window leaves its offer and is offered afresh; a merged one cannot move alone', async () => {
	const ent = await enterprise();
	const a = await plan('officer_a', ent, 1, 5), z = await plan('officer_z', ent, 1, 5);
	const [offer] = await offersOf(a);
	await must(accept('officer_a', offer.id));
	await must(env.patch(`${INSP}/${z}`, users.officer_z, { data: { window_from: day(20), window_to: day(25) } }));
	const [gone] = await offersOf(a);
	assert.equal(gone.state, 'dropped');
	assert.equal(gone.members.find((m) => m.record_id === z).answer, 'left');
	// Back into the window of a: a new offer, to be answered again.
	await must(env.patch(`${INSP}/${z}`, users.officer_z, { data: { window_from: day(2), window_to: day(8) } }));
	const again = (await offersOf(z)).find((o) => o.state === 'open');
	assert.ok(again && again.id !== offer.id);
	assert.deepEqual([again.window_from, again.window_to], [day(2), day(5)]);
	assert.ok(again.members.every((m) => m.answer === 'pending'));
	// Merged: the window is the group's.
	const g = await joined();
	const r = await env.patch(`${INSP}/${g.z}`, users.officer_z, { data: { window_to: day(30) } });
	expectError(assert, r, 409, 'joint_replanned', 'window_from');
	assert.equal((await rec(g.z)).data.window_to, day(5));
});

test('the counters agree with the records: inspection.joint counts each merged member once registered', async () => {
	assert.equal((await env.fazhi(['metrics', 'rebuild', '--db', env.uri, '--check'])).code, 0);
	const all = (await must(env.get(`${INSP}?limit=200`, coord))).items.filter((x) => !['plan', 'cancelled'].includes(x.state));
	const joint = all.filter((x) => x.data?.joint === '是');
	assert.ok(joint.length >= 4, `${joint.length} joint of ${all.length}`);
	const ev = await must(env.get(`/api/v1/evaluation?region=330282&period=${today.slice(0, 4)}`, coord));
	const item = ev.indicators.find((i) => i.id === '1.3.2');
	assert.ok(Math.abs(item.value - joint.length / all.length) < 1e-3, `1.3.2 ${item.value} vs ${joint.length}/${all.length}`);
});
