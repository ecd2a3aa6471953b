// modules.test.mjs — a register is added by adding files: its definition
// (data/registers/NAME.json) and, only for rules no declaration can say,
// src/domain/NAME/. No C outside its own folder names a register; a
// definition the server has never seen (FAZHI_REGISTERS_DIR) is listed,
// created, moved through its transitions and counted, with no other change.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';

import { defaultUsers, expectError, setup } from './harness.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const registers = readdirSync(join(ROOT, 'data/registers')).filter((f) => f.endsWith('.json'))
	.map((f) => JSON.parse(readFileSync(join(ROOT, 'data/registers', f), 'utf8')).name);

function sources(dir) {
	return readdirSync(dir).flatMap((f) => {
		const p = join(dir, f);
		return statSync(p).isDirectory() ? sources(p) : /\.[ch]$/.test(f) ? [p] : [];
	});
}

test('no C file outside src/domain/NAME/ names a register (its name anywhere: code, strings, comments)', () => {
	const found = [];
	for (const file of sources(join(ROOT, 'src'))) {
		const rel = relative(ROOT, file);
		const lines = readFileSync(file, 'utf8').split('\n');
		for (const name of registers) {
			if (rel.startsWith(`src/domain/${name}/`))
				continue;
			lines.forEach((l, i) => { if (l.includes(name)) found.push(`${rel}:${i + 1}: ${name}`); });
		}
	}
	assert.ok(registers.length >= 2, 'the shipped definitions are read');
	assert.deepEqual(found, []);
});

test('China time is computed in one place (src/core/cntime.c): no other file adds the offset or reads the local zone', () => {
	const found = [];
	for (const file of sources(join(ROOT, 'src'))) {
		const rel = relative(ROOT, file);
		if (rel === 'src/core/cntime.c' || rel === 'src/core/cntime.h')
			continue;
		readFileSync(file, 'utf8').split('\n').forEach((l, i) => {
			if (/8 \* 3600|28800|localtime|mktime\(/.test(l)) found.push(`${rel}:${i + 1}: ${l.trim()}`);
		});
	}
	assert.deepEqual(found, []);
});

test('every src/domain/ folder is named after a definition', () => {
	const folders = readdirSync(join(ROOT, 'src/domain')).filter((f) => statSync(join(ROOT, 'src/domain', f)).isDirectory());
	assert.ok(folders.length >= 2);
	for (const f of folders)
		assert.ok(registers.includes(f), `src/domain/${f}/ has no data/registers/${f}.json`);
});

// A register the server has never seen: 12345 热线 requests, declared only.
const hotline = {
	name: 'hotline', label: '热线诉求', title_field: 'subject',
	fields: [
		{ name: 'subject', label: '诉求内容', type: 'text', required: true, max: 500 },
		{ name: 'answer', label: '办理结果', type: 'text', max: 1000 },
		// a link to another register, declared in the definition
		{ name: 'item', label: '转办的整改事项', type: 'ref', register: 'rectification' },
	],
	states: [{ name: 'open', label: '待办理', initial: true }, { name: 'working', label: '办理中' }, { name: 'done', label: '已办结', final: true }],
	transitions: [
		{ name: 'take', label: '签收', from: ['open'], to: 'working' },
		{ name: 'finish', label: '办结', from: ['working'], to: 'done', require: ['answer'] },
	],
	deadline: { kind: 'working_days', days: 5, basis: '演示：热线诉求 5 个工作日内办结' },
	metrics: [
		{ name: 'hotline.received', label: '受理件数', date: 'start' },
		{ name: 'hotline.closed_on_time', label: '按期办结件数', date: 'start', states: ['done'], on_time: true },
	],
};

let env, dir, coord, dept;
before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'fazhi-regs-'));
	writeFileSync(join(dir, 'hotline.json'), JSON.stringify(hotline));
	env = await setup({ users: defaultUsers(), serve: false });
	env.env.FAZHI_REGISTERS_DIR = dir;
	await env.start();
	coord = await env.login('coord');
	dept = await env.login('dept_a');
});
after(async () => {
	await env?.close();
	rmSync(dir, { recursive: true, force: true });
});

test('a definition alone: listed, created, moved through its transitions, counted', async () => {
	const defs = await env.get('/api/v1/registers', coord);
	const def = defs.json.items.find((d) => d.name === 'hotline');
	assert.ok(def, 'listed beside the shipped ones');
	assert.deepEqual(def.transitions.map((t) => t.name), ['take', 'finish']);
	const REC = '/api/v1/registers/hotline/records';
	const made = await env.post(REC, dept, { body: 'B330282-SCJG', data: { subject: '小区路灯不亮' } });
	assert.equal(made.status, 201, made.text);
	const id = made.json.id;
	assert.match(made.json.due_date, /^\d{4}-\d{2}-\d{2}$/);
	assert.equal((await env.post(`${REC}/${id}/transitions`, dept, { transition: 'take' })).status, 200);
	expectError(assert, await env.post(`${REC}/${id}/transitions`, dept, { transition: 'finish' }), 422, 'invalid', 'answer');
	const done = await env.post(`${REC}/${id}/transitions`, dept, { transition: 'finish', data: { answer: '已修复' } });
	assert.equal(done.status, 200, done.text);
	assert.equal(done.json.state, 'done');
	const list = await env.get(`${REC}?state=done`, coord);
	assert.equal(list.json.total, 1);
	const metrics = await env.fazhi(['metrics', 'rebuild', '--db', env.uri]);
	assert.equal(metrics.code, 0, metrics.stderr);
});

test('a link to another register: the id of a record the writer may see, checked on write', async () => {
	const REC = '/api/v1/registers/hotline/records';
	const item = await env.post('/api/v1/registers/rectification/records', coord, { body: 'B330282-SCJG',
		data: { source: '其他', issue: '热线反映的路灯问题', deadline: '2099-01-01' } });
	assert.equal(item.status, 201, item.text);
	const other = await env.post('/api/v1/registers/rectification/records', coord, { body: 'B330281-SCJG',
		data: { source: '其他', issue: '另一县的事项', deadline: '2099-01-01' } });
	assert.equal(other.status, 201, other.text);
	const ok = await env.post(REC, dept, { body: 'B330282-SCJG', data: { subject: '路灯', item: item.json.id } });
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.json.data.item, item.json.id);
	expectError(assert, await env.post(REC, dept, { body: 'B330282-SCJG', data: { subject: '路灯', item: 99999999 } }), 422, 'invalid', 'item');
	expectError(assert, await env.post(REC, dept, { body: 'B330282-SCJG', data: { subject: '路灯', item: 'x' } }), 422, 'invalid', 'item');
	// another county's record is not there for this user (no probing by id)
	const r = await env.post(REC, dept, { body: 'B330282-SCJG', data: { subject: '路灯', item: other.json.id } });
	expectError(assert, r, 422, 'invalid', 'item');
	assert.match(r.json.error.message, /不在您的管辖范围内/);
});

test('the timeline names people by their names, not their login names', async () => {
	await env.addUser({ username: 'clerk_wang', role: 'department', scope: '330282', bodies: ['B330282-SCJG'], name: '王晓明' });
	const clerk = await env.login('clerk_wang');
	const made = await env.post('/api/v1/registers/hotline/records', clerk, { body: 'B330282-SCJG', data: { subject: '井盖缺失' } });
	assert.equal(made.status, 201, made.text);
	const rec = await env.get(`/api/v1/registers/hotline/records/${made.json.id}`, coord);
	assert.equal(rec.json.timeline[0].actor, '王晓明');
	assert.ok(!JSON.stringify(rec.json.timeline).includes('clerk_wang'), 'no login name');
});

test('a link to a register that does not exist stops the server at start', async () => {
	const bad = { ...hotline, fields: [...hotline.fields.slice(0, 2), { name: 'item', label: '关联', type: 'ref', register: 'nosuch' }] };
	writeFileSync(join(dir, 'hotline.json'), JSON.stringify(bad));
	const r = await env.fazhi(['serve', '--db', env.uri, '--listen', '127.0.0.1:1'], { env: { FAZHI_REGISTERS_DIR: dir }, timeout: 20000 });
	assert.notEqual(r.code, 0);
	assert.match(r.stderr, /没有名为 nosuch 的登记簿/);
	writeFileSync(join(dir, 'hotline.json'), JSON.stringify(hotline));
});

test('a definition that breaks a rule stops the server at start, naming the file and the rule', async () => {
	writeFileSync(join(dir, 'hotline.json'), JSON.stringify({ ...hotline, receives_gaps: { source_field: 'subject' } }));
	const r = await env.fazhi(['serve', '--db', env.uri, '--listen', '127.0.0.1:1'], { env: { FAZHI_REGISTERS_DIR: dir }, timeout: 20000 });
	assert.notEqual(r.code, 0);
	assert.match(r.stderr, /hotline\.json: receives_gaps/);
	writeFileSync(join(dir, 'hotline.json'), JSON.stringify(hotline));
});
