// draws.test.mjs — 双随机 draws (docs/draws.md): a fresh demo holds one
// run draw whose seed's SM3 was committed first; `fazhi draw verify`
// re-runs every draw from its revealed seed and exits 0; a changed stored
// result or a revealed seed that is not the committed one makes it exit
// non-zero naming the draw.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setup } from './harness.mjs';

let env;
before(async () => {
	env = await setup({ fixture: false, users: [], serve: false });
	const demo = await env.fazhi(['demo', '--db', env.uri, '--enterprises', '300', '--persons', '20', '--officers', '300']);
	assert.equal(demo.code, 0, demo.stderr);
});
after(async () => { await env?.close(); });

const verify = (...more) => env.fazhi(['draw', 'verify', '--db', env.uri, ...more]);

test('a fresh demo has a run draw with most enterprises graded A or B', async () => {
	const row = (await env.sql('SELECT id, population, length(seed_hash), revealed_at IS NOT NULL FROM draws')).trim();
	const [id, population, hashLen, revealed] = row.split('|');
	assert.equal(id, '1');
	assert.equal(Number(population), 300);
	assert.equal(hashLen, '64');
	assert.ok(['1', 't', 'true'].includes(revealed), row);
	assert.equal(Number(await env.sql('SELECT COUNT(*) FROM draw_picks WHERE draw_id = 1')), 20);
	assert.equal(Number(await env.sql('SELECT COUNT(*) FROM draw_picks WHERE inspector1 = inspector2')), 0);
	const ab = Number(await env.sql("SELECT COUNT(*) FROM subjects WHERE kind = 'enterprise' AND credit_grade IN ('A', 'B')"));
	const cd = Number(await env.sql("SELECT COUNT(*) FROM subjects WHERE kind = 'enterprise' AND credit_grade IN ('C', 'D')"));
	assert.ok(ab > 5 * cd && cd > 0, `${ab} ${cd}`);
});

test('`fazhi draw verify` reproduces the result, and refuses a tampered one naming the draw', async () => {
	let r = await verify();
	assert.equal(r.code, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /抽查 1：重新抽取 20 家企业及其执法检查人员，与记录一致/);
	r = await verify('--draw', '1');
	assert.equal(r.code, 0, r.stdout + r.stderr);

	const last = 'SELECT MAX(subject_id) FROM draw_picks';
	const was = (await env.sql(last)).trim();
	const other = (await env.sql(`SELECT MIN(id) FROM subjects WHERE kind = 'enterprise' AND id NOT IN (SELECT subject_id FROM draw_picks)`)).trim();
	await env.sql(`UPDATE draw_picks SET subject_id = ${other} WHERE subject_id = ${was}`);
	r = await verify();
	assert.notEqual(r.code, 0);
	assert.match(r.stdout, /抽查 1 不一致：/);
	await env.sql(`UPDATE draw_picks SET subject_id = ${was} WHERE subject_id = ${other}`);
	assert.equal((await verify()).code, 0);

	await env.sql("UPDATE draws SET seed = 'chosen-afterwards' WHERE id = 1");
	r = await verify('--draw', '1');
	assert.notEqual(r.code, 0);
	assert.match(r.stdout, /抽查 1 不一致：公开的种子与事先公布的种子哈希不符/);

	r = await verify('--draw', 'x');
	assert.equal(r.code, 2);
});
