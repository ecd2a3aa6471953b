// totp.test.mjs — a business user enrols an authenticator app from the
// console (/api/v1/me/totp): a secret with its otpauth URI and QR code, a
// confirming code, one-time recovery codes (stored only as digests); from
// then on the login needs a code or a recovery code, each accepted once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { PASSWORD, expectError, setup, totpCode } from './harness.mjs';

let env;
before(async () => { env = await setup({ fixture: false, users: [{ username: 'alice', role: 'evaluator' }, { username: 'auditor', role: 'auditor' }] }); });
after(async () => { await env?.close(); });

test('enrolment: secret, otpauth URI and QR code; a wrong code is refused; the right one gives recovery codes', async () => {
	const s = await env.login('alice');
	assert.equal(s.user.totp_enabled, false);
	assert.equal(s.user.totp_required, false);
	const start = await env.post('/api/v1/me/totp', s, {});
	assert.equal(start.status, 200, start.text);
	assert.match(start.json.otpauth_uri, /^otpauth:\/\/totp\/fazhi:alice\?secret=[A-Z2-7]{32}&issuer=fazhi$/);
	assert.equal(start.json.otpauth_uri.split('secret=')[1].split('&')[0], start.json.secret);
	assert.match(start.json.qr, /^data:image\/svg\+xml;base64,/);
	const svg = Buffer.from(start.json.qr.split(',')[1], 'base64').toString('utf8');
	assert.match(svg, /^<svg [^>]*viewBox="0 0 \d+ \d+"/);
	assert.ok(svg.includes('<path'), 'modules drawn');
	// Not on yet: login without a code still works.
	await env.login('alice');

	expectError(assert, await env.post('/api/v1/me/totp/confirm', s, { code: '000000' === totpCode(start.json.secret) ? '111111' : '000000' }),
		422, 'invalid', 'code');
	const ok = await env.post('/api/v1/me/totp/confirm', s, { code: totpCode(start.json.secret) });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.recovery_codes.length, 10);
	for (const c of ok.json.recovery_codes) assert.match(c, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
	// Stored only as digests.
	const stored = await env.sql('SELECT code_digest FROM recovery_codes');
	for (const c of ok.json.recovery_codes) assert.ok(!stored.includes(c) && !stored.includes(c.replace('-', '')));
	env.setTotp('alice', start.json.secret);
	env.totpLast.alice = Math.floor(Date.now() / 30000); // the confirming code's step is spent
	env.recovery = ok.json.recovery_codes;
	const audit = await env.audit({ action: 'totp_enable', result: 'ok' });
	assert.equal(audit.length, 1);
	assert.equal(audit[0].actor, 'alice');
});

test('an enrolled user needs a code; a recovery code works once in its place', async () => {
	expectError(assert, await env.tryLogin('alice', PASSWORD, { totp: null }), 401, 'totp_required', 'totp');
	const me = await env.login('alice');
	assert.equal(me.user.totp_enabled, true);
	const code = env.recovery[0];
	const viaRecovery = await env.tryLogin('alice', PASSWORD, { totp: code.toLowerCase() });
	assert.equal(viaRecovery.status, 200, viaRecovery.text);
	expectError(assert, await env.tryLogin('alice', PASSWORD, { totp: code }), 401, 'invalid_credentials');
	expectError(assert, await env.tryLogin('alice', PASSWORD, { totp: 'AAAAA-AAAAA' }), 401, 'invalid_credentials');
	const used = await env.audit({ action: 'login', result: 'ok', actor: 'alice' });
	assert.ok(used.some((e) => JSON.parse(e.detail || 'null')?.second_factor === 'recovery_code'), JSON.stringify(used));
});

test('a business user may turn it off with the password; an administrator may not', async () => {
	const s = await env.login('alice');
	expectError(assert, await env.post('/api/v1/me/totp/disable', s, { password: 'Wrong-Pass1x' }), 422, 'invalid', 'password');
	const off = await env.post('/api/v1/me/totp/disable', s, { password: PASSWORD });
	assert.equal(off.status, 204, off.text);
	const plain = await env.tryLogin('alice', PASSWORD, { totp: null });
	assert.equal(plain.status, 200, plain.text);
	const aud = await env.login('auditor');
	expectError(assert, await env.post('/api/v1/me/totp/disable', aud, { password: 'whatever-1A' }), 403, 'forbidden');
	assert.equal(aud.user.totp_required, true);
});
