// judicial_suggestion.test.mjs — 司法建议、检察建议: the office registers a
// suggestion for the body it addresses; the written reply is due two months
// after receipt, fifteen days for an urgent 公益诉讼 检察建议 (检察公益诉讼
// 解释 第二十一条第二款), other kinds by their settings; each suggestion
// becomes a rectification item of the same body, due with the reply, in the
// same transaction; the body replies in writing; item 7.28.1 counts the
// replies made on time among the suggestions due in the year.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { deadlineCli, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const SUG = '/api/v1/registers/judicial_suggestion/records';
const today = todayCst();
let env, coord, dept, n = 0;

before(async () => {
	env = await setup({ users: defaultUsers() });
	coord = await env.login('coord');
	dept = await env.login('dept_a'); // bound to B330282-SCJG
});
after(async () => { await env?.close(); });

async function register(data = {}, start = today) {
	const r = await env.post(SUG, coord, { body: 'B330282-SCJG', start_date: start, data: { kind: '司法建议',
		issuer: '慈溪市人民法院', number: `（2025）浙0282法建${++n}号`, content: '行政执法文书未载明救济途径', ...data } });
	assert.equal(r.status, 201, r.text);
	return (await env.get(`${SUG}/${r.json.id}`, coord)).json;
}
const move = (sess, id, transition, data) =>
	env.post(`${SUG}/${id}/transitions`, sess, data ? { transition, data } : { transition });
const must = async (p) => { const r = await p; assert.equal(r.status, 200, r.text); return r.json; };

test('the reply is due two months after receipt; fifteen days for an urgent 公益诉讼 检察建议', async () => {
	const court = await register({}, '2025-03-03');
	assert.equal(court.data.due, await deadlineCli('2025-03-03', { months: 2 }));
	assert.equal(court.due_date, court.data.due, 'the record\'s deadline is the reply\'s');
	const urgent = await register({ kind: '公益诉讼检察建议', issuer: '慈溪市人民检察院', urgent: '是' }, '2025-03-03');
	assert.equal(urgent.data.due, await deadlineCli('2025-03-03', { days: 15 }));
	const calm = await register({ kind: '公益诉讼检察建议', issuer: '慈溪市人民检察院', urgent: '否' }, '2025-03-03');
	assert.equal(calm.data.due, court.data.due);
	// The urgent case is the 公益诉讼 检察建议's only.
	const bad = await env.post(SUG, coord, { body: 'B330282-SCJG', start_date: today, data: { kind: '司法建议', issuer: '法院',
		number: 'x', content: 'x', urgent: '是' } });
	expectError(assert, bad, 422, 'invalid', 'urgent');
	assert.match(bad.json.error.message, /第二十一条第二款/);
});

test('each suggestion becomes a rectification item of the same body, due with the reply', async () => {
	const s = await register({ kind: '检察建议', issuer: '慈溪市人民检察院' });
	assert.ok(Number.isInteger(s.data.remedy), JSON.stringify(s.data));
	const item = (await env.get(`/api/v1/registers/rectification/records/${s.data.remedy}`, coord)).json;
	assert.equal(item.data.source, '司法建议、检察建议');
	assert.equal(item.data.deadline, s.data.due);
	assert.equal(item.body_id, s.body_id);
	assert.match(item.data.issue, /慈溪市人民检察院.*检察建议/);
	// The body sees both; it may not register a suggestion itself.
	assert.equal((await env.get(`${SUG}/${s.id}`, dept)).status, 200);
	assert.equal((await env.post(SUG, dept, { body: 'B330282-SCJG', start_date: today, data: { kind: '司法建议', issuer: '法院',
		number: 'x', content: 'x' } })).status, 403);
	// Another county sees neither.
	const b = await env.login('coord_b');
	assert.equal((await env.get(`${SUG}/${s.id}`, b)).status, 404);
	assert.equal((await env.get(`/api/v1/registers/rectification/records/${s.data.remedy}`, b)).status, 404);
});

test('the body replies in writing (measures and reply required); the office closes it', async () => {
	const s = await register();
	expectError(assert, await move(dept, s.id, 'reply', { reply: '已整改' }), 422, 'invalid', 'measures');
	const r = await must(move(dept, s.id, 'reply', { measures: '专题研究，逐项整改', reply: '已按建议整改' }));
	assert.equal(r.state, 'replied');
	assert.equal(r.data.replied_on, today);
	assert.equal((await move(dept, s.id, 'close')).status, 403, 'the office closes, not the body');
	assert.equal((await must(move(coord, s.id, 'close'))).state, 'closed');
});

test('7.28.1: the replies on time among the suggestions due in the year', async () => {
	// Due in 2025: the three of the first test (none replied) and a fourth replied now, late.
	const late = await register({}, '2025-06-02');
	await must(move(dept, late.id, 'reply', { measures: '整改', reply: '已整改' }));
	const ev = await env.get('/api/v1/evaluation?region=330282&period=2025', coord);
	assert.equal(ev.status, 200, ev.text);
	const item = ev.json.indicators.find((i) => i.id === '7.28.1');
	assert.equal(item.kind, 'auto');
	assert.equal(item.value, 0, JSON.stringify(item));
	const drill = await env.get('/api/v1/evaluation/drill?metric=judicial_suggestion.due&region=330282&period=2025', coord);
	assert.equal(drill.status, 200, drill.text);
	assert.equal(drill.json.total, 4);
});
