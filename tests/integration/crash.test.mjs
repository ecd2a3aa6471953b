// crash.test.mjs — durability the way trusted databases test it: writers
// run while the server is killed with SIGKILL at random moments and
// restarted; every write that was acknowledged (201) must be there
// afterwards, once; the store passes its integrity check (SQLite) and the
// audit chain still verifies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PG, freshUscc, setup } from './harness.mjs';

const CYCLES = 6;
const WRITERS = 4;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('SIGKILL during parallel writes: every acknowledged write survives, the store and the audit chain are whole', async () => {
	const env = await setup({ users: [{ username: 'coord', role: 'coordinator' }] });
	try {
		const acked = new Set();
		for (let cycle = 0; cycle < CYCLES; cycle++) {
			const sess = await env.login('coord');
			let stop = false;
			const writer = async () => {
				while (!stop) {
					const uscc = freshUscc('330282');
					try {
						const r = await env.post('/api/v1/subjects', sess,
							{ kind: 'enterprise', name: `断电测试企业${uscc.slice(-6)}`, uscc, region: '330282' });
						if (r.status === 201) acked.add(uscc);
					} catch { /* the server died under this request: not acknowledged */ }
				}
			};
			const writers = Array.from({ length: WRITERS }, writer);
			await sleep(150 + Math.floor(Math.random() * 400));
			env.child.kill('SIGKILL');
			await env.exited;
			stop = true;
			await Promise.all(writers);
			await env.start();
		}
		assert.ok(acked.size > 20, `writes were acknowledged between the kills (${acked.size})`);
		const rows = (await env.sql("SELECT uscc FROM subjects WHERE name LIKE '断电测试企业%'")).split('\n').filter(Boolean);
		const stored = new Set(rows);
		const lost = [...acked].filter((u) => !stored.has(u));
		assert.deepEqual(lost, [], `acknowledged writes lost after ${CYCLES} kills`);
		assert.equal(rows.length, stored.size, 'no write stored twice');
		if (!PG)
			assert.equal(await env.sql('PRAGMA integrity_check'), 'ok');
		const v = await env.fazhi(['audit', 'verify', '--db', env.uri]);
		assert.equal(v.code, 0, `audit verify after the kills: ${v.stdout}${v.stderr}`);
	} finally {
		await env.close();
	}
});
