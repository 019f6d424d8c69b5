import {
  aumBandOf,
  type CustomerTier,
  demoCustomerValue,
  isValidResidentId,
  type Role,
} from '@serviceloop/domain';
import { sql } from 'drizzle-orm';
import { appendAudit } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import { customers, customerValues, orgUnits, users } from '../db/schema.ts';
import { hashPassword } from '../identity/passwords.ts';
import { newId } from '../ids.ts';

export const DEMO_PASSWORD = 'ServiceLoop2026';

interface UnitSpec {
  readonly code: string;
  readonly kind: 'head_office' | 'region' | 'branch' | 'department';
  readonly name: string;
  readonly nameEn: string;
  readonly parent?: string;
  readonly timeZone?: string;
  readonly address?: string;
}

const units: readonly UnitSpec[] = [
  {
    code: 'HQ',
    kind: 'head_office',
    name: '总行',
    nameEn: 'Head Office',
    timeZone: 'Asia/Shanghai',
    address: '北京市西城区金融大街1号',
  },
  {
    code: 'HQ-CSC',
    kind: 'department',
    name: '客户服务中心',
    nameEn: 'Customer Service Centre',
    parent: 'HQ',
  },
  { code: 'HQ-OPS', kind: 'department', name: '运营管理部', nameEn: 'Operations', parent: 'HQ' },
  { code: 'HQ-QA', kind: 'department', name: '服务质量管理部', nameEn: 'Service Quality', parent: 'HQ' },
  { code: 'NORTH', kind: 'region', name: '华北区域', nameEn: 'North Region', parent: 'HQ' },
  { code: 'EAST', kind: 'region', name: '华东区域', nameEn: 'East Region', parent: 'HQ' },
  {
    code: 'BJ-CY',
    kind: 'branch',
    name: '北京朝阳支行',
    nameEn: 'Beijing Chaoyang Branch',
    parent: 'NORTH',
    address: '北京市朝阳区建国路88号',
  },
  {
    code: 'BJ-HD',
    kind: 'branch',
    name: '北京海淀支行',
    nameEn: 'Beijing Haidian Branch',
    parent: 'NORTH',
    address: '北京市海淀区中关村大街27号',
  },
  {
    code: 'SH-PD',
    kind: 'branch',
    name: '上海浦东支行',
    nameEn: 'Shanghai Pudong Branch',
    parent: 'EAST',
    address: '上海市浦东新区世纪大道100号',
  },
  {
    code: 'SH-XH',
    kind: 'branch',
    name: '上海徐汇支行',
    nameEn: 'Shanghai Xuhui Branch',
    parent: 'EAST',
    address: '上海市徐汇区漕溪北路18号',
  },
  { code: 'BJ-CY-PB', kind: 'department', name: '个人金融部', nameEn: 'Personal Banking', parent: 'BJ-CY' },
  { code: 'BJ-CY-CB', kind: 'department', name: '公司业务部', nameEn: 'Corporate Banking', parent: 'BJ-CY' },
  { code: 'SH-PD-PB', kind: 'department', name: '个人金融部', nameEn: 'Personal Banking', parent: 'SH-PD' },
];

interface StaffSpec {
  readonly username: string;
  readonly displayName: string;
  readonly unit: string;
  readonly roles: readonly Role[];
}

function branchStaff(code: string, prefix: string, names: readonly string[]): StaffSpec[] {
  const u = code.toLowerCase();
  const list: StaffSpec[] = [
    { username: `${u}.manager`, displayName: `${names[0]}(行长)`, unit: code, roles: ['branch_manager'] },
    { username: `${u}.lobby`, displayName: `${names[1]}(大堂经理)`, unit: code, roles: ['lobby_manager'] },
    { username: `${u}.teller1`, displayName: `${names[2]}(柜员)`, unit: code, roles: ['teller'] },
    { username: `${u}.teller2`, displayName: `${names[3]}(柜员)`, unit: code, roles: ['teller'] },
    { username: `${u}.teller3`, displayName: `${names[4]}(柜员)`, unit: code, roles: ['teller'] },
    { username: `${u}.cm`, displayName: `${names[5]}(客户经理)`, unit: code, roles: ['customer_manager'] },
    {
      username: `${u}.complaints`,
      displayName: `${names[6]}(投诉处理)`,
      unit: code,
      roles: ['complaint_handler'],
    },
  ];
  return list.map((s) => ({ ...s, displayName: `${prefix}${s.displayName}` }));
}

const staff: readonly StaffSpec[] = [
  { username: 'admin', displayName: '系统管理员', unit: 'HQ', roles: ['administrator'] },
  // The customer service centre works across every branch (escalations end there), so its scope is the bank.
  { username: 'hq.service', displayName: '总行客服中心 周敏', unit: 'HQ', roles: ['complaint_handler'] },
  // Stands in for the service director: the authority table's head-office tier (no upper limit) is the branch-manager role at head office.
  { username: 'hq.director', displayName: '总行服务总监 钱立', unit: 'HQ', roles: ['branch_manager'] },
  { username: 'hq.quality', displayName: '总行质量管理 吴静', unit: 'HQ-QA', roles: ['quality_supervisor'] },
  { username: 'hq.ops', displayName: '运营管理部 郑强', unit: 'HQ-OPS', roles: ['back_office'] },
  { username: 'north.manager', displayName: '华北区域 王建国', unit: 'NORTH', roles: ['branch_manager'] },
  { username: 'east.quality', displayName: '华东区域 冯丽', unit: 'EAST', roles: ['quality_supervisor'] },
  ...branchStaff('BJ-CY', '', ['刘洋', '陈晨', '李娜', '张伟', '王芳', '赵磊', '孙丽']),
  ...branchStaff('BJ-HD', '', ['杨帆', '黄磊', '周杰', '徐静', '朱琳', '胡军', '郭敏']),
  ...branchStaff('SH-PD', '', ['何平', '高翔', '林琳', '罗斌', '梁爽', '宋佳', '唐宁']),
  ...branchStaff('SH-XH', '', ['韩冰', '曹阳', '许诺', '邓超', '冯雪', '曾科', '彭程']),
  { username: 'bj-cy.backoffice', displayName: '公司业务部 谢涛', unit: 'BJ-CY-CB', roles: ['back_office'] },
];

/** A small deterministic PRNG: the demo bank is the same on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const surnames =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢';
const given = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '国强',
  '志明',
  '晓东',
  '雪梅',
  '海燕',
  '文博',
  '子涵',
];
const companies = [
  '华信科技有限公司',
  '东方物流股份有限公司',
  '长城建材有限公司',
  '新世纪贸易有限公司',
  '金桥电子有限公司',
  '恒通制造有限公司',
  '蓝海餐饮管理有限公司',
  '瑞丰农业发展有限公司',
  '天成医药有限公司',
  '嘉禾文化传媒有限公司',
];

function residentId(rand: () => number, region: string, birth: string): string {
  for (;;) {
    const seq = String(Math.floor(rand() * 1000)).padStart(3, '0');
    const body = `${region}${birth.replaceAll('-', '')}${seq}`;
    for (const c of '0123456789X') if (isValidResidentId(body + c)) return body + c;
  }
}

export async function isDatabaseEmpty(ctx: ServerContext): Promise<boolean> {
  const rows = await ctx.database.rows<{ n: number }>(sql`select count(*)::int as n from org_units`);
  return (rows[0]?.n ?? 0) === 0;
}

export interface SeedSummary {
  readonly orgUnits: number;
  readonly staff: number;
  readonly customers: number;
}

/** The demo bank: head office, 2 regions, 4 branches, staff for every role, 200 customers. */
export async function seedDemo(ctx: ServerContext, customerCount = 200): Promise<SeedSummary> {
  const now = ctx.clock();
  const rand = mulberry32(20261122);
  const passwordHashes = await Promise.all(staff.map(() => hashPassword(DEMO_PASSWORD)));
  await ctx.db.transaction(async (tx) => {
    const byCode = new Map<string, { id: string; path: string; depth: number; timeZone: string }>();
    for (const spec of units) {
      const id = newId();
      const parent = spec.parent ? byCode.get(spec.parent) : undefined;
      const path = `${parent?.path ?? '/'}${id}/`;
      const timeZone = spec.timeZone ?? parent?.timeZone ?? 'Asia/Shanghai';
      byCode.set(spec.code, { id, path, depth: (parent?.depth ?? -1) + 1, timeZone });
      await tx.insert(orgUnits).values({
        id,
        parentId: parent?.id ?? null,
        kind: spec.kind,
        code: spec.code,
        name: spec.name,
        nameEn: spec.nameEn,
        timeZone,
        address: spec.address ?? null,
        path,
        depth: (parent?.depth ?? -1) + 1,
        active: true,
        createdAt: now,
        updatedAt: now,
      });
    }
    const userIds = new Map<string, string>();
    await tx.insert(users).values(
      staff.map((s, i) => {
        const id = newId();
        userIds.set(s.username, id);
        return {
          id,
          username: s.username,
          displayName: s.displayName,
          passwordHash: passwordHashes[i] as string,
          orgUnitId: (byCode.get(s.unit) as { id: string }).id,
          roles: [...s.roles],
          locale: 'zh-CN',
          active: true,
          failedAttempts: 0,
          createdAt: now,
          updatedAt: now,
        };
      }),
    );
    const branches = units.filter((u) => u.kind === 'branch').map((u) => u.code);
    const regions: Record<string, string> = {
      'BJ-CY': '110105',
      'BJ-HD': '110108',
      'SH-PD': '310115',
      'SH-XH': '310104',
    };
    const rows: (typeof customers.$inferInsert)[] = [];
    for (let i = 0; i < customerCount; i++) {
      const branch = branches[i % branches.length] as string;
      const r = rand();
      const tier = r < 0.05 ? 'vip' : r < 0.2 ? 'major' : r < 0.7 ? 'ordinary' : 'small';
      const company = rand() < 0.1;
      const managed = tier === 'vip' || tier === 'major';
      const cm = managed ? userIds.get(`${branch.toLowerCase()}.cm`) : undefined;
      const no = `C${String(i + 1).padStart(8, '0')}`;
      if (company) {
        const name = companies[Math.floor(rand() * companies.length)] as string;
        const level = tier === 'vip' ? '1A' : tier === 'major' ? '2A' : tier === 'ordinary' ? '3B' : '5B';
        rows.push({
          id: newId(),
          customerNo: no,
          kind: 'company',
          name: `${branch.startsWith('BJ') ? '北京' : '上海'}${name.replace('有限公司', '')}${i}有限公司`,
          idType: 'uscc',
          idNumber: `91${regions[branch]}MA${String(1000000 + i).slice(1)}X${i % 10}`,
          phone: `010${String(60000000 + Math.floor(rand() * 9999999))}`,
          email: `finance${i}@example.com`,
          tier,
          serviceLevel: level,
          homeBranchId: (byCode.get(branch) as { id: string }).id,
          accountManagerId: cm ?? null,
          createdAt: now,
          updatedAt: now,
        });
      } else {
        const surname = surnames[Math.floor(rand() * surnames.length)] as string;
        const name = `${surname}${given[Math.floor(rand() * given.length)]}`;
        // A fifth of personal customers are 65+: the kiosk's elderly priority has people to serve.
        const year = rand() < 0.2 ? 1940 + Math.floor(rand() * 20) : 1960 + Math.floor(rand() * 45);
        const birth = `${year}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
        const level =
          tier === 'vip' ? 'diamond' : tier === 'major' ? 'gold' : tier === 'ordinary' ? 'silver' : 'basic';
        rows.push({
          id: newId(),
          customerNo: no,
          kind: 'person',
          name,
          idType: 'resident_id',
          idNumber: residentId(rand, regions[branch] as string, birth),
          phone: `1${['38', '39', '50', '86', '37', '58'][Math.floor(rand() * 6)]}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`,
          birthDate: birth,
          tier,
          serviceLevel: level,
          homeBranchId: (byCode.get(branch) as { id: string }).id,
          accountManagerId: cm ?? null,
          createdAt: now,
          updatedAt: now,
        });
      }
    }
    await tx.insert(customers).values(rows);
    // Holdings summary and profit contribution per customer, plausible for the tier (own random
    // stream, so the customers themselves stay the same as before values existed).
    const valueRand = mulberry32(20261123);
    await tx.insert(customerValues).values(
      rows.map((row) => {
        const v = demoCustomerValue(row.tier as CustomerTier, valueRand);
        return {
          customerId: row.id,
          ...v,
          aumBand: aumBandOf(v.depositsMinor + v.investmentsMinor),
          currency: 'CNY',
          asOf: now.toISOString().slice(0, 10),
          updatedAt: now,
          updatedBy: null,
        };
      }),
    );
    await tx.execute(sql`select setval('customer_no_seq', ${customerCount})`);
    await appendAudit(
      tx,
      ctx.clock,
      { userId: null, name: 'system' },
      {
        action: 'system.demo_seeded',
        orgUnitId: (byCode.get('HQ') as { id: string }).id,
        details: { orgUnits: units.length, staff: staff.length, customers: customerCount },
      },
    );
  });
  return { orgUnits: units.length, staff: staff.length, customers: customerCount };
}

export const demoUsers = staff.map((s) => ({ username: s.username, roles: s.roles, unit: s.unit }));
