// Runs console.test.mjs against the development mock (mock-server.mjs) on a
// free local port, with the mock's demo credentials. Needs web/dist built.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMockServer } from './mock-server.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const server = await startMockServer(0)
const url = `http://127.0.0.1:${server.address().port}`
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', path.join(here, 'console.test.mjs')], {
  stdio: 'inherit',
  env: {
    ...process.env,
    FAZHI_URL: url,
    FAZHI_USER: process.env.FAZHI_USER || 'demo',
    FAZHI_PASSWORD: process.env.FAZHI_PASSWORD || 'Demo@2024',
    FAZHI_SUBJECT_QUERY: process.env.FAZHI_SUBJECT_QUERY || '云栖',
  },
})
child.on('exit', (code, signal) => {
  server.close()
  process.exit(code ?? (signal ? 1 : 0))
})
