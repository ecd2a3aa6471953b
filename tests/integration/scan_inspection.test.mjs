// scan_inspection.test.mjs — an inspection's 入企码 end to end over HTTP:
// the printable card (signed in, scope-checked, audited) and its token;
// the enterprise's page (no login) with the officers' certificates as of
// today, the items and basis, the window and the 报备; the warning pages
// (not registered, a foreign token, expired, forged, cancelled, replayed
// after the close); the page's acts without an account — confirm the
// arrival (入企检查 through the gate), rate 1–5, complain (a supervision
// item for the inspecting body, told to the coordinators) — each once,
// each refusal audited; bad bodies refused with a Chinese page.
import assert from 'node:assert/strict';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { PG, addDays, deadlineCli, defaultUsers, freshUscc, setup, todayCst } from './harness.mjs';

const INSP = '/api/v1/registers/inspection/records';
const MATTERS = '/api/v1/registers/enforcement_matter/records';
const today = todayCst();
const TWO = '33028200017、33028200031'; // 王建国 (fixture), 陈敏: valid certificates of 慈溪市市场监督管理局
let env, officer, coord, coordB, check, ents = [];

before(async () => {
	env = await setup({ users: [...defaultUsers(),
		{ username: 'officer_a', role: 'officer', scope: '330282', bodies: ['B330282-SCJG'] }],
	settings: { notify_interval_seconds: 1 } });
	const file = join(env.dir, 'people.jsonl');
	const people = [['陈敏', '33028200031', '2099-12-31'], ['周静', '33028200033', '2024-12-31']];
	writeFileSync(file, people.map(([name, cert_no, until]) => JSON.stringify({ type: 'person', name, body: 'B330282-SCJG',
		title: '执法队员', cert_no, cert_issuer: '浙江省人民政府', cert_valid_from: '2020-01-01', cert_valid_until: until,
		cert_status: 'active' })).join('\n') + '\n');
	await env.mustFazhi(['import', '--db', env.uri, file]);
	coord = await env.login('coord');
	coordB = await env.login('coord_b');
	officer = await env.login('officer_a');
	for (let i = 0; i < 12; i++) {
		const s = await env.post('/api/v1/subjects', coord, { kind: 'enterprise', name: `扫码企业${i}有限公司`, uscc: freshUscc(), region: '330282' });
		assert.equal(s.status, 201, s.text);
		ents.push(s.json.id);
	}
	const m = await env.post(MATTERS, officer, { body: 'B330282-SCJG', start_date: today, data: { code: '330282-JC-0101',
		kind: '行政检查', sector: '市场监管', name: '食品经营许可事项检查', basis: '《中华人民共和国食品安全法》第一百一十条' } });
	assert.equal(m.status, 201, m.text);
	check = m.json.id;
});
after(() => env?.close());

const must = async (p) => { const r = await p; assert.equal(r.status, 200, r.text); return r.json; };
const move = (id, transition, data) => env.post(`${INSP}/${id}/transitions`, officer, data ? { transition, data } : { transition });
let next = 0;
// A plan for a fresh enterprise (each its own, so the cap never bites).
async function plan(data = {}) {
	const enterprise = ents[next++];
	const r = await env.post(INSP, officer, { body: 'B330282-SCJG', start_date: today, data: { enterprise, matter: check,
		inspection_kind: '重点检查', window_from: today, window_to: addDays(today, 3), officers: TWO,
		other_items: '消防安全检查（合并）', ...data } });
	assert.equal(r.status, 201, r.text);
	return r.json;
}
async function registered(data) {
	const p = await plan(data);
	await must(move(p.id, 'register'));
	return p;
}
// The card's token (GET …/qr-card as the officer).
async function card(id) {
	const r = await env.get(`${INSP}/${id}/qr-card`, officer);
	assert.equal(r.status, 200, r.text);
	return r.text.match(/\/c\/([A-Za-z0-9_-]{112})/)[1];
}
const qrMake = async (record, subject) =>
	(await env.mustFazhi(['qr', 'make', '--db', env.uri, '--record', String(record), '--subject', String(subject), '--days', '2'])).stdout.trim();
const page = (tok) => env.raw('GET', `/c/${tok}`);
const act = (tok, action, body = {}) => env.req('POST', `/c/${tok}/${action}`, { body });
const rec = async (id) => (await must(env.get(`${INSP}/${id}`, coord)));
function assertHtml(r, status, text, what) {
	assert.equal(r.status, status, `${what}: ${r.text.slice(0, 400)}`);
	const type = typeof r.headers.get === 'function' ? r.headers.get('content-type') : r.headers['content-type'];
	assert.equal(type, 'text/html; charset=utf-8', what);
	for (const t of [].concat(text)) assert.ok(r.text.includes(t), `${what}: ${t} not in ${r.text.slice(0, 600)}`);
	assert.ok(r.text.includes('12345'), `${what}: the way to complain`);
}
const refusals = async (action, code) =>
	env.sql(`SELECT count(*) FROM audit_log WHERE action = '${action}' AND result = 'refused' AND entity = 'inspection'` +
		` AND detail LIKE '%${code}%'`);

test('the card: A6 HTML with the QR code, link, officers, items, window and expiry; audited; scope-checked', async () => {
	const p = await registered();
	const r = await env.get(`${INSP}/${p.id}/qr-card`, officer);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
	assert.match(r.text, /@page\{size:A6/);
	assert.match(r.text, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
	assert.match(r.text, new RegExp(`http://127\\.0\\.0\\.1:\\d+/c/[A-Za-z0-9_-]{112}`));
	for (const t of ['33028200017、33028200031', '食品经营许可事项检查', '消防安全检查（合并）', `${today} 至 ${addDays(today, 3)}`,
		'慈溪市市场监督管理局', '扫码企业0有限公司'])
		assert.ok(r.text.includes(t), t);
	// expiry: window_to plus the setting qr_valid_days (30)
	assert.ok(r.text.includes(`入企码有效期至</dt><dd>${addDays(today, 33)}`), r.text);
	assert.match(await env.sql(`SELECT result || ' ' || detail FROM audit_log WHERE action = 'qr_card' AND entity_id = '${p.id}'`),
		new RegExp(`ok .*"valid_until":"${addDays(today, 33)}"`));
	// another county's coordinator: 404 as for a record that does not exist
	const out = await env.get(`${INSP}/${p.id}/qr-card`, coordB);
	const none = await env.get(`${INSP}/99999999/qr-card`, coordB);
	assert.equal(out.status, 404);
	assert.equal(none.status, 404);
	assert.equal(out.json.error.code, none.json.error.code);
	// a plan (not 报备): no card, refused and audited
	const q = await plan();
	const r2 = await env.get(`${INSP}/${q.id}/qr-card`, officer);
	assert.equal(r2.status, 409, r2.text);
	assert.equal(r2.json.error.code, 'wrong_state');
	assert.match(r2.json.error.message, /报备后、办结前才能出示入企码/);
	assert.match(await env.sql(`SELECT result FROM audit_log WHERE action = 'qr_card' AND entity_id = '${q.id}'`), /refused/);
	// the definition offers the card to the console's drawer
	const def = await must(env.get('/api/v1/registers/inspection', officer));
	assert.equal(def.record_links[0].path, '/api/v1/registers/inspection/records/{id}/qr-card');
});

test('the page: enterprise, body, officers with their certificates today, items, basis, window, 报备, state', async () => {
	const p = await registered();
	const tok = await card(p.id);
	const r = await page(tok);
	assertHtml(r, 200, ['扫码企业', '慈溪市市场监督管理局', '王建国', '33028200017', '陈敏', '33028200031', '有效（至 2099-12-31）',
		'有效（至 2099-02-28）', '食品经营许可事项检查', '消防安全检查（合并）', '《中华人民共和国食品安全法》第一百一十条',
		`${today} 至 ${addDays(today, 3)}`, `已报备（${today}）`, '<dd>已报备</dd>', 'data-action="confirm"'], 'registered');
	// the page's script runs under its own nonce, nothing else
	const nonce = r.text.match(/<script nonce="([0-9a-f]{32})">/)[1];
	assert.match(r.headers['content-security-policy'], new RegExp(`script-src 'nonce-${nonce}'`));
	assert.equal(r.headers['content-security-policy'].split('script-src').length, 2);
	assert.equal(r.headers['cache-control'], 'no-store');
	// an officer's certificate lapsed: the page says so, and confirming is refused by the gate
	await must(env.patch(`${INSP}/${p.id}`, officer, { data: { officers: '33028200017、33028200033' } }));
	const lapsed = await page(tok);
	assertHtml(lapsed, 200, ['周静', '执法证已于 2024-12-31 过期', 'class="cert bad"'], 'lapsed');
	const c = await act(tok, 'confirm');
	assertHtml(c, 422, ['未能确认入企', '周静（执法证号 33028200033）的执法证已于 2024-12-31 过期'], 'confirm, lapsed');
	assert.equal((await rec(p.id)).state, 'registered');
	assert.equal(await refusals('confirm', 'officer_not_certified'), '1');
});

test('not registered: a warning page naming the local rule, no actions', async () => {
	const p = await plan();
	const tok = await qrMake(p.id, p.data.enterprise);
	const r = await page(tok);
	assertHtml(r, 403, ['本次检查尚未报备', '未经报备、未出示有效入企码的检查，企业可以拒绝', '<dd>未报备</dd>', '王建国'], 'plan');
	assert.ok(!r.text.includes('<form'));
	assert.ok(!r.text.includes('<script'));
	assertHtml(await act(tok, 'confirm'), 409, ['未能确认入企', '本次检查尚未报备，不能确认入企'], 'confirm a plan');
	assert.equal(await refusals('confirm', 'not_registered'), '1');
});

test('a foreign token (another enterprise\'s), expired, forged: 4xx pages without the inspection\'s data', async () => {
	const p = await registered();
	const foreign = await qrMake(p.id, ents[11]);
	const r = await page(foreign);
	assertHtml(r, 403, '入企码与被检查企业不符', 'foreign');
	for (const t of ['王建国', '33028200017', '扫码企业', '食品经营许可事项检查', '慈溪市']) assert.ok(!r.text.includes(t), t);
	assertHtml(await act(foreign, 'confirm'), 403, '入企码与被检查企业不符', 'foreign confirm');
	assert.equal((await rec(p.id)).state, 'registered');
	assert.match(await env.sql(`SELECT count(*) FROM audit_log WHERE entity = 'inspection' AND entity_id = '${p.id}'` +
		` AND result = 'refused' AND detail LIKE '%foreign_token%'`), /^2$/);
	// expired yesterday, signed here with the store's key as qr_token.h lays it out
	const b = Buffer.alloc(84);
	b[0] = 1;
	b[1] = 1;
	b.writeBigUInt64BE(BigInt(p.id), 2);
	b.writeBigUInt64BE(BigInt(p.data.enterprise), 10);
	b.writeUInt16BE(Math.floor((Date.now() + 8 * 3600e3) / 86400e3) - 1, 18);
	const keyFile = PG ? join(env.dir, 'fazhi.qr-sign.pem') : `${env.dbPath}.qr-sign.pem`;
	sign(null, b.subarray(0, 20), createPrivateKey(readFileSync(keyFile))).copy(b, 20);
	const expired = b.toString('base64url');
	assertHtml(await page(expired), 410, '入企码已过期', 'expired');
	assertHtml(await act(expired, 'confirm'), 410, '入企码已过期', 'expired confirm');
	const tok = await card(p.id);
	const forged = tok.slice(0, 60) + (tok[60] === 'A' ? 'B' : 'A') + tok.slice(61);
	assertHtml(await page(forged), 403, '入企码无效', 'forged');
	assertHtml(await act(forged, 'confirm'), 403, '入企码无效', 'forged confirm');
	assert.equal((await rec(p.id)).state, 'registered');
});

test('confirm, rate, complain: each once, as the enterprise via its 入企码; the complaint a supervision item', async () => {
	const p = await registered();
	const tok = await card(p.id);
	// confirm the arrival: 入企检查 performed, the time kept, audited as the enterprise
	assertHtml(await act(tok, 'confirm'), 200, '已确认入企', 'confirm');
	let r = await rec(p.id);
	assert.equal(r.state, 'checked_in');
	assert.equal(r.data.checked_in_on, today);
	assert.match(r.data.confirmed_at, new RegExp(`^${today} \\d\\d:\\d\\d`));
	assert.match(await env.sql(`SELECT actor || ' ' || detail FROM audit_log WHERE action = 'transition' AND entity_id = '${p.id}'` +
		` AND detail LIKE '%check_in%'`), new RegExp(`^入企码:主体${p.data.enterprise} `));
	assertHtml(await act(tok, 'confirm'), 409, '不能重复确认', 'second confirm');
	assert.equal(await refusals('confirm', 'already_confirmed'), '1');
	// rating before the result
	assertHtml(await act(tok, 'rate', { rating: 5 }), 409, '检查结果记录后才能评价', 'rate early');
	assertHtml(await act(tok, 'complain', { text: '太早' }), 409, '检查结果记录后才能在此投诉', 'complain early');
	await must(move(p.id, 'record_result', { result: '责令改正', result_text: '冷库温度记录不全' }));
	const shown = await page(tok);
	assertHtml(shown, 200, ['data-action="rate"', 'data-action="complain"', '责令改正', `企业确认入企</dt><dd>${today}`], 'result');
	// ratings out of range or of the wrong type, unknown keys
	for (const body of [{ rating: 6 }, { rating: 0 }, { rating: '5' }, { rating: 4.5 }, {}, { rating: 3, comment: 7 },
		{ rating: 3, comment: '好'.repeat(501) }])
		assert.equal((await act(tok, 'rate', body)).status, 422, JSON.stringify(body).slice(0, 80));
	assertHtml(await act(tok, 'rate', { rating: 3, extra: 1 }), 400, '无法识别的项', 'unknown key');
	assertHtml(await act(tok, 'rate', { rating: 4, comment: '检查人员态度好，但耗时较长' }), 200, '评价已提交', 'rate');
	r = await rec(p.id);
	assert.equal(r.state, 'rated');
	assert.equal(r.data.rating, 4);
	assert.equal(r.data.rating_comment, '检查人员态度好，但耗时较长');
	assertHtml(await act(tok, 'rate', { rating: 5 }), 409, '不能重复评价', 'second rating');
	assert.equal((await rec(p.id)).data.rating, 4);
	// the complaint: a supervision item for the body, made in the same transaction
	assertHtml(await act(tok, 'complain', {}), 422, '请填写投诉内容', 'empty complaint');
	const text = '检查人员要求提供与检查事项无关的财务资料';
	assertHtml(await act(tok, 'complain', { text }), 200, '投诉已提交', 'complain');
	r = await rec(p.id);
	assert.equal(r.state, 'complained');
	assert.equal(r.data.complaint, text);
	const item = await must(env.get(`/api/v1/registers/rectification/records/${r.data.complaint_item}`, coord));
	assert.equal(item.data.source, '企业投诉');
	for (const t of ['扫码企业', '慈溪市市场监督管理局', today, '食品经营许可事项检查', text])
		assert.ok(item.data.issue.includes(t), `${t} in ${item.data.issue}`);
	assert.equal(item.data.deadline, await deadlineCli(today, { workingDays: 10 })); // inspection.complaint_working_days
	assert.match(await env.sql(`SELECT b.code FROM records r JOIN bodies b ON b.id = r.body_id WHERE r.id = ${item.id}`), /B330282-SCJG/);
	assert.match(await env.sql(`SELECT detail FROM audit_log WHERE action = 'refer' AND entity_id = '${item.id}'`),
		new RegExp(`"origin_id":${p.id}`));
	assertHtml(await act(tok, 'complain', { text }), 409, '不能重复投诉', 'second complaint');
	// the coordinator is told by the notification pass
	let told;
	for (let i = 0; i < 100 && !told; i++) {
		const n = await must(env.get('/api/v1/notifications?limit=100', coord));
		told = n.items.find((x) => x.entity === 'rectification' && x.entity_id === item.id);
		if (!told) await sleep(100);
	}
	assert.ok(told, 'the coordinator was not told of the complaint');
	assert.match(told.title, /企业投诉/);
	// and the inspecting body's department, which it is assigned to
	const dept = await env.login('dept_a');
	let mine;
	for (let i = 0; i < 100 && !mine; i++) {
		const n = await must(env.get('/api/v1/notifications?limit=100', dept));
		mine = n.items.find((x) => x.entity === 'rectification' && x.entity_id === item.id);
		if (!mine) await sleep(100);
	}
	assert.ok(mine, 'the body was not told of the item');
	assert.equal(mine.kind, 'assigned');
	assert.equal(told.kind, 'review');
	// the page shows it all, no more actions
	const end = await page(tok);
	assertHtml(end, 200, ['4 分', '检查人员态度好', text, '<dd>已投诉</dd>'], 'complained');
	assert.ok(!end.text.includes('<form'));
});

test('replayed after the close, or cancelled: shown closed, no actions', async () => {
	const p = await registered();
	const tok = await card(p.id);
	await must(move(p.id, 'check_in'));
	await must(move(p.id, 'record_result', { result: '无问题' }));
	await must(move(p.id, 'close'));
	const r = await page(tok);
	assertHtml(r, 410, ['本次检查已办结', '<dd>已办结</dd>', '无问题'], 'closed');
	assert.ok(!r.text.includes('<form'));
	assertHtml(await act(tok, 'rate', { rating: 5 }), 409, '不能评价', 'rate after close');
	assertHtml(await act(tok, 'complain', { text: '补充投诉' }), 409, '不能投诉', 'complain after close');
	assert.equal((await rec(p.id)).state, 'closed');
	const q = await registered();
	const tq = await card(q.id);
	await must(move(q.id, 'cancel', { cancel_reason: '企业已停业' }));
	const c = await page(tq);
	assertHtml(c, 410, '本次检查已取消', 'cancelled');
	assert.ok(!c.text.includes('王建国'));
	assertHtml(await act(tq, 'confirm'), 410, '本次检查已取消', 'confirm cancelled');
});

test('bad requests to an action: garbage, oversized, wrong type or method, unknown action — 4xx Chinese pages', async () => {
	const p = await registered();
	const tok = await card(p.id);
	const post = (path, body, headers = {}) => env.raw('POST', path, { headers: { 'Content-Type': 'application/json',
		'Content-Length': String(Buffer.byteLength(body)), ...headers }, body });
	assertHtml(await post(`/c/${tok}/confirm`, 'not json'), 400, '应为 JSON 对象', 'garbage');
	assertHtml(await post(`/c/${tok}/confirm`, '[1]'), 400, '应为 JSON 对象', 'array');
	assertHtml(await post(`/c/${tok}/confirm`, '{"a":1,"a":2}'), 400, '应为 JSON 对象', 'duplicate keys');
	assertHtml(await post(`/c/${tok}/confirm`, ''), 400, '应为 JSON 对象', 'empty');
	assert.equal(await refusals('confirm', 'bad_json'), '4'); // each refusal on the inspection audited
	assertHtml(await post(`/c/${tok}/complain`, JSON.stringify({ text: 'x'.repeat(5000) })), 413, '提交的内容过长', 'oversized');
	assertHtml(await post(`/c/${tok}/confirm`, '{}', { 'Content-Type': 'text/plain' }), 415, '应为 JSON', 'text/plain');
	const chunked = await env.raw('POST', `/c/${tok}/confirm`, { headers: { 'Content-Type': 'application/json',
		'Transfer-Encoding': 'chunked' }, body: '{}' });
	assertHtml(chunked, 411, '应注明长度', 'chunked');
	for (const a of ['delete', 'Confirm', 'confirm/x', 'a'.repeat(17), '..'])
		assert.ok([404, 405].includes((await post(`/c/${tok}/${a}`, '{}')).status), a);
	assertHtml(await post(`/c/${tok}/delete`, '{}'), 404, '无法识别的操作', 'unknown action');
	for (const m of ['PUT', 'DELETE', 'PATCH'])
		assertHtml(await env.raw(m, `/c/${tok}/confirm`), 405, '请求方式不正确', m);
	assertHtml(await env.raw('GET', `/c/${tok}/confirm`), 404, '入企码', 'GET of an action');
	assert.equal((await rec(p.id)).state, 'registered');
});

test('the local rules are settings: the refusal notice off, the complaint\'s working days', async () => {
	await env.mustFazhi(['settings', 'set', 'inspection.scan_may_refuse', '0', '--db', env.uri]);
	await env.mustFazhi(['settings', 'set', 'inspection.complaint_working_days', '3', '--db', env.uri]);
	await env.restart();
	officer = await env.login('officer_a');
	coord = await env.login('coord');
	const p = await plan();
	const r = await page(await qrMake(p.id, p.data.enterprise));
	assertHtml(r, 403, '本次检查尚未报备，请要求检查人员先行报备', 'plan, no local rule');
	assert.ok(!r.text.includes('企业可以拒绝'));
	await must(move(p.id, 'register'));
	const tok = await card(p.id);
	assertHtml(await act(tok, 'confirm'), 200, '已确认入企', 'confirm');
	await must(move(p.id, 'record_result', { result: '无问题' }));
	assertHtml(await act(tok, 'complain', { text: '检查人员未出示执法证' }), 200, '投诉已提交', 'complain');
	const item = (await rec(p.id)).data.complaint_item;
	const it = await must(env.get(`/api/v1/registers/rectification/records/${item}`, coord));
	assert.equal(it.data.deadline, await deadlineCli(today, { workingDays: 3 }));
});
