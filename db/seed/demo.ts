/**
 * The facts of the demo district that tests, the README and the seed share.
 * Everything here is demo data: the names, phones and codes are invented.
 */
import type { RoleName } from "../schema/accounts";
import type { MemberRole } from "../schema/directory";

/** `app_meta` holds `seed = district-v1` once the district is in the database. */
export const SEED_META_KEY = "seed";
export const SEED_VERSION = "district-v1";

/** The seed of the PRNG: change it and every generated name, phone and position changes. */
export const SEED_RANDOM_SEED = 20260118;

export const DISTRICT_NAME = {
  zh: "商贸社区",
  en: "Shangmao Community",
  cityZh: "禹州",
  cityEn: "Yuzhou, Henan",
} as const;

/** The map's viewBox is `0 0 MAP_WIDTH MAP_HEIGHT`. */
export const MAP_WIDTH = 1000;
export const MAP_HEIGHT = 700;

export const DISTRICT_COUNTS = {
  categories: 12,
  streets: 19,
  grids: 8,
  microGrids: 32,
  /** One leader and two workers per micro-grid. */
  gridContacts: 96,
  storefronts: 1370,
  shops: 754,
  /** Storefronts without a shop. */
  vacantStorefronts: 616,
  stalls: 128,
  dayStalls: 80,
  nightStalls: 48,
  /** Shops plus stalls. */
  businesses: 882,
  places: 7,
  users: 10,
  userRoles: 7,
  businessMembers: 6,
  claimCodes: 3,
} as const;

/** Every demo account signs in with this password. */
export const DEMO_PASSWORD = "xinquan2026";

export interface DemoMembership {
  businessCode: string;
  role: MemberRole;
}

export interface DemoUser {
  id: string;
  phone: string;
  displayName: string;
  roles: readonly RoleName[];
  memberships: readonly DemoMembership[];
}

export const DEMO_USERS = {
  resident: {
    id: "demo-resident",
    phone: "13800000001",
    displayName: "李娜（演示居民）",
    roles: [],
    memberships: [],
  },
  shopOwner: {
    id: "demo-owner",
    phone: "13800000002",
    displayName: "王建国（演示商户）",
    roles: [],
    memberships: [{ businessCode: "S0001", role: "owner" }],
  },
  stallOwner: {
    id: "demo-stall-owner",
    phone: "13800000003",
    displayName: "赵丽（演示商户）",
    roles: [],
    memberships: [{ businessCode: "T0001", role: "owner" }],
  },
  president: {
    id: "demo-president",
    phone: "13800000004",
    displayName: "陈志强（联盟会长）",
    roles: ["president"],
    memberships: [{ businessCode: "S0002", role: "owner" }],
  },
  vicePresident1: {
    id: "demo-vice-president-1",
    phone: "13800000005",
    displayName: "刘芳（联盟副会长）",
    roles: ["vice_president"],
    memberships: [{ businessCode: "S0003", role: "owner" }],
  },
  vicePresident2: {
    id: "demo-vice-president-2",
    phone: "13800000006",
    displayName: "孙伟（联盟副会长）",
    roles: ["vice_president"],
    memberships: [{ businessCode: "S0004", role: "owner" }],
  },
  moderator: {
    id: "demo-moderator",
    phone: "13800000007",
    displayName: "周敏（联盟版主）",
    roles: ["moderator"],
    memberships: [{ businessCode: "S0005", role: "owner" }],
  },
  admin: {
    id: "demo-admin",
    phone: "13800000010",
    displayName: "吴静（社区工作人员）",
    roles: ["admin"],
    memberships: [],
  },
  mediator: {
    id: "demo-mediator",
    phone: "13800000011",
    displayName: "郑强（调解员）",
    roles: ["mediator"],
    memberships: [],
  },
  gridWorker: {
    id: "demo-grid-worker",
    phone: "13800000012",
    displayName: "冯磊（网格员）",
    roles: ["grid_worker"],
    memberships: [],
  },
} as const satisfies Record<string, DemoUser>;

export type DemoUserKey = keyof typeof DEMO_USERS;

/** The demo accounts' phones by key: `DEMO_PHONES.shopOwner === "13800000002"`. */
export const DEMO_PHONES = Object.fromEntries(Object.entries(DEMO_USERS).map(([key, user]) => [key, user.phone])) as {
  [K in DemoUserKey]: (typeof DEMO_USERS)[K]["phone"];
};

/** The owner's name on each demo business, without the （演示…） tag. */
export const DEMO_OWNER_NAMES: Readonly<Record<string, string>> = {
  S0001: "王建国",
  T0001: "赵丽",
  S0002: "陈志强",
  S0003: "刘芳",
  S0004: "孙伟",
  S0005: "周敏",
};

/** The grid worker's account is also the first worker listed for this micro-grid. */
export const DEMO_GRID_WORKER_MICRO_GRID = "G1-1";
/** The name the grid worker goes by on the micro-grid's contact list. */
export const DEMO_GRID_WORKER_NAME = "冯磊";

/** S0001, the demo owner's shop: a food shop whose name contains 烩面馆. */
export const DEMO_SHOP_NAME = "老王烩面馆";
/** T0001, the demo stall owner's stall in the day market. */
export const DEMO_STALL_NAME = "赵姐凉皮";

/** Unused claim codes, issued by the demo admin, so the claim flow can be shown. */
export const DEMO_CLAIM_CODES = [
  { businessCode: "S0010", code: "DEMO-CLAIM-S010" },
  { businessCode: "S0011", code: "DEMO-CLAIM-S011" },
  { businessCode: "T0010", code: "DEMO-CLAIM-T010" },
] as const;
