// case_console.test.mjs — what the case console reads, generic for every
// register: the list narrowed by the choice fields a definition declares
// in "filters" (?f.<field>=<choice>, others refused or ignored), a subject
// field shown as the subjects list shows the subject (name with USCC or
// masked ID number, within the reader's scope), the subjects search by a
// whole ID number, and each proof listed with the step (the record's
// state) it was added in and, on request, its digest checked on disk.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { PG, defaultUsers, expectError, setup, todayCst } from './harness.mjs';

const CASES = '/api/v1/registers/enforcement_case/records';
const MATTERS = '/api/v1/registers/enforcement_matter/records';
const today = todayCst();
const TWO = '33028200017、33028200031';
let env, officer, coord, coordB, unit, person, matter;

before(async () => {
	env = await setup({ users: [...defaultUsers(),
		{ username: 'officer_a', role: 'officer', scope: '330282', bodies: ['B330282-SCJG'] }] });
	const file = join(env.dir, 'people.jsonl');
	writeFileSync(file, JSON.stringify({ type: 'person', name: '陈敏', body: 'B330282-SCJG', title: '执法队员', cert_no: '33028200031',
		cert_issuer: '浙江省人民政府', cert_valid_from: '2022-01-01', cert_valid_until: '2099-12-31', cert_status: 'active' }) + '\n');
	await env.mustFazhi(['import', '--db', env.uri, file]);
	coord = await env.login('coord');
	coordB = await env.login('coord_b');
	officer = await env.login('officer_a');
	const subj = async (q) => (await env.get(`/api/v1/subjects?q=${encodeURIComponent(q)}`, coord)).json.items[0];
	unit = await subj('兴华供应链');
	person = await subj('张三');
	const m = await env.post(MATTERS, officer, { body: 'B330282-SCJG', start_date: today, data: { code: '330282-CF-0101',
		name: '对销售超过保质期的食品的行政处罚', kind: '行政处罚', sector: '市场监管', basis: '《中华人民共和国食品安全法》第一百二十四条' } });
	assert.equal(m.status, 201, m.text);
	matter = m.json.id;
});
after(async () => { await env?.close(); });

async function open(data = {}) {
	const r = await env.post(CASES, officer, { body: 'B330282-SCJG', start_date: today, data: { party: unit.id, matter,
		procedure: '普通程序', violation: '销售超过保质期的食品', violation_date: today, officers: TWO, ...data } });
	assert.equal(r.status, 201, r.text);
	return r.json.id;
}

test('the list is narrowed by the choice fields the definition declares in "filters"', async () => {
	const def = (await env.get('/api/v1/registers/enforcement_case', coord)).json;
	assert.ok(def.filters.includes('procedure'), JSON.stringify(def.filters));
	const simple = await open({ procedure: '简易程序' });
	const ordinary = await open();
	const ids = async (q) => (await env.get(`${CASES}?${q}&limit=100`, coord)).json.items.map((x) => x.id);
	const s = await ids(`f.procedure=${encodeURIComponent('简易程序')}`);
	assert.ok(s.includes(simple) && !s.includes(ordinary), JSON.stringify(s));
	const o = await ids(`f.procedure=${encodeURIComponent('普通程序')}&state=received`);
	assert.ok(o.includes(ordinary) && !o.includes(simple));
	// the count follows the filter too
	const n = (await env.get(`${CASES}?f.procedure=${encodeURIComponent('简易程序')}`, coord)).json.total;
	assert.equal(n, s.length);
	const bad = await env.get(`${CASES}?f.procedure=${encodeURIComponent('快速程序')}`, coord);
	expectError(assert, bad, 400, 'bad_param', 'procedure');
	assert.match(bad.json.error.message, /程序类型/);
	// a field the definition does not list is no filter
	assert.deepEqual((await ids('f.grave=%E6%98%AF')).sort(), (await ids('x=1')).sort());
});

test('a subject field is shown as the subjects list shows the subject, within the reader\'s scope', async () => {
	const id = await open();
	const pid = await open({ party: person.id });
	const list = (await env.get(`${CASES}?limit=100`, coord)).json.items;
	assert.equal(list.find((x) => x.id === id).labels.party, `${unit.name}（${unit.uscc}）`);
	const shown = list.find((x) => x.id === pid).labels.party;
	assert.equal(shown, `${person.name}（${person.id_number}）`);
	assert.match(shown, /\*/, 'the ID number masked');
	assert.equal((await env.get(`${CASES}/${pid}`, officer)).json.labels.party, shown);
	// the id stays the value; another county sees neither the case nor the subject
	assert.equal((await env.get(`${CASES}/${pid}`, coord)).json.data.party, person.id);
	assert.equal((await env.get(`${CASES}/${pid}`, coordB)).status, 404);
});

test('the subjects search finds a person by the whole ID number (never by a part of it)', async () => {
	const full = '330282198503121233'; // 张三 (fixture)
	const found = (await env.get(`/api/v1/subjects?q=${full}`, coord)).json.items;
	assert.deepEqual(found.map((x) => x.name), ['张三']);
	assert.ok(!JSON.stringify(found).includes(full), 'the list shows it masked');
	assert.equal((await env.get('/api/v1/subjects?q=19850312', coord)).json.total, 0);
	assert.equal((await env.get(`/api/v1/subjects?q=${full}`, coordB)).json.total, 0, 'outside the scope: nothing');
});

test('each proof is listed with the step it was added in; ?verify=1 checks its digest on disk', async () => {
	const id = await open();
	const base = `${CASES}/${id}`;
	const pdf = (t) => Buffer.from(`%PDF-1.4\n% ${t}\n%%EOF\n`);
	const up = (name, t) => env.req('POST', `${base}/attachments?${new URLSearchParams({ filename: name })}`,
		{ sess: officer, body: pdf(t), contentType: 'application/pdf' });
	const a = await up('立案审批表.pdf', '立案');
	assert.equal(a.status, 201, a.text);
	assert.equal((await env.post(`${base}/transitions`, officer, { transition: 'file' })).status, 200);
	const b = await up('询问笔录.pdf', '询问');
	assert.equal(b.status, 201, b.text);
	let items = (await env.get(`${base}/attachments`, coord)).json.items;
	assert.deepEqual(items.map((x) => [x.filename, x.state]), [['立案审批表.pdf', 'received'], ['询问笔录.pdf', 'filed']]);
	assert.equal(items[0].verified, undefined, 'checked only on request');
	// a replacement stays with the step of the file it replaces
	const rep = await env.req('PUT', `${base}/attachments/${a.json.id}?${new URLSearchParams({ filename: '立案审批表（更正）.pdf', reason: '缺页' })}`,
		{ sess: officer, body: pdf('立案更正'), contentType: 'application/pdf' });
	assert.equal(rep.status, 200, rep.text);
	items = (await env.get(`${base}/attachments?verify=1`, coord)).json.items;
	const byName = Object.fromEntries(items.map((x) => [x.filename, x]));
	assert.equal(byName['立案审批表（更正）.pdf'].state, 'received');
	assert.deepEqual(items.filter((x) => x.status === 'current').map((x) => x.verified), [true, true]);
	assert.equal(byName['立案审批表.pdf'].verified, undefined, 'a replaced file is not checked');
	// damaged on disk: listed as not verified
	const dir = PG ? join(env.dir, 'fazhi.files') : env.dbPath + '.files';
	const d = b.json.sm3;
	writeFileSync(join(dir, d.slice(0, 2), d.slice(2, 4), d), Buffer.from('damaged'));
	items = (await env.get(`${base}/attachments?verify=1`, coord)).json.items;
	assert.equal(items.find((x) => x.id === b.json.id).verified, false);
	assert.equal(items.find((x) => x.filename === '立案审批表（更正）.pdf').verified, true);
});
