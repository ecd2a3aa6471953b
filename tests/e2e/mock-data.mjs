// Canned data for the development mock of the fazhi API (mock-server.mjs).
// Real GB/T 2260 region codes; USCCs carry a valid GB 32100 check character.
// Development and test only: never part of the product.

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

export function usccCheck(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i]
  return USCC_CHARS[(31 - (sum % 31)) % 31]
}

export function usccValid(s) {
  return /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(s) && usccCheck(s.slice(0, 17)) === s[17]
}

const uscc = (prefix, region, serial) => {
  const body = (prefix + region + String(serial).padStart(9, '0')).slice(0, 17)
  return body + usccCheck(body)
}

export const regions = [
  { code: '330000', name: '浙江省', level: 1, parent: null },
  { code: '330100', name: '杭州市', level: 2, parent: '330000' },
  { code: '330102', name: '上城区', level: 3, parent: '330100' },
  { code: '330105', name: '拱墅区', level: 3, parent: '330100' },
  { code: '330106', name: '西湖区', level: 3, parent: '330100' },
  { code: '330108', name: '滨江区', level: 3, parent: '330100' },
  { code: '330122', name: '桐庐县', level: 3, parent: '330100' },
  { code: '330127', name: '淳安县', level: 3, parent: '330100' },
].map((r, i) => ({ id: i + 1, ...r }))

export const regionName = (code) => regions.find((r) => r.code === code)?.name || ''

// A region's subtree as a code prefix (330100 → "3301").
export const regionPrefix = (code) => code.replace(/(00)+$/, '')

const bodySpecs = [
  ['330100', '杭州市人民政府', 'government'],
  ['330100', '杭州市司法局', 'department'],
  ['330100', '杭州市市场监督管理局', 'department'],
  ['330100', '杭州市生态环境局', 'department'],
  ['330100', '杭州市城市管理局', 'department'],
  ['330100', '杭州市交通运输行政执法队', 'enforcement'],
]
for (const r of regions.filter((x) => x.level === 3)) {
  bodySpecs.push(
    [r.code, `${r.name}人民政府`, 'government'],
    [r.code, `${r.name}司法局`, 'department'],
    [r.code, `${r.name}市场监督管理局`, 'department'],
    [r.code, `${r.name}综合行政执法局`, 'enforcement'],
  )
}
bodySpecs.push(
  ['330106', '西湖区北山街道办事处', 'township'],
  ['330106', '西湖区西溪街道办事处', 'township'],
  ['330106', '西湖区转塘街道办事处', 'township'],
  ['330122', '桐庐县富春江镇人民政府', 'township'],
  ['330127', '淳安县千岛湖镇人民政府', 'township'],
)

export const bodies = bodySpecs.map(([region, name, kind], i) => ({
  id: i + 1,
  code: uscc('11', region, 2000 + i),
  name,
  kind,
  region,
  region_name: regionName(region),
  parent_id: null,
  parent_code: null,
}))

const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'
const given = ['建国', '晓明', '丽华', '志强', '海燕', '文博', '雨婷', '国平', '秀英', '伟', '静', '磊', '敏', '洋', '勇', '娟', '杰', '涛', '芳', '超']
const titles = ['科员', '副科长', '科长', '执法队员', '中队长', '大队长', '副局长']
const statuses = ['active', 'active', 'active', 'active', 'suspended', 'revoked', 'active']

export const people = []
for (let i = 0; i < 46; i++) {
  const body = bodies[(i * 7) % bodies.length]
  const hasCert = i % 9 !== 4
  const year = 2021 + (i % 4)
  const expired = i % 11 === 3
  const status = statuses[i % statuses.length]
  const until = expired ? '2024-06-30' : `${year + 5}-12-31`
  people.push({
    id: i + 1,
    name: surnames[i % surnames.length] + given[(i * 3) % given.length],
    title: titles[i % titles.length],
    body_id: body.id,
    body_name: body.name,
    region: body.region,
    cert_no: hasCert ? `33${String(1000000 + i * 137).padStart(9, '0')}` : null,
    cert_issuer: hasCert ? '浙江省人民政府' : null,
    cert_valid_from: hasCert ? `${year}-01-01` : null,
    cert_valid_until: hasCert ? until : null,
    cert_status: hasCert ? status : null,
    cert_valid: hasCert ? status === 'active' && !expired : false,
  })
}

const enterprises = [
  ['330106', '杭州云栖科技有限公司'],
  ['330106', '杭州西湖龙井茶业有限公司'],
  ['330102', '杭州河坊街餐饮管理有限公司'],
  ['330105', '杭州运河物流有限公司'],
  ['330108', '杭州滨江智能制造有限公司'],
  ['330108', '浙江钱塘数字科技股份有限公司'],
  ['330122', '桐庐富春食品有限公司'],
  ['330127', '淳安千岛湖旅游开发有限公司'],
  ['330100', '浙江钱塘建设集团有限公司'],
  ['330105', '杭州拱宸桥药业连锁有限公司'],
  ['330102', '杭州南宋御街文化传媒有限公司'],
  ['330106', '杭州之江新材料有限公司'],
]
const persons = [
  ['330106', '张伟', '330106********1234'],
  ['330102', '李娜', '330102********002X'],
  ['330122', '王芳', '330122********3321'],
  ['330108', '刘洋', '330108********4518'],
]

export const subjects = [
  ...enterprises.map(([region, name], i) => ({
    kind: 'enterprise',
    name,
    uscc: uscc('91', region, 7100 + i * 13),
    id_number: null,
    region,
  })),
  ...persons.map(([region, name, idm]) => ({ kind: 'person', name, uscc: null, id_number: idm, region })),
].map((s, i) => ({ id: i + 1, ...s, region_name: regionName(s.region) }))

// Demo accounts. Passwords are for the mock only.
export const users = [
  { id: 1, username: 'demo', password: 'Demo@2024', display_name: '周明', role: 'coordinator', scope_region: '330100' },
  { id: 2, username: 'secadmin', password: 'Demo@2024', display_name: '陈安', role: 'secadmin', scope_region: '330100' },
  { id: 3, username: 'auditor', password: 'Demo@2024', display_name: '吴审', role: 'auditor', scope_region: '330100' },
  { id: 4, username: 'sysadmin', password: 'Demo@2024', display_name: '郑维', role: 'sysadmin', scope_region: '330100' },
  { id: 5, username: 'newbie', password: 'Init@1234', display_name: '孙新', role: 'department', scope_region: '330106', must_change_password: true },
  { id: 6, username: 'locked', password: 'Demo@2024', display_name: '钱锁', role: 'officer', scope_region: '330106', locked: true },
  { id: 7, username: 'xihu_sfj', password: 'Demo@2024', display_name: '林法', role: 'legal_reviewer', scope_region: '330106', disabled: true },
].map((u) => ({ bodies: [], locked: false, disabled: false, must_change_password: false, last_login_at: 1763600000, ...u }))

const actions = ['session.login', 'subject.create', 'person.update', 'user.create', 'body.update', 'session.logout', 'user.unlock']
export const audit = []
for (let i = 1; i <= 57; i++) {
  const action = actions[i % actions.length]
  audit.push({
    id: i,
    time: 1763500000 + i * 3600,
    actor: users[i % 4].username,
    ip: `127.0.0.${(i % 5) + 1}`,
    action,
    entity: action.split('.')[0],
    entity_id: String((i % 9) + 1),
    result: i % 13 === 0 ? 'denied' : 'ok',
    detail: i % 13 === 0 ? '权限不足' : '',
    hash: (BigInt(i) * 0x9e3779b97f4a7c15n).toString(16).padStart(16, '0').repeat(4).slice(0, 64),
  })
}
audit.reverse()
