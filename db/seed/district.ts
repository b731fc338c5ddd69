/**
 * The demo district, 商贸社区 in 禹州: a pure, deterministic generator. It returns plain rows
 * (explicit ids included) and touches no database, so tests can recompute every count.
 *
 * Layout (viewBox 0 0 1000 700): 8 grids in a 4×2 arrangement of 250×350 rectangles that tile
 * the map (G1..G4 on top, left to right; G5..G8 below); each grid holds 2×2 micro-grids of
 * 125×175 (1 top-left, 2 top-right, 3 bottom-left, 4 bottom-right). 19 straight streets
 * (10 horizontal, 9 vertical) cross the district; storefronts line both sides of each street
 * (odd numbers on the north or west side, even numbers on the south or east side).
 */
import type {
  businesses,
  businessMembers,
  categories,
  gridContacts,
  grids,
  MapPoint,
  microGrids,
  places,
  stalls,
  storefronts,
  streets,
} from "../schema/directory";
import type { appMeta, userRoles, users } from "../schema/accounts";
import type { claimCodes } from "../schema/claims";
import { hashClaimCode, normalizeClaimCode } from "../../shared/secrets.server";
import { createRandom, type Random } from "./random";
import {
  DEMO_CLAIM_CODES,
  DEMO_GRID_WORKER_MICRO_GRID,
  DEMO_GRID_WORKER_NAME,
  DEMO_OWNER_NAMES,
  DEMO_SHOP_NAME,
  DEMO_STALL_NAME,
  DEMO_USERS,
  DISTRICT_COUNTS,
  MAP_HEIGHT,
  MAP_WIDTH,
  SEED_META_KEY,
  SEED_RANDOM_SEED,
  SEED_VERSION,
} from "./demo";

type WithId<T> = Omit<T, "id"> & { id: number };

export type CategoryRow = typeof categories.$inferInsert;
export type StreetRow = WithId<typeof streets.$inferInsert>;
export type GridRow = WithId<typeof grids.$inferInsert>;
export type MicroGridRow = WithId<typeof microGrids.$inferInsert>;
export type GridContactRow = WithId<typeof gridContacts.$inferInsert>;
export type StorefrontRow = WithId<typeof storefronts.$inferInsert>;
export type StallRow = WithId<typeof stalls.$inferInsert>;
export type PlaceRow = WithId<typeof places.$inferInsert>;
export type BusinessRow = WithId<typeof businesses.$inferInsert>;
export type BusinessMemberRow = typeof businessMembers.$inferInsert;
/** The password hash is added by the seed: argon2 is slow and this module stays synchronous. */
export type UserRow = Omit<typeof users.$inferInsert, "passwordHash">;
export type UserRoleRow = typeof userRoles.$inferInsert;
export type ClaimCodeRow = WithId<typeof claimCodes.$inferInsert>;
export type AppMetaRow = typeof appMeta.$inferInsert;

export interface District {
  categories: CategoryRow[];
  streets: StreetRow[];
  grids: GridRow[];
  microGrids: MicroGridRow[];
  users: UserRow[];
  userRoles: UserRoleRow[];
  gridContacts: GridContactRow[];
  storefronts: StorefrontRow[];
  stalls: StallRow[];
  places: PlaceRow[];
  businesses: BusinessRow[];
  businessMembers: BusinessMemberRow[];
  claimCodes: ClaimCodeRow[];
  appMeta: AppMetaRow[];
}

// ---------------------------------------------------------------------------------------------
// Geometry

export const GRID_COLUMNS = 4;
export const GRID_ROWS = 2;
export const GRID_WIDTH = MAP_WIDTH / GRID_COLUMNS; // 250
export const GRID_HEIGHT = MAP_HEIGHT / GRID_ROWS; // 350
export const MICRO_GRID_WIDTH = GRID_WIDTH / 2; // 125
export const MICRO_GRID_HEIGHT = GRID_HEIGHT / 2; // 175

function rectangle(x0: number, y0: number, x1: number, y1: number): MapPoint[] {
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
}

/** Whether a point lies inside an axis-aligned rectangle given as a polygon (edges included). */
export function rectangleContains(boundary: readonly MapPoint[], x: number, y: number): boolean {
  const xs = boundary.map((p) => p[0]);
  const ys = boundary.map((p) => p[1]);
  return x >= Math.min(...xs) && x <= Math.max(...xs) && y >= Math.min(...ys) && y <= Math.max(...ys);
}

/** The micro-grid code (`G3-2`) of a point inside the district, else null. */
export function microGridCodeAt(x: number, y: number): string | null {
  if (!(x >= 0 && x < MAP_WIDTH && y >= 0 && y < MAP_HEIGHT)) return null;
  const column = Math.floor(x / GRID_WIDTH);
  const row = Math.floor(y / GRID_HEIGHT);
  const grid = row * GRID_COLUMNS + column + 1;
  const microColumn = Math.floor((x - column * GRID_WIDTH) / MICRO_GRID_WIDTH);
  const microRow = Math.floor((y - row * GRID_HEIGHT) / MICRO_GRID_HEIGHT);
  return `G${grid}-${microRow * 2 + microColumn + 1}`;
}

/** The seeded id of micro-grid `G<g>-<m>`: (g − 1) × 4 + m. */
export function microGridIdOf(code: string): number {
  const match = /^G([1-8])-([1-4])$/.exec(code);
  if (!match) throw new Error(`not a micro-grid code: ${code}`);
  return (Number(match[1]) - 1) * 4 + Number(match[2]);
}

export function microGridIdAt(x: number, y: number): number {
  const code = microGridCodeAt(x, y);
  if (!code) throw new Error(`point (${x}, ${y}) is outside the district`);
  return microGridIdOf(code);
}

/** Keeps a coordinate off the grid lines (so no point sits on two micro-grids) and inside the map. */
function settle(value: number, step: number, max: number): number {
  let v = Math.round(value * 10) / 10;
  const offset = v - Math.round(v / step) * step;
  if (Math.abs(offset) < 1) v = Math.round(v / step) * step + (offset < 0 ? -1 : 1);
  return Math.min(max - 2, Math.max(2, v));
}

function settlePoint(x: number, y: number): [number, number] {
  return [settle(x, MICRO_GRID_WIDTH, MAP_WIDTH), settle(y, MICRO_GRID_HEIGHT, MAP_HEIGHT)];
}

// ---------------------------------------------------------------------------------------------
// Fixed facts

const CATEGORY_LIST = [
  { code: "food", nameZh: "美食", nameEn: "Food", sort: 1 },
  { code: "clothing", nameZh: "服饰", nameEn: "Clothing", sort: 2 },
  { code: "general", nameZh: "百货", nameEn: "General goods", sort: 3 },
  { code: "toys", nameZh: "玩具", nameEn: "Toys", sort: 4 },
  { code: "jun_porcelain", nameZh: "钧瓷", nameEn: "Jun porcelain", sort: 5 },
  { code: "tea", nameZh: "茶叶", nameEn: "Tea", sort: 6 },
  { code: "herbs", nameZh: "中药材", nameEn: "Medicinal herbs", sort: 7 },
  { code: "hardware", nameZh: "五金", nameEn: "Hardware", sort: 8 },
  { code: "electronics", nameZh: "家电数码", nameEn: "Appliances & electronics", sort: 9 },
  { code: "beauty", nameZh: "理发美容", nameEn: "Hair & beauty", sort: 10 },
  { code: "grocery", nameZh: "生鲜果蔬", nameEn: "Fresh produce", sort: 11 },
  { code: "pharmacy", nameZh: "药店", nameEn: "Pharmacy", sort: 12 },
] as const satisfies readonly CategoryRow[];

export type CategoryCode = (typeof CATEGORY_LIST)[number]["code"];

/** Stalls sell only these. */
export const STALL_CATEGORIES = ["food", "clothing", "general", "toys"] as const;

interface StreetDef {
  code: string;
  zh: string;
  en: string;
  /** Horizontal (`at` is y) or vertical (`at` is x). */
  dir: "h" | "v";
  at: number;
  from: number;
  to: number;
  /** Storefronts per unit of length, relative to the other streets. */
  density: number;
}

const STREET_DEFS: StreetDef[] = [
  { code: "ST01", zh: "药城路", en: "Yaocheng Road", dir: "v", at: 40, from: 20, to: 680, density: 1.2 },
  { code: "ST02", zh: "颍川路", en: "Yingchuan Road", dir: "h", at: 230, from: 20, to: 980, density: 1.1 },
  { code: "ST03", zh: "禹王大道", en: "Yuwang Avenue", dir: "h", at: 400, from: 20, to: 980, density: 1.2 },
  { code: "ST04", zh: "钧州大街", en: "Junzhou Street", dir: "h", at: 145, from: 280, to: 980, density: 1.2 },
  { code: "ST05", zh: "建设路", en: "Jianshe Road", dir: "h", at: 470, from: 300, to: 980, density: 1 },
  { code: "ST06", zh: "向阳路", en: "Xiangyang Road", dir: "h", at: 670, from: 380, to: 980, density: 0.9 },
  { code: "ST07", zh: "滨河路", en: "Binhe Road", dir: "h", at: 35, from: 20, to: 980, density: 0.8 },
  { code: "ST08", zh: "光明路", en: "Guangming Road", dir: "h", at: 95, from: 20, to: 700, density: 0.9 },
  { code: "ST09", zh: "人民路", en: "Renmin Road", dir: "h", at: 575, from: 20, to: 980, density: 1.1 },
  { code: "ST10", zh: "文化路", en: "Wenhua Road", dir: "h", at: 625, from: 20, to: 640, density: 0.9 },
  { code: "ST11", zh: "商贸街", en: "Shangmao Street", dir: "h", at: 300, from: 160, to: 860, density: 1.5 },
  { code: "ST12", zh: "八一路", en: "Bayi Road", dir: "v", at: 310, from: 20, to: 680, density: 1 },
  { code: "ST13", zh: "书院街", en: "Shuyuan Street", dir: "v", at: 440, from: 20, to: 680, density: 1 },
  { code: "ST14", zh: "府前街", en: "Fuqian Street", dir: "v", at: 560, from: 60, to: 680, density: 1 },
  { code: "ST15", zh: "瓷都路", en: "Cidu Road", dir: "v", at: 690, from: 20, to: 680, density: 1 },
  { code: "ST16", zh: "椿树街", en: "Chunshu Street", dir: "v", at: 815, from: 120, to: 680, density: 0.9 },
  { code: "ST17", zh: "东关大街", en: "Dongguan Street", dir: "v", at: 940, from: 20, to: 680, density: 1 },
  { code: "ST18", zh: "古钧路", en: "Gujun Road", dir: "v", at: 190, from: 20, to: 680, density: 1 },
  { code: "ST19", zh: "老城街", en: "Laocheng Street", dir: "v", at: 110, from: 250, to: 680, density: 1 },
];

const streetIdByCode = new Map(STREET_DEFS.map((s, i) => [s.code, i + 1]));
function streetId(code: string): number {
  const id = streetIdByCode.get(code);
  if (id === undefined) throw new Error(`unknown street ${code}`);
  return id;
}

const GRID_COLOURS = ["#cfe3ff", "#d3f0cf", "#fff1b0", "#e4d8f6", "#ffdcb5", "#ffd3d3", "#c8eeea", "#fbd5e8"];
const ZH_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八"];

// ---------------------------------------------------------------------------------------------
// People

const SURNAMES: readonly (readonly [string, number])[] = [
  ["王", 9],
  ["李", 9],
  ["张", 9],
  ["刘", 7],
  ["陈", 6],
  ["杨", 5],
  ["赵", 4],
  ["黄", 3],
  ["周", 3],
  ["吴", 3],
  ["徐", 3],
  ["孙", 3],
  ["胡", 2],
  ["朱", 2],
  ["高", 3],
  ["林", 1],
  ["何", 2],
  ["郭", 3],
  ["马", 3],
  ["罗", 1],
  ["梁", 2],
  ["宋", 2],
  ["郑", 2],
  ["谢", 1],
  ["韩", 2],
  ["唐", 1],
  ["冯", 2],
  ["于", 1],
  ["董", 2],
  ["程", 1],
  ["曹", 2],
  ["袁", 1],
  ["邓", 1],
  ["许", 2],
  ["沈", 1],
  ["彭", 1],
  ["吕", 1],
  ["苏", 1],
  ["卢", 1],
  ["蒋", 1],
  ["蔡", 1],
  ["贾", 2],
  ["丁", 1],
  ["魏", 2],
  ["薛", 1],
  ["叶", 1],
  ["阎", 1],
  ["杜", 1],
  ["夏", 1],
  ["田", 2],
  ["任", 1],
  ["范", 1],
  ["方", 1],
  ["石", 1],
  ["姚", 1],
  ["孔", 1],
  ["白", 1],
  ["崔", 1],
  ["康", 1],
  ["毛", 1],
  ["秦", 1],
  ["史", 1],
  ["侯", 1],
  ["孟", 1],
  ["段", 1],
  ["雷", 1],
  ["常", 1],
  ["武", 1],
  ["乔", 1],
  ["牛", 1],
  ["申", 1],
  ["岳", 1],
];

const GIVEN_NAMES = [
  "伟",
  "芳",
  "娜",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "霞",
  "平",
  "刚",
  "鹏",
  "飞",
  "红",
  "华",
  "辉",
  "斌",
  "波",
  "宁",
  "琳",
  "萍",
  "秀英",
  "桂英",
  "建华",
  "国强",
  "红梅",
  "志刚",
  "海燕",
  "晓东",
  "玉兰",
  "春生",
  "秋菊",
  "德明",
  "新民",
  "建军",
  "淑芬",
  "金凤",
  "振华",
  "宏伟",
  "小红",
  "永强",
  "文博",
  "俊杰",
  "雪梅",
  "丽娟",
  "国庆",
  "卫东",
  "保国",
  "爱民",
  "素珍",
  "凤英",
  "长青",
  "自强",
  "亚楠",
  "晓燕",
  "志远",
  "书华",
  "明亮",
  "秀兰",
];

function personName(r: Random): string {
  return r.weighted(SURNAMES) + r.pick(GIVEN_NAMES);
}

/** Mobile numbers: every generated number is distinct and none is a demo account's. */
class PhoneBook {
  private readonly used = new Set<string>(Object.values(DEMO_USERS).map((u) => u.phone));
  constructor(private readonly r: Random) {}
  next(prefixes: readonly string[]): string {
    for (;;) {
      const prefix = this.r.pick(prefixes);
      const phone = prefix + String(this.r.int(10_000_000, 99_999_999));
      if (phone.startsWith("1380000") || this.used.has(phone)) continue;
      this.used.add(phone);
      return phone;
    }
  }
}

/** Contacts' phones are public by design; they live in the 139 range. */
const CONTACT_PREFIXES = ["139"];
/** Businesses use other prefixes, never 138 (the demo accounts' range) nor 139. */
const BUSINESS_PREFIXES = [
  "130",
  "131",
  "132",
  "133",
  "134",
  "135",
  "136",
  "137",
  "150",
  "151",
  "152",
  "153",
  "155",
  "156",
  "157",
  "158",
  "159",
  "166",
  "173",
  "177",
  "180",
  "181",
  "182",
  "183",
  "185",
  "186",
  "187",
  "188",
  "189",
  "191",
  "199",
];

// ---------------------------------------------------------------------------------------------
// Business names

type Hours = readonly [number, number];

interface Core {
  /** The part of the name after the prefix. */
  name: string;
  /** What it sells; the description names two of these. */
  items: readonly string[];
  /** Day hours, when they differ from the category's. */
  hours?: readonly Hours[];
}

interface CategoryRecipe {
  /** How many of the district's shops are of this category, relative to the others. */
  weight: number;
  /** Word prefixes; `{S}` is replaced with a surname. */
  prefixes: readonly string[];
  cores: readonly Core[];
  hours: readonly Hours[];
  taglines: readonly string[];
}

const COMMON_TAGLINES = [
  "价格实惠，欢迎新老顾客光临",
  "本地老字号，诚信经营",
  "支持微信、支付宝付款",
  "童叟无欺，品质保证",
  "周边可送货上门",
  "开业十多年，街坊都熟悉",
];

const BREAKFAST: readonly Hours[] = [
  [360, 810],
  [330, 780],
];

const SHOP_RECIPES: Record<CategoryCode, CategoryRecipe> = {
  food: {
    weight: 22,
    prefixes: [
      "老{S}",
      "{S}记",
      "{S}家",
      "禹州",
      "钧都",
      "颍川",
      "老城",
      "福满楼",
      "香满园",
      "好运来",
      "豫味",
      "老街坊",
    ],
    cores: [
      { name: "烩面馆", items: ["河南烩面", "羊肉烩面", "凉菜", "卤味拼盘"] },
      { name: "拉面馆", items: ["牛肉拉面", "手工拉面", "凉拌小菜", "卤蛋"] },
      { name: "刀削面", items: ["刀削面", "炸酱面", "凉拌菜", "卤蛋"] },
      { name: "胡辣汤", items: ["胡辣汤", "水煎包", "豆腐脑", "油条"], hours: BREAKFAST },
      { name: "饺子馆", items: ["手工水饺", "酸汤饺子", "凉菜", "家常小炒"] },
      { name: "羊肉汤馆", items: ["羊肉汤", "牛肉汤", "烧饼", "凉菜"] },
      { name: "家常菜馆", items: ["家常炒菜", "河南蒸菜", "砂锅", "米饭套餐"] },
      { name: "包子铺", items: ["灌汤包", "素包子", "小米粥", "豆浆"], hours: BREAKFAST },
      { name: "卤肉店", items: ["五香卤肉", "卤猪蹄", "卤豆干", "凉拌菜"] },
      { name: "米线", items: ["过桥米线", "酸辣粉", "麻辣烫", "小吃"] },
      { name: "蒸面馆", items: ["河南蒸面", "鸡蛋汤", "凉菜", "卤蛋"] },
      { name: "黄焖鸡", items: ["黄焖鸡米饭", "砂锅", "凉菜", "饮料"] },
    ],
    hours: [
      [480, 1260],
      [600, 1290],
      [540, 1260],
    ],
    taglines: ["二十年老店", "现做现卖，干净卫生", "量大实惠，欢迎堂食外带", ...COMMON_TAGLINES],
  },
  clothing: {
    weight: 14,
    prefixes: [
      "靓丽",
      "时尚",
      "雅韵",
      "衣恋",
      "锦绣",
      "潮流",
      "名品",
      "金丝",
      "阳光",
      "依人",
      "佳丽",
      "新潮",
      "红袖",
      "美衣",
      "都市",
      "尚品",
    ],
    cores: [
      { name: "服饰", items: ["女装", "男装", "休闲装", "配饰"] },
      { name: "服装店", items: ["休闲装", "中老年服装", "工装", "外套"] },
      { name: "女装", items: ["时尚女装", "连衣裙", "外套", "毛衣"] },
      { name: "男装", items: ["商务男装", "夹克", "衬衫", "休闲裤"] },
      { name: "童装", items: ["童装", "儿童鞋帽", "校服", "婴儿服"] },
      { name: "鞋店", items: ["皮鞋", "运动鞋", "布鞋", "拖鞋"] },
      { name: "布艺", items: ["窗帘", "床上用品", "布料", "沙发套"] },
      { name: "内衣店", items: ["内衣", "家居服", "袜子", "保暖衣"] },
      { name: "时装店", items: ["时装", "外套", "配饰", "围巾"] },
    ],
    hours: [
      [540, 1260],
      [570, 1290],
    ],
    taglines: ["款式新颖，价格公道", "每周上新", ...COMMON_TAGLINES],
  },
  general: {
    weight: 10,
    prefixes: [
      "鑫源",
      "万家",
      "利民",
      "惠民",
      "永兴",
      "恒泰",
      "便民",
      "福源",
      "金盛",
      "兴隆",
      "{S}记",
      "好邻居",
      "汇丰",
      "家家乐",
    ],
    cores: [
      { name: "百货", items: ["日用百货", "洗化用品", "厨房用品", "床上用品"] },
      { name: "日杂店", items: ["锅碗瓢盆", "扫帚拖把", "收纳用品", "日用杂货"] },
      { name: "超市", items: ["烟酒副食", "饮料零食", "日用百货", "粮油调料"] },
      { name: "便利店", items: ["饮料零食", "烟酒副食", "日用品", "速食"] },
      { name: "杂货铺", items: ["日用杂货", "五金小件", "文具", "针线纽扣"] },
      { name: "商行", items: ["烟酒批发", "副食品", "日用百货", "礼品"] },
    ],
    hours: [
      [480, 1260],
      [450, 1290],
    ],
    taglines: ["批发零售", ...COMMON_TAGLINES],
  },
  toys: {
    weight: 4,
    prefixes: ["童趣", "乐乐", "开心", "小天使", "贝贝", "欢乐", "七彩", "宝贝", "快乐星", "童心", "咪咪", "小博士"],
    cores: [
      { name: "玩具", items: ["益智玩具", "遥控车", "毛绒玩具", "积木"] },
      { name: "玩具店", items: ["毛绒玩具", "拼图", "积木", "玩具枪"] },
      { name: "文具玩具", items: ["文具", "益智玩具", "贴纸", "书包"] },
      { name: "益智玩具", items: ["益智玩具", "拼装模型", "魔方", "桌游"] },
      { name: "玩具城", items: ["儿童自行车", "遥控车", "毛绒玩具", "积木"] },
    ],
    hours: [
      [540, 1260],
      [570, 1290],
    ],
    taglines: ["品种齐全，孩子喜欢", ...COMMON_TAGLINES],
  },
  jun_porcelain: {
    weight: 8,
    prefixes: ["禹州", "神垕", "钧韵", "宋钧", "古钧", "荣昌", "钧都", "大宋", "瓷都", "窑变", "钧艺", "天工", "{S}氏"],
    cores: [
      { name: "钧瓷坊", items: ["钧瓷花瓶", "钧瓷茶具", "钧瓷摆件", "钧瓷礼品定制"] },
      { name: "钧瓷馆", items: ["大师钧瓷", "钧瓷茶具", "钧瓷收藏品", "钧瓷摆件"] },
      { name: "钧瓷行", items: ["钧瓷批发", "钧瓷花瓶", "窑变釉茶杯", "钧瓷礼品"] },
      { name: "钧瓷艺术馆", items: ["钧瓷艺术品", "钧瓷收藏品", "钧瓷花瓶", "钧瓷茶具"] },
      { name: "钧瓷店", items: ["钧瓷摆件", "钧瓷花瓶", "钧瓷礼品", "窑变釉茶杯"] },
      { name: "钧窑", items: ["钧瓷花瓶", "钧瓷香炉", "窑变釉茶杯", "钧瓷摆件"] },
    ],
    hours: [
      [540, 1110],
      [510, 1080],
    ],
    taglines: ["神垕镇窑口直供", "件件窑变，独一无二", "可定制商务礼品", "欢迎进店品鉴"],
  },
  tea: {
    weight: 6,
    prefixes: ["福记", "信阳", "茗香", "一品", "清心", "禹州", "云雾", "春茗", "{S}记", "御品", "山水", "润心"],
    cores: [
      { name: "茶庄", items: ["信阳毛尖", "西湖龙井", "安溪铁观音", "茶具"] },
      { name: "茶行", items: ["普洱", "红茶", "白茶", "茶叶礼盒"] },
      { name: "茶叶店", items: ["信阳毛尖", "花茶", "红茶", "茶叶礼盒"] },
      { name: "茶社", items: ["茶水", "棋牌", "信阳毛尖", "普洱"] },
      { name: "茶坊", items: ["白茶", "普洱", "茶具", "红茶"] },
    ],
    hours: [
      [510, 1230],
      [540, 1260],
    ],
    taglines: ["新茶上市，欢迎品尝", "可代客包装礼盒", ...COMMON_TAGLINES],
  },
  herbs: {
    weight: 8,
    prefixes: ["百草", "仁和", "同济", "济生", "药都", "神农", "本草", "禹州", "岐黄", "{S}记", "华康", "天成"],
    cores: [
      { name: "药材行", items: ["禹白芷", "禹南星", "金银花", "党参"] },
      { name: "中药材", items: ["禹白附", "山药", "黄芪", "枸杞"] },
      { name: "药材店", items: ["金银花", "菊花", "黄芪", "当归"] },
      { name: "参茸行", items: ["人参", "鹿茸", "西洋参", "灵芝"] },
      { name: "药材商行", items: ["禹白芷", "桔梗", "丹参", "中药饮片"] },
    ],
    hours: [
      [450, 1080],
      [480, 1110],
    ],
    taglines: ["药都老商户，货真价实", "批发零售，量大从优", ...COMMON_TAGLINES],
  },
  hardware: {
    weight: 6,
    prefixes: ["永固", "金鼎", "恒力", "大众", "顺发", "鑫隆", "宏达", "建兴", "{S}记", "兴旺", "长城", "利达"],
    cores: [
      { name: "五金店", items: ["工具", "锁具", "螺丝紧固件", "电线电料"] },
      { name: "五金建材", items: ["油漆涂料", "瓷砖", "水泥", "工具"] },
      { name: "水暖五金", items: ["水暖管件", "水龙头", "阀门", "卫浴"] },
      { name: "电料行", items: ["电线电料", "开关插座", "灯具", "工具"] },
      { name: "五金交电", items: ["电动工具", "电线电料", "锁具", "劳保用品"] },
    ],
    hours: [
      [480, 1140],
      [450, 1110],
    ],
    taglines: ["配件齐全，可上门安装", ...COMMON_TAGLINES],
  },
  electronics: {
    weight: 6,
    prefixes: [
      "星辰",
      "华通",
      "迅达",
      "天宇",
      "联创",
      "佳和",
      "科讯",
      "新时代",
      "金诚",
      "顺达",
      "智联",
      "宏图",
      "蓝天",
    ],
    cores: [
      { name: "家电", items: ["电视冰箱", "洗衣机", "小家电", "空调"] },
      { name: "手机店", items: ["手机", "手机配件", "话费充值", "手机维修"] },
      { name: "数码城", items: ["电脑配件", "手机", "平板", "打印耗材"] },
      { name: "电器行", items: ["空调", "热水器", "小家电", "燃气灶"] },
      { name: "家电维修部", items: ["家电维修", "空调安装", "旧机回收", "配件"] },
      { name: "通讯", items: ["手机", "宽带办理", "手机配件", "话费充值"] },
    ],
    hours: [
      [540, 1260],
      [570, 1290],
    ],
    taglines: ["正品行货，全国联保", "可上门安装维修", ...COMMON_TAGLINES],
  },
  beauty: {
    weight: 6,
    prefixes: [
      "丽人",
      "名剪",
      "靓妆",
      "时光",
      "魅力",
      "发艺",
      "美莎",
      "雅丽",
      "新概念",
      "型男",
      "伊人",
      "潮匠",
      "玉颜",
    ],
    cores: [
      { name: "理发店", items: ["剪发", "男士理发", "洗吹", "刮脸"] },
      { name: "美发沙龙", items: ["剪发", "烫染", "头发护理", "造型"] },
      { name: "美容院", items: ["美容护肤", "面部护理", "化妆", "皮肤管理"] },
      { name: "发型设计", items: ["剪发", "烫染", "造型", "接发"] },
      { name: "美甲店", items: ["美甲", "美睫", "手部护理", "足部护理"] },
    ],
    hours: [
      [540, 1290],
      [600, 1320],
    ],
    taglines: ["老师傅手艺好", "可提前电话预约", ...COMMON_TAGLINES],
  },
  grocery: {
    weight: 6,
    prefixes: ["鲜果", "绿源", "四季", "农家", "果然鲜", "鲜丰", "田园", "百果", "{S}记", "绿野", "丰收", "一品鲜"],
    cores: [
      { name: "果蔬店", items: ["时令水果", "新鲜蔬菜", "鸡蛋", "豆制品"] },
      { name: "生鲜超市", items: ["新鲜蔬菜", "鲜肉", "冷冻食品", "粮油米面"] },
      { name: "水果店", items: ["时令水果", "进口水果", "果篮", "干果"] },
      { name: "蔬菜店", items: ["新鲜蔬菜", "葱姜蒜", "菌菇", "豆制品"] },
      { name: "粮油店", items: ["粮油米面", "杂粮", "调料", "禹州粉条"] },
      { name: "鲜肉店", items: ["鲜猪肉", "牛羊肉", "鸡鸭", "排骨"] },
    ],
    hours: [
      [390, 1260],
      [360, 1230],
    ],
    taglines: ["每天早上进货，保证新鲜", ...COMMON_TAGLINES],
  },
  pharmacy: {
    weight: 4,
    prefixes: ["仁心", "济民", "同仁", "康宁", "益寿", "百姓", "惠康", "安康", "健民", "福寿", "国泰", "仁济"],
    cores: [
      { name: "大药房", items: ["常用药品", "中成药", "保健品", "医疗器械"] },
      { name: "药店", items: ["常用药品", "医疗器械", "血压计", "口罩"] },
      { name: "药房", items: ["中成药", "常用药品", "保健品", "计生用品"] },
      { name: "医药超市", items: ["常用药品", "保健品", "医疗器械", "母婴用品"] },
    ],
    hours: [
      [480, 1320],
      [450, 1290],
    ],
    taglines: ["执业药师在岗", "医保定点", ...COMMON_TAGLINES],
  },
};

/** Late-night food: these shops open only at night, across midnight. */
const NIGHT_FOOD_CORES: readonly Core[] = [
  { name: "烧烤", items: ["羊肉串", "烤馍片", "烤鸡翅", "啤酒"] },
  { name: "烤串", items: ["羊肉串", "烤面筋", "烤韭菜", "扎啤"] },
  { name: "小龙虾", items: ["麻辣小龙虾", "蒜蓉小龙虾", "烤鱼", "啤酒"] },
  { name: "夜宵大排档", items: ["家常炒菜", "烧烤", "炒面", "扎啤"] },
  { name: "烤鱼", items: ["烤鱼", "烤串", "凉菜", "啤酒"] },
];

const NIGHT_ONLY_HOURS: readonly Hours[] = [
  [1080, 60],
  [1050, 120],
  [1110, 30],
  [1140, 180],
];

/** Shops with night hours, by category: the chance, and their two windows. */
const NIGHT_SHOPS: Partial<Record<CategoryCode, { chance: number; day: Hours; night: Hours }>> = {
  food: { chance: 0.38, day: [600, 840], night: [1020, 60] },
  general: { chance: 0.1, day: [420, 1080], night: [1080, 120] },
  pharmacy: { chance: 0.15, day: [480, 1080], night: [1080, 30] },
};

/** The shop categories with their weights, in the recipes' order, for the random draw. */
const SHOP_CATEGORY_WEIGHTS = Object.entries(SHOP_RECIPES).map(
  ([code, recipe]) => [code as CategoryCode, recipe.weight] as const,
);

type StallCategory = (typeof STALL_CATEGORIES)[number];

const STALL_PREFIXES = [
  "张姐",
  "李哥",
  "老马",
  "王婶",
  "小刘",
  "陈大姐",
  "赵叔",
  "孙姐",
  "杨哥",
  "老周",
  "小吴",
  "郭婶",
  "何姐",
  "高叔",
  "老罗",
  "梁姐",
  "宋哥",
  "小郑",
  "韩姐",
  "唐叔",
  "曹姐",
  "许哥",
  "邓婶",
  "冯姐",
  "袁哥",
  "老蒋",
  "小白",
  "阿芳",
  "二妮",
  "大刚",
  "胖嫂",
  "老田",
];

const STALL_CORES: Record<"day" | "night", Record<StallCategory, readonly Core[]>> = {
  day: {
    food: [
      { name: "凉皮", items: ["凉皮", "擀面皮", "肉夹馍", "冰粉"] },
      { name: "烧饼", items: ["芝麻烧饼", "肉夹馍", "豆浆", "油饼"] },
      { name: "豆腐脑", items: ["豆腐脑", "胡辣汤", "油条", "菜角"] },
      { name: "煎饼果子", items: ["煎饼果子", "鸡蛋灌饼", "豆浆", "手抓饼"] },
      { name: "菜盒子", items: ["韭菜盒子", "菜角", "小米粥", "咸鸭蛋"] },
      { name: "蒸馍", items: ["手工蒸馍", "花卷", "包子", "粘豆包"] },
      { name: "油条", items: ["油条", "豆浆", "糖糕", "鸡蛋"] },
    ],
    clothing: [
      { name: "袜子鞋垫", items: ["棉袜", "鞋垫", "手套", "袖套"] },
      { name: "平价服装", items: ["T恤", "裤子", "外套", "睡衣"] },
      { name: "童装", items: ["童装", "儿童鞋帽", "围嘴", "袜子"] },
      { name: "帽子围巾", items: ["帽子", "围巾", "手套", "口罩"] },
    ],
    general: [
      { name: "小百货", items: ["针线", "纽扣", "发卡", "剪刀"] },
      { name: "日用杂货", items: ["锅碗瓢盆", "收纳筐", "扫帚", "衣架"] },
      { name: "手机配件", items: ["手机壳", "数据线", "贴膜", "充电宝"] },
      { name: "小饰品", items: ["发饰", "耳环", "钥匙扣", "手链"] },
    ],
    toys: [
      { name: "玩具", items: ["小汽车", "毛绒玩具", "积木", "陀螺"] },
      { name: "气球玩具", items: ["气球", "风车", "泡泡机", "小水枪"] },
      { name: "童玩", items: ["跳绳", "毽子", "弹珠", "沙包"] },
    ],
  },
  night: {
    food: [
      { name: "烤串", items: ["羊肉串", "烤面筋", "烤馍片", "烤肠"] },
      { name: "炒凉粉", items: ["炒凉粉", "炒饼", "炒米", "凉菜"] },
      { name: "臭豆腐", items: ["长沙臭豆腐", "烤肠", "炸串", "饮料"] },
      { name: "铁板鱿鱼", items: ["铁板鱿鱼", "烤冷面", "章鱼小丸子", "烤肠"] },
      { name: "烤冷面", items: ["烤冷面", "手抓饼", "炸鸡柳", "饮料"] },
      { name: "炒面", items: ["炒面", "炒河粉", "炒饼", "蛋炒饭"] },
      { name: "麻辣烫", items: ["麻辣烫", "关东煮", "串串香", "饮料"] },
    ],
    clothing: [
      { name: "潮流T恤", items: ["T恤", "短裤", "帽子", "拖鞋"] },
      { name: "平价服装", items: ["T恤", "裤子", "外套", "睡衣"] },
      { name: "袜子鞋垫", items: ["棉袜", "鞋垫", "拖鞋", "手套"] },
    ],
    general: [
      { name: "小饰品", items: ["发饰", "耳环", "钥匙扣", "手链"] },
      { name: "手机配件", items: ["手机壳", "数据线", "贴膜", "充电宝"] },
      { name: "夜市百货", items: ["小风扇", "收纳盒", "水杯", "雨伞"] },
    ],
    toys: [
      { name: "发光玩具", items: ["发光气球", "荧光棒", "发光风车", "闪光陀螺"] },
      { name: "套圈", items: ["套圈游戏", "小玩偶", "毛绒玩具", "小礼品"] },
      { name: "玩具", items: ["小汽车", "毛绒玩具", "泡泡机", "积木"] },
    ],
  },
};

const STALL_TAGLINES = ["现做现卖", "价格实惠", "摆摊十多年，老顾客多", "欢迎常来", "可扫码付款"];

const STALL_HOURS: Record<"day" | "night", readonly Hours[]> = {
  day: [
    [360, 840],
    [330, 780],
    [390, 810],
    [360, 780],
  ],
  night: [
    [1080, 60],
    [1050, 30],
    [1110, 120],
    [1080, 0],
  ],
};

const STALL_CATEGORY_WEIGHTS: Record<"day" | "night", readonly (readonly [StallCategory, number])[]> = {
  day: [
    ["food", 40],
    ["clothing", 25],
    ["general", 20],
    ["toys", 15],
  ],
  night: [
    ["food", 55],
    ["clothing", 15],
    ["general", 10],
    ["toys", 20],
  ],
};

/** A business's day and night opening hours (either may be missing) as its four columns. */
function openingHours(day: Hours | null, night: Hours | null) {
  return {
    dayOpensAt: day?.[0] ?? null,
    dayClosesAt: day?.[1] ?? null,
    nightOpensAt: night?.[0] ?? null,
    nightClosesAt: night?.[1] ?? null,
  };
}

function describe(r: Random, core: Core, taglines: readonly string[]): string {
  const [main, ...rest] = core.items;
  return `主营${main}、${r.pick(rest)}，${r.pick(taglines)}。`;
}

// ---------------------------------------------------------------------------------------------
// The generator

/** Builds the whole demo district. Pure: the same seed gives exactly the same rows. */
export function buildDistrict(seed: number = SEED_RANDOM_SEED): District {
  const phones = new PhoneBook(createRandom(seed, "phones"));

  // Streets --------------------------------------------------------------------------------
  const streetRows: StreetRow[] = STREET_DEFS.map((s, i) => ({
    id: i + 1,
    code: s.code,
    nameZh: s.zh,
    nameEn: s.en,
    path:
      s.dir === "h"
        ? [
            [s.from, s.at],
            [s.to, s.at],
          ]
        : [
            [s.at, s.from],
            [s.at, s.to],
          ],
    sort: i + 1,
  }));

  // Grids and micro-grids -------------------------------------------------------------------
  const gridRows: GridRow[] = [];
  const microGridRows: MicroGridRow[] = [];
  for (let g = 1; g <= GRID_COLUMNS * GRID_ROWS; g++) {
    const column = (g - 1) % GRID_COLUMNS;
    const row = Math.floor((g - 1) / GRID_COLUMNS);
    const x0 = column * GRID_WIDTH;
    const y0 = row * GRID_HEIGHT;
    gridRows.push({
      id: g,
      code: `G${g}`,
      nameZh: `第${ZH_NUMERALS[g - 1]}网格`,
      nameEn: `Grid ${g}`,
      colour: GRID_COLOURS[g - 1],
      boundary: rectangle(x0, y0, x0 + GRID_WIDTH, y0 + GRID_HEIGHT),
    });
    for (let m = 1; m <= 4; m++) {
      const mx = x0 + ((m - 1) % 2) * MICRO_GRID_WIDTH;
      const my = y0 + Math.floor((m - 1) / 2) * MICRO_GRID_HEIGHT;
      microGridRows.push({
        id: (g - 1) * 4 + m,
        gridId: g,
        code: `G${g}-${m}`,
        nameZh: `第${ZH_NUMERALS[g - 1]}网格第${m}微网格`,
        nameEn: `Grid ${g} · Micro-grid ${m}`,
        boundary: rectangle(mx, my, mx + MICRO_GRID_WIDTH, my + MICRO_GRID_HEIGHT),
      });
    }
  }

  // Accounts --------------------------------------------------------------------------------
  const demoUsers = Object.values(DEMO_USERS);
  const userRows: UserRow[] = demoUsers.map((u) => ({
    id: u.id,
    phone: u.phone,
    displayName: u.displayName,
    locale: "zh-CN",
    // The demo accounts sign in without SMS: their numbers count as proven.
    phoneVerifiedAt: new Date("2026-01-01T00:00:00+08:00"),
  }));
  const userRoleRows: UserRoleRow[] = demoUsers.flatMap((u) =>
    u.roles.map((role) => ({ userId: u.id, role, grantedBy: null })),
  );

  // Grid contacts: a leader and two workers per micro-grid ----------------------------------
  const contactRandom = createRandom(seed, "grid-contacts");
  const gridContactRows: GridContactRow[] = [];
  for (const micro of microGridRows) {
    for (let k = 0; k < 3; k++) {
      const isDemoWorker = micro.code === DEMO_GRID_WORKER_MICRO_GRID && k === 1;
      const name = personName(contactRandom);
      const phone = phones.next(CONTACT_PREFIXES);
      gridContactRows.push({
        id: gridContactRows.length + 1,
        microGridId: micro.id,
        role: k === 0 ? "leader" : "worker",
        name: isDemoWorker ? DEMO_GRID_WORKER_NAME : name,
        phone: isDemoWorker ? DEMO_USERS.gridWorker.phone : phone,
        userId: isDemoWorker ? DEMO_USERS.gridWorker.id : null,
        sort: k,
      });
    }
  }

  // Storefronts along the streets -----------------------------------------------------------
  const storefrontRows = buildStorefronts(createRandom(seed, "storefronts"));

  // Market stalls ---------------------------------------------------------------------------
  const stallRows = buildStalls(createRandom(seed, "stalls"));

  // Places ----------------------------------------------------------------------------------
  const placeRows = buildPlaces();

  // Businesses ------------------------------------------------------------------------------
  const businessRandom = createRandom(seed, "businesses");
  const usedNames = new Set<string>();
  const streetZh = new Map(streetRows.map((s) => [s.id, s.nameZh]));

  const uniqueName = (make: () => string, flavour: (base: string, attempt: number) => string): string => {
    let base = "";
    for (let attempt = 0; attempt < 12; attempt++) {
      base = make();
      if (!usedNames.has(base)) break;
    }
    let name = base;
    for (let attempt = 0; usedNames.has(name); attempt++) name = flavour(base, attempt);
    usedNames.add(name);
    return name;
  };
  const fillPrefix = (prefix: string) => prefix.replace("{S}", businessRandom.weighted(SURNAMES));

  // The shops take 754 distinct storefronts; the other 616 stay vacant.
  const shopStorefronts = businessRandom.shuffle(storefrontRows.map((s) => s.id)).slice(0, DISTRICT_COUNTS.shops);
  const storefrontById = new Map(storefrontRows.map((s) => [s.id, s]));

  const businessRows: BusinessRow[] = [];
  for (let i = 0; i < DISTRICT_COUNTS.shops; i++) {
    const code = `S${String(i + 1).padStart(4, "0")}`;
    const storefront = storefrontById.get(shopStorefronts[i])!;
    const isDemoShop = code === "S0001";
    const category: CategoryCode = isDemoShop ? "food" : businessRandom.weighted(SHOP_CATEGORY_WEIGHTS);
    const recipe = SHOP_RECIPES[category];
    const night = isDemoShop ? undefined : NIGHT_SHOPS[category];
    const hasNight = night !== undefined && businessRandom.chance(night.chance);
    const nightOnly = hasNight && category === "food" && businessRandom.chance(0.6);
    const core: Core = isDemoShop
      ? recipe.cores[0]
      : nightOnly
        ? businessRandom.pick(NIGHT_FOOD_CORES)
        : businessRandom.pick(recipe.cores);
    const name = isDemoShop
      ? DEMO_SHOP_NAME
      : uniqueName(
          () => fillPrefix(businessRandom.pick(recipe.prefixes)) + core.name,
          (base, attempt) =>
            attempt === 0 ? `${base}（${streetZh.get(storefront.streetId)}店）` : `${base}（${storefront.number}号）`,
        );
    if (isDemoShop) usedNames.add(name);
    const description = isDemoShop
      ? "主营河南烩面、凉菜，二十年老店。"
      : describe(businessRandom, core, recipe.taglines);
    let day: Hours | null = businessRandom.pick(core.hours ?? recipe.hours);
    let nightHours: Hours | null = null;
    if (hasNight && night) {
      if (nightOnly) {
        day = null;
        nightHours = businessRandom.pick(NIGHT_ONLY_HOURS);
      } else {
        day = night.day;
        nightHours = night.night;
      }
    }
    const ownerName = DEMO_OWNER_NAMES[code] ?? personName(businessRandom);
    businessRows.push({
      id: i + 1,
      code,
      kind: "shop",
      name,
      categoryCode: category,
      storefrontId: storefront.id,
      stallId: null,
      description,
      ownerName,
      phone: phones.next(BUSINESS_PREFIXES),
      phonePublic: isDemoShop || businessRandom.chance(1 / 3),
      ...openingHours(day, nightHours),
      photoPath: null,
      status: "open",
    });
  }

  for (let i = 0; i < stallRows.length; i++) {
    const stall = stallRows[i];
    const code = `T${String(i + 1).padStart(4, "0")}`;
    const market = stall.market;
    const isDemoStall = code === "T0001";
    const category: StallCategory = isDemoStall ? "food" : businessRandom.weighted(STALL_CATEGORY_WEIGHTS[market]);
    const core = isDemoStall ? STALL_CORES.day.food[0] : businessRandom.pick(STALL_CORES[market][category]);
    const name = isDemoStall
      ? DEMO_STALL_NAME
      : uniqueName(
          () => businessRandom.pick(STALL_PREFIXES) + core.name,
          (base, attempt) => `${base}（${attempt === 0 ? stall.number : `${stall.number}-${attempt}`}摊位）`,
        );
    if (isDemoStall) usedNames.add(name);
    const hours = businessRandom.pick(STALL_HOURS[market]);
    businessRows.push({
      id: DISTRICT_COUNTS.shops + i + 1,
      code,
      kind: "stall",
      name,
      categoryCode: category,
      storefrontId: null,
      stallId: stall.id,
      description: describe(businessRandom, core, STALL_TAGLINES),
      ownerName: DEMO_OWNER_NAMES[code] ?? personName(businessRandom),
      phone: phones.next(BUSINESS_PREFIXES),
      phonePublic: isDemoStall || businessRandom.chance(1 / 3),
      ...openingHours(market === "day" ? hours : null, market === "night" ? hours : null),
      photoPath: null,
      status: "open",
    });
  }

  const businessIdByCode = new Map(businessRows.map((b) => [b.code, b.id]));
  const businessIdOf = (code: string): number => {
    const id = businessIdByCode.get(code);
    if (id === undefined) throw new Error(`unknown business ${code}`);
    return id;
  };

  const businessMemberRows: BusinessMemberRow[] = demoUsers.flatMap((u) =>
    u.memberships.map((m) => ({ businessId: businessIdOf(m.businessCode), userId: u.id, role: m.role })),
  );

  const claimCodeRows: ClaimCodeRow[] = DEMO_CLAIM_CODES.map((c, i) => ({
    id: i + 1,
    businessId: businessIdOf(c.businessCode),
    codeHash: hashClaimCode(c.code),
    hint: normalizeClaimCode(c.code).slice(-4),
    issuedBy: DEMO_USERS.admin.id,
  }));

  return {
    categories: CATEGORY_LIST.map((c) => ({ ...c })),
    streets: streetRows,
    grids: gridRows,
    microGrids: microGridRows,
    users: userRows,
    userRoles: userRoleRows,
    gridContacts: gridContactRows,
    storefronts: storefrontRows,
    stalls: stallRows,
    places: placeRows,
    businesses: businessRows,
    businessMembers: businessMemberRows,
    claimCodes: claimCodeRows,
    appMeta: [{ key: SEED_META_KEY, value: SEED_VERSION }],
  };
}

/** Storefront counts per street, proportional to length × density, summing to exactly 1,370. */
export function storefrontCountsByStreet(): number[] {
  const weights = STREET_DEFS.map((s) => (s.to - s.from) * s.density);
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / total) * DISTRICT_COUNTS.storefronts);
  const counts = exact.map(Math.floor);
  let missing = DISTRICT_COUNTS.storefronts - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (missing-- <= 0) break;
    counts[i]++;
  }
  return counts;
}

/** Distance kept clear around a crossing street, so storefronts do not sit in the road. */
const CROSSING_CLEARANCE = 14;
/** How far a storefront sits from its street's centre line. */
const SIDE_OFFSET = 9;

function buildStorefronts(r: Random): StorefrontRow[] {
  const counts = storefrontCountsByStreet();
  const rows: StorefrontRow[] = [];
  STREET_DEFS.forEach((street, index) => {
    // The usable stretches of the street: its length minus the crossings.
    const crossings = STREET_DEFS.filter(
      (other) =>
        other.dir !== street.dir &&
        other.at > street.from &&
        other.at < street.to &&
        street.at >= other.from - CROSSING_CLEARANCE &&
        street.at <= other.to + CROSSING_CLEARANCE,
    )
      .map((other) => other.at)
      .sort((a, b) => a - b);
    const stretches: [number, number][] = [];
    let start = street.from + 8;
    for (const c of crossings) {
      if (c - CROSSING_CLEARANCE > start) stretches.push([start, c - CROSSING_CLEARANCE]);
      start = Math.max(start, c + CROSSING_CLEARANCE);
    }
    if (street.to - 8 > start) stretches.push([start, street.to - 8]);
    const usable = stretches.reduce((sum, [a, b]) => sum + (b - a), 0);
    const along = (u: number): number => {
      for (const [a, b] of stretches) {
        if (u <= b - a) return a + u;
        u -= b - a;
      }
      return stretches[stretches.length - 1][1];
    };

    const count = counts[index];
    const sides = [Math.ceil(count / 2), Math.floor(count / 2)]; // odd numbers, even numbers
    const street_: StorefrontRow[] = [];
    sides.forEach((perSide, side) => {
      for (let k = 0; k < perSide; k++) {
        const t = along(((k + 0.5) * usable) / perSide) + (r.next() - 0.5) * 3;
        const offset = (side === 0 ? -SIDE_OFFSET : SIDE_OFFSET) + (r.next() - 0.5) * 2;
        const [x, y] = street.dir === "h" ? settlePoint(t, street.at + offset) : settlePoint(street.at + offset, t);
        street_.push({
          id: 0,
          streetId: index + 1,
          number: String(2 * k + 1 + side),
          microGridId: microGridIdAt(x, y),
          x,
          y,
        });
      }
    });
    street_.sort((a, b) => Number(a.number) - Number(b.number));
    for (const s of street_) rows.push({ ...s, id: rows.length + 1 });
  });
  return rows;
}

/** The day market's square: between 商贸街 and 禹王大道, from 书院街 to 府前街. */
export const DAY_MARKET_SQUARE = { x0: 460, y0: 320, x1: 540, y1: 380 } as const;
/** The night market's square: between 建设路 and 人民路, from 瓷都路 to 椿树街. */
export const NIGHT_MARKET_SQUARE = { x0: 712, y0: 492, x1: 800, y1: 560 } as const;

function buildStalls(r: Random): StallRow[] {
  const rows: StallRow[] = [];
  const layout = [
    // 80 day stalls in 8 rows of 10: the north half faces 商贸街, the south half 禹王大道.
    {
      market: "day" as const,
      letter: "A",
      count: DISTRICT_COUNTS.dayStalls,
      columns: 10,
      rows: 8,
      square: DAY_MARKET_SQUARE,
      north: "ST11",
      south: "ST03",
    },
    // 48 night stalls in 6 rows of 8: the north half faces 建设路, the south half 人民路.
    {
      market: "night" as const,
      letter: "B",
      count: DISTRICT_COUNTS.nightStalls,
      columns: 8,
      rows: 6,
      square: NIGHT_MARKET_SQUARE,
      north: "ST05",
      south: "ST09",
    },
  ];
  for (const m of layout) {
    for (let n = 0; n < m.count; n++) {
      const column = n % m.columns;
      const row = Math.floor(n / m.columns);
      const x0 = m.square.x0 + (column * (m.square.x1 - m.square.x0)) / (m.columns - 1) + (r.next() - 0.5);
      const y0 = m.square.y0 + (row * (m.square.y1 - m.square.y0)) / (m.rows - 1) + (r.next() - 0.5);
      const [x, y] = settlePoint(x0, y0);
      rows.push({
        id: rows.length + 1,
        market: m.market,
        number: `${m.letter}${String(n + 1).padStart(2, "0")}`,
        streetId: streetId(row < m.rows / 2 ? m.north : m.south),
        microGridId: microGridIdAt(x, y),
        x,
        y,
      });
    }
  }
  return rows;
}

function buildPlaces(): PlaceRow[] {
  const defs: Omit<PlaceRow, "id" | "microGridId">[] = [
    {
      code: "service_hall",
      kind: "service_hall",
      nameZh: "社区党群服务中心",
      nameEn: "Community Party and Public Service Centre",
      addressZh: "禹王大道与八一路交叉口东南角",
      addressEn: "Southeast corner of Yuwang Avenue and Bayi Road",
      x: 326,
      y: 416,
    },
    {
      code: "rest_stop",
      kind: "rest_stop",
      nameZh: "爱心驿站",
      nameEn: "Caring Rest Stop",
      addressZh: "商贸街与书院街交叉口西北角",
      addressEn: "Northwest corner of Shangmao Street and Shuyuan Street",
      x: 426,
      y: 286,
    },
    {
      code: "library",
      kind: "library",
      nameZh: "社区图书馆（书屋）",
      nameEn: "Community Library (Reading Room)",
      addressZh: "禹王大道与八一路交叉口西北角",
      addressEn: "Northwest corner of Yuwang Avenue and Bayi Road",
      x: 294,
      y: 384,
    },
    {
      code: "studio_a",
      kind: "studio",
      nameZh: "共享直播间A",
      nameEn: "Shared Live Studio A",
      addressZh: "社区党群服务中心二楼201室",
      addressEn: "Room 201, 2nd floor, Community Party and Public Service Centre",
      x: 334,
      y: 422,
    },
    {
      code: "studio_b",
      kind: "studio",
      nameZh: "共享直播间B",
      nameEn: "Shared Live Studio B",
      addressZh: "社区党群服务中心二楼202室",
      addressEn: "Room 202, 2nd floor, Community Party and Public Service Centre",
      x: 342,
      y: 428,
    },
    {
      code: "day_market",
      kind: "market",
      nameZh: "白天集市",
      nameEn: "Day Market",
      addressZh: "商贸街与禹王大道之间，书院街至府前街段",
      addressEn: "Between Shangmao Street and Yuwang Avenue, from Shuyuan Street to Fuqian Street",
      x: (DAY_MARKET_SQUARE.x0 + DAY_MARKET_SQUARE.x1) / 2,
      y: (DAY_MARKET_SQUARE.y0 + DAY_MARKET_SQUARE.y1) / 2,
    },
    {
      code: "night_market",
      kind: "market",
      nameZh: "夜市",
      nameEn: "Night Market",
      addressZh: "建设路与人民路之间，瓷都路至椿树街段",
      addressEn: "Between Jianshe Road and Renmin Road, from Cidu Road to Chunshu Street",
      x: (NIGHT_MARKET_SQUARE.x0 + NIGHT_MARKET_SQUARE.x1) / 2,
      y: (NIGHT_MARKET_SQUARE.y0 + NIGHT_MARKET_SQUARE.y1) / 2,
    },
  ];
  return defs.map((p, i) => {
    const [x, y] = settlePoint(p.x, p.y);
    return { ...p, id: i + 1, x, y, microGridId: microGridIdAt(x, y) };
  });
}
