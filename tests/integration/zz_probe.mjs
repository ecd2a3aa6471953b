import { setup } from './harness.mjs';
const env = await setup();
try {
  const coord = await env.login('coord');
  const r1 = await env.get('/api/v1/registers', coord);
  console.log(r1.status, JSON.stringify(r1.json).slice(0, 600));
  let r = await env.post('/api/v1/registers/proposal/records', coord, { body: 'B330282-SCJG', start_date: '2026-01-05', data: { kind: '人大代表建议', number: 'A1', title: 't1', proposer: 'p' } });
  console.log(r.status, r.text);
  const id = r.json.id;
  r = await env.post(`/api/v1/registers/proposal/records/${id}/transitions`, coord, { transition: 'reply', data: { reply: 'ok' } });
  console.log(r.status, r.text.slice(0,300));
  r = await env.post(`/api/v1/registers/proposal/records/${id}/transitions`, coord, { transition: 'close', data: { satisfaction: '满意' } });
  console.log(r.status, r.text);
  r = await env.get('/api/v1/evaluation?region=330282&period=2026', coord);
  console.log(r.status, JSON.stringify({ ...r.json, indicators: r.json.indicators.filter(i => i.id.startsWith('7.27') || i.id.startsWith('1.1')) }, null, 1));
  r = await env.get('/api/v1/evaluation/drill?metric=proposal.received&region=330282&period=2026', coord);
  console.log(r.status, r.text);
  console.log((await env.fazhi(['eval', '--db', env.uri, '--region', '330282', '--period', '2026', '--json'])).stdout.slice(0, 1500));
} finally { await env.close(); }
