// import.test.mjs — `fazhi import`: JSON Lines, all or nothing, every bad
// line reported by number; the result checked over HTTP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { freshIdNumber, freshUscc, setup, writeTemp } from './harness.mjs';

let env, coord;
before(async () => {
	env = await setup({ users: [{ username: 'coord', role: 'coordinator' }, { username: 'auditor', role: 'auditor' }] });
	coord = await env.login('coord');
});
after(async () => { await env?.close(); });

const jsonl = (...objs) => objs.map((o) => (typeof o === 'string' ? o : JSON.stringify(o))).join('\n') + '\n';

async function count(resource, q) {
	const r = await env.get(`/api/v1/${resource}?q=${encodeURIComponent(q)}`, coord);
	assert.equal(r.status, 200, r.text);
	return r.json.total;
}

const good = () => {
	const u = freshUscc('330281');
	return {
		u,
		subject: { type: 'subject', kind: 'enterprise', uscc: u, name: '余姚市导入测试有限公司', region: '330281' },
		body: { type: 'body', code: 'B330281-IMPORT', name: '余姚市导入测试局', kind: 'department', region: '330281', parent: 'B330281-GOV' },
		person: { type: 'person', name: '导入测试员', body: 'B330281-IMPORT', title: '科员', cert_no: '33028100777', cert_issuer: '浙江省人民政府', cert_valid_from: '2024-01-01', cert_valid_until: '2029-12-31' },
	};
};

test('3 good and 2 bad lines: exit non-zero, both line numbers named, nothing imported', async () => {
	const g = good();
	const badUscc = freshUscc('330281');
	const badId = freshIdNumber('330281');
	const file = writeTemp(env, 'mixed.jsonl', jsonl(
		g.subject,
		{ type: 'subject', kind: 'enterprise', uscc: badUscc.slice(0, 17) + (badUscc.at(-1) === '0' ? '1' : '0'), name: '校验位错误公司', region: '330281' },
		g.body,
		{ type: 'subject', kind: 'person', id_number: badId.slice(0, 17) + (badId.at(-1) === '0' ? '1' : '0'), name: '错号', region: '330281' },
		g.person,
	));
	const r = await env.fazhi(['import', '--db', env.uri, file]);
	assert.notEqual(r.code, 0, `import must fail: ${r.stdout}`);
	assert.match(r.stderr, /第 2 行[^\n]*uscc/, r.stderr);
	assert.match(r.stderr, /第 4 行[^\n]*id_number/, r.stderr);
	assert.doesNotMatch(r.stderr, /第 [135] 行/, 'good lines are not reported');
	assert.match(r.stderr, /未导入任何记录/);
	assert.ok(!r.stderr.includes(badId), 'the ID number is not echoed');

	// Nothing of the good lines reached the store.
	assert.equal(await count('subjects', g.u), 0);
	assert.equal(await count('bodies', 'B330281-IMPORT'), 0);
	assert.equal(await count('people', '导入测试员'), 0);
	const imports = await env.audit({ action: 'import' });
	assert.equal(imports.length, 1, 'only the fixture import is audited');
});

test('a good file imports with exit 0; records visible over HTTP; the import is audited', async () => {
	const g = good();
	const idn = freshIdNumber('330281');
	const file = writeTemp(env, 'good.jsonl', jsonl(g.subject, g.body, '', g.person,
		{ type: 'subject', kind: 'person', id_number: idn, name: '导入自然人', region: '330281' }));
	const r = await env.fazhi(['import', '--db', env.uri, file]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /机关 bodies 1, 人员 people 1, 相对人 subjects 2/);
	assert.equal(await count('subjects', g.u), 1);
	assert.equal(await count('bodies', 'B330281-IMPORT'), 1);
	const people = await env.get('/api/v1/people?q=33028100777', coord);
	assert.equal(people.json.total, 1);
	assert.equal(people.json.items[0].body_name, '余姚市导入测试局');
	assert.equal(people.json.items[0].cert_status, 'active', 'cert_status defaults to active');
	const pid = await env.idOf('subjects', { q: '导入自然人' }, coord);
	assert.equal((await env.get(`/api/v1/subjects/${pid}`, coord)).json.id_number, idn, 'sealed with the store key, readable by the server');
	const imports = await env.audit({ action: 'import' });
	assert.equal(imports.length, 2);
	const d = JSON.parse(imports[0].detail);
	assert.deepEqual({ regions: d.regions, bodies: d.bodies, people: d.people, subjects: d.subjects }, { regions: 0, bodies: 1, people: 1, subjects: 2 });
	assert.match(d.sm3, /^[0-9a-f]{64}$/);
	assert.equal(imports[0].actor, 'cli');
});

test('importing the same file again: conflicts reported, nothing changes', async () => {
	const before = (await env.get('/api/v1/subjects', coord)).json.total;
	const r = await env.fazhi(['import', '--db', env.uri, writeTemp(env, 'again.jsonl', jsonl(
		{ type: 'subject', kind: 'enterprise', uscc: freshUscc('330282'), name: '新公司甲', region: '330282' },
		{ type: 'body', code: 'B330281-IMPORT', name: '重复机关', kind: 'department', region: '330281' },
	))]);
	assert.notEqual(r.code, 0);
	assert.match(r.stderr, /第 2 行[^\n]*B330281-IMPORT/, r.stderr);
	assert.equal((await env.get('/api/v1/subjects', coord)).json.total, before);
	assert.equal(await count('subjects', '新公司甲'), 0);
});

test('broken lines: bad JSON, bad UTF-8, unknown type, unknown field — each named', async () => {
	const lines = [
		JSON.stringify({ type: 'region', code: '330283', name: '奉化区', parent: '330200' }),
		'{"type":"subject",',
		Buffer.concat([Buffer.from('{"type":"subject","kind":"enterprise","name":"'), Buffer.from([0xff]), Buffer.from('","region":"330282"}')]),
		JSON.stringify({ type: 'planet', name: '火星' }),
		JSON.stringify({ type: 'body', code: 'B1', name: '甲', kind: 'department', region: '330282', colour: 'red' }),
		'[1,2,3]',
	];
	const file = writeTemp(env, 'broken.jsonl', Buffer.concat(lines.map((l) => Buffer.concat([Buffer.from(l), Buffer.from('\n')]))));
	const r = await env.fazhi(['import', '--db', env.uri, file]);
	assert.notEqual(r.code, 0);
	for (const n of [2, 3, 4, 5, 6]) assert.match(r.stderr, new RegExp(`第 ${n} 行`), `line ${n}: ${r.stderr}`);
	assert.doesNotMatch(r.stderr, /第 1 行/);
	assert.match(r.stderr, /colour/);
	const regions = await env.get('/api/v1/regions?q=330283', coord);
	assert.equal(regions.json.total, 0, 'the good region line was not imported');
});

test('import from stdin; a missing file fails cleanly', async () => {
	const u = freshUscc('330282');
	const r = await env.fazhi(['import', '--db', env.uri, '-'], { input: jsonl({ type: 'subject', kind: 'enterprise', uscc: u, name: '标准输入公司', region: '330282' }) });
	assert.equal(r.code, 0, r.stderr);
	assert.equal(await count('subjects', u), 1);
	const miss = await env.fazhi(['import', '--db', env.uri, env.dir + '/nope.jsonl']);
	assert.notEqual(miss.code, 0);
	assert.match(miss.stderr, /nope\.jsonl/);
});
