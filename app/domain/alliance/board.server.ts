import { and, count, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  allianceAnnouncements,
  allianceComments,
  allianceProposals,
  allianceReports,
  businessMembers,
  userRoles,
  users,
  type ReportableKind,
  type ReportReason,
} from "../../../db/schema";
import type { Actor } from "../accounts/actor";
import { assertCan, can } from "../accounts/permissions";
import { recordAudit } from "../audit.server";
import { DomainError, foundOr404, notFound } from "../errors";
import { notify } from "../notifications/notifications.server";
import { columnsOf } from "../../../db/select";

/** Open reports from this many different people hide a post until an officer reviews it. */
export const REPORT_THRESHOLD = 3;

export async function addComment(
  db: Db,
  actor: Actor,
  proposalId: number,
  input: { body: string; parentId?: number },
  now: Date,
) {
  assertCan(actor, { action: "alliance.comment" });
  return db.transaction(async (tx) => {
    const [proposal] = await tx
      .select({ status: allianceProposals.status, hiddenAt: allianceProposals.hiddenAt })
      .from(allianceProposals)
      .where(eq(allianceProposals.id, proposalId));
    if (!proposal || proposal.status === "draft") throw notFound();
    if (input.parentId != null) {
      const [parent] = await tx
        .select({ proposalId: allianceComments.proposalId, parentId: allianceComments.parentId })
        .from(allianceComments)
        .where(eq(allianceComments.id, input.parentId));
      // One level of replies: a reply answers a top-level comment of the same proposal.
      if (!parent || parent.proposalId !== proposalId || parent.parentId != null)
        throw new DomainError("alliance.errors.badReply", 400, "parentId");
    }
    const [comment] = await tx
      .insert(allianceComments)
      .values({
        proposalId,
        parentId: input.parentId ?? null,
        authorId: actor.userId,
        body: input.body,
        createdAt: now,
      })
      .returning({ id: allianceComments.id });
    await recordAudit(tx, actor, "comment.created", comment.id, { after: { proposalId } });
    return comment;
  });
}

export async function editComment(db: Db, actor: Actor, commentId: number, body: string) {
  await db.transaction(async (tx) => {
    const comment = await foundOr404(
      tx.select().from(allianceComments).where(eq(allianceComments.id, commentId)).for("update"),
    );
    assertCan(actor, { action: "alliance.editPost", authorId: comment.authorId });
    await tx.update(allianceComments).set({ body }).where(eq(allianceComments.id, commentId));
    await recordAudit(tx, actor, "comment.edited", commentId);
  });
}

export interface AnnouncementInput {
  title: string;
  body: string;
  pinned?: boolean;
}

/**
 * A system announcement as parts: `key` names alliance.system.<key>.title and .body in app/i18n,
 * rendered with `params` in each reader's language (the stored title and body are the Chinese text,
 * for search and for readers of the raw row).
 */
export interface SystemMessage {
  key: string;
  params: Record<string, string | number>;
}

/**
 * An announcement in the community's own name (no author), for other areas (plaque awards...).
 * Call it inside the caller's transaction.
 */
export async function postSystemAnnouncement(
  tx: Db,
  input: AnnouncementInput & { message?: SystemMessage },
  now: Date = new Date(),
) {
  const [announcement] = await tx
    .insert(allianceAnnouncements)
    .values({
      authorId: null,
      title: input.title,
      body: input.body,
      pinned: input.pinned ?? false,
      createdAt: now,
      messageKey: input.message?.key ?? null,
      messageParams: input.message?.params ?? null,
    })
    .returning({ id: allianceAnnouncements.id });
  await recordAudit(tx, null, "announcement.posted", announcement.id, { after: { title: input.title } });
  return announcement;
}

export async function postAnnouncement(db: Db, actor: Actor, input: AnnouncementInput, now: Date) {
  assertCan(actor, { action: "alliance.announce" });
  return db.transaction(async (tx) => {
    const [announcement] = await tx
      .insert(allianceAnnouncements)
      .values({
        authorId: actor.userId,
        title: input.title,
        body: input.body,
        pinned: input.pinned ?? false,
        createdAt: now,
      })
      .returning({ id: allianceAnnouncements.id });
    await recordAudit(tx, actor, "announcement.posted", announcement.id, {
      after: { title: input.title, pinned: input.pinned ?? false },
    });
    return announcement;
  });
}

export async function setAnnouncementPinned(db: Db, actor: Actor, id: number, pinned: boolean) {
  assertCan(actor, { action: "alliance.announce" });
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(allianceAnnouncements)
      .set({ pinned })
      .where(eq(allianceAnnouncements.id, id))
      .returning({ id: allianceAnnouncements.id });
    if (updated.length === 0) throw notFound();
    await recordAudit(tx, actor, pinned ? "announcement.pinned" : "announcement.unpinned", id);
  });
}

export async function listAnnouncements(db: Db, actor: Actor, limit = 20) {
  const seeHidden = can(actor, { action: "alliance.seeHidden" });
  return db
    .select({
      ...columnsOf(
        allianceAnnouncements,
        "id",
        "title",
        "body",
        "pinned",
        "createdAt",
        "messageKey",
        "messageParams",
        "editedAt",
        "editReason",
        "withdrawnAt",
        "withdrawnReason",
      ),
      hidden: sql<boolean>`${allianceAnnouncements.hiddenAt} is not null`,
      authorName: users.displayName,
    })
    .from(allianceAnnouncements)
    .leftJoin(users, eq(users.id, allianceAnnouncements.authorId))
    .where(seeHidden ? undefined : isNull(allianceAnnouncements.hiddenAt))
    .orderBy(desc(allianceAnnouncements.pinned), desc(allianceAnnouncements.createdAt), desc(allianceAnnouncements.id))
    .limit(limit);
}

/** Every member business's owner (each once): the people an announcement is for. */
async function memberOwners(tx: Db): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ userId: businessMembers.userId })
    .from(businessMembers)
    .where(eq(businessMembers.role, "owner"));
  return rows.map((r) => r.userId);
}

async function liveAnnouncement(tx: Db, id: number) {
  const row = await foundOr404(
    tx.select().from(allianceAnnouncements).where(eq(allianceAnnouncements.id, id)).for("update"),
  );
  if (row.withdrawnAt) throw new DomainError("alliance.errors.announcementWithdrawn", 409);
  return row;
}

/**
 * An officer corrects an announcement, with a reason; every member business's owner is told. A
 * system announcement (plaque award...) loses its per-language parts: the officer's text is shown.
 */
export async function editAnnouncement(
  db: Db,
  actor: Actor,
  id: number,
  input: { title: string; body: string; reason: string },
  now: Date,
) {
  assertCan(actor, { action: "alliance.announce" });
  await db.transaction(async (tx) => {
    const before = await liveAnnouncement(tx, id);
    await tx
      .update(allianceAnnouncements)
      .set({
        title: input.title,
        body: input.body,
        editedAt: now,
        editReason: input.reason,
        messageKey: null,
        messageParams: null,
      })
      .where(eq(allianceAnnouncements.id, id));
    await recordAudit(tx, actor, "announcement.edited", id, {
      before: { title: before.title, body: before.body },
      after: { title: input.title, body: input.body, reason: input.reason },
    });
    for (const userId of await memberOwners(tx))
      await notify(tx, userId, {
        kind: "alliance.announcementChanged",
        params: { title: input.title, reason: input.reason },
        link: `/alliance#announcement-${id}`,
      });
  });
}

/** An officer withdraws an announcement with a reason: it stays listed as withdrawn; members are told. */
export async function withdrawAnnouncement(db: Db, actor: Actor, id: number, reason: string, now: Date) {
  assertCan(actor, { action: "alliance.announce" });
  await db.transaction(async (tx) => {
    const before = await liveAnnouncement(tx, id);
    await tx
      .update(allianceAnnouncements)
      .set({ withdrawnAt: now, withdrawnReason: reason, pinned: false })
      .where(eq(allianceAnnouncements.id, id));
    await recordAudit(tx, actor, "announcement.withdrawn", id, { before: { title: before.title }, after: { reason } });
    for (const userId of await memberOwners(tx))
      await notify(tx, userId, {
        kind: "alliance.announcementWithdrawn",
        params: { title: before.title, reason },
        link: `/alliance#announcement-${id}`,
      });
  });
}

const postTables = {
  proposal: {
    table: allianceProposals,
    author: allianceProposals.authorId,
    id: allianceProposals.id,
    hiddenAt: allianceProposals.hiddenAt,
    title: allianceProposals.title,
  },
  comment: {
    table: allianceComments,
    author: allianceComments.authorId,
    id: allianceComments.id,
    hiddenAt: allianceComments.hiddenAt,
    title: allianceComments.body,
  },
  announcement: {
    table: allianceAnnouncements,
    author: allianceAnnouncements.authorId,
    id: allianceAnnouncements.id,
    hiddenAt: allianceAnnouncements.hiddenAt,
    title: allianceAnnouncements.title,
  },
} as const;

async function findPost(tx: Db, kind: ReportableKind, id: number, lock = false) {
  const t = postTables[kind];
  const query = tx
    .select({ authorId: t.author, hiddenAt: t.hiddenAt, title: t.title })
    .from(t.table)
    .where(eq(t.id, id));
  const [post] = lock ? await query.for("update") : await query;
  if (!post) throw notFound();
  return { ...post, title: post.title.slice(0, 30), votingOpen: kind === "proposal" && (await votingOpen(tx, id)) };
}

/** A proposal whose vote is open: reports never hide it (docs/decisions/015). */
async function votingOpen(tx: Db, proposalId: number): Promise<boolean> {
  const [p] = await tx
    .select({ status: allianceProposals.status })
    .from(allianceProposals)
    .where(eq(allianceProposals.id, proposalId));
  return p?.status === "voting";
}

/** The moderators and officers, each once, but not `except` (who reported, and so knows). */
async function reviewers(tx: Db, except: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ userId: userRoles.userId })
    .from(userRoles)
    .where(inArray(userRoles.role, ["president", "vice_president", "moderator"]));
  return rows.map((r) => r.userId).filter((id) => id !== except);
}

async function setHidden(tx: Db, kind: ReportableKind, id: number, hidden: { at: Date; reason: string } | null) {
  const t = postTables[kind];
  await tx
    .update(t.table)
    .set({ hiddenAt: hidden?.at ?? null, hiddenReason: hidden?.reason ?? null })
    .where(eq(t.id, id));
}

const linkTo = async (tx: Db, kind: ReportableKind, id: number) => {
  if (kind === "proposal") return `/alliance/proposals/${id}`;
  if (kind === "comment") {
    const [c] = await tx
      .select({ proposalId: allianceComments.proposalId })
      .from(allianceComments)
      .where(eq(allianceComments.id, id));
    return `/alliance/proposals/${c?.proposalId}#comment-${id}`;
  }
  return "/alliance";
};

/**
 * A member reports a post once. When REPORT_THRESHOLD people have open reports on it, it is hidden
 * until an officer reviews it, and its author is told.
 */
export async function reportPost(
  db: Db,
  actor: Actor,
  input: { kind: ReportableKind; subjectId: number; reason: ReportReason },
  now: Date,
) {
  assertCan(actor, { action: "alliance.report" });
  return db.transaction(async (tx) => {
    const post = await findPost(tx, input.kind, input.subjectId, true);
    const inserted = await tx
      .insert(allianceReports)
      .values({
        subjectKind: input.kind,
        subjectId: input.subjectId,
        reporterId: actor.userId,
        reason: input.reason,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: allianceReports.id });
    if (inserted.length === 0) throw new DomainError("alliance.errors.alreadyReported", 409);
    await recordAudit(
      tx,
      actor,
      "post.reported",
      { type: input.kind, id: input.subjectId },
      { after: { reason: input.reason } },
    );
    const [open] = await tx
      .select({ n: count() })
      .from(allianceReports)
      .where(
        and(
          eq(allianceReports.subjectKind, input.kind),
          eq(allianceReports.subjectId, input.subjectId),
          isNull(allianceReports.resolvedAt),
        ),
      );
    // A proposal under vote is never hidden by reports: the reviewers are told at once instead.
    const hiddenNow = !post.hiddenAt && !post.votingOpen && (open?.n ?? 0) >= REPORT_THRESHOLD;
    if (input.kind === "proposal") {
      for (const userId of await reviewers(tx, actor.userId))
        await notify(tx, userId, {
          kind: "alliance.proposalReported",
          params: { title: post.title },
          link: "/alliance/review",
        });
    }
    if (hiddenNow) {
      await setHidden(tx, input.kind, input.subjectId, { at: now, reason: "reports" });
      await recordAudit(
        tx,
        null,
        "post.autoHidden",
        { type: input.kind, id: input.subjectId },
        { after: { reports: open?.n } },
      );
      if (post.authorId)
        await notify(tx, post.authorId, {
          kind: "alliance.postHidden",
          params: { title: post.title, reason: "" },
          link: await linkTo(tx, input.kind, input.subjectId),
        });
    }
    return { hidden: hiddenNow };
  });
}

/** Officers hide or restore a post with a reason; its open reports are resolved and its author told. */
export async function moderatePost(
  db: Db,
  actor: Actor,
  input: { kind: ReportableKind; subjectId: number; decision: "hide" | "restore"; reason: string },
  now: Date,
) {
  assertCan(actor, { action: "alliance.moderate" });
  await db.transaction(async (tx) => {
    const post = await findPost(tx, input.kind, input.subjectId, true);
    // Hiding a proposal under vote would silence the vote; officers are members with stakes too.
    if (input.decision === "hide" && post.votingOpen) throw new DomainError("alliance.errors.votingOpenNoHide", 409);
    await setHidden(
      tx,
      input.kind,
      input.subjectId,
      input.decision === "hide" ? { at: now, reason: input.reason } : null,
    );
    await tx
      .update(allianceReports)
      .set({ resolvedAt: now })
      .where(
        and(
          eq(allianceReports.subjectKind, input.kind),
          eq(allianceReports.subjectId, input.subjectId),
          isNull(allianceReports.resolvedAt),
        ),
      );
    await recordAudit(
      tx,
      actor,
      input.decision === "hide" ? "post.hidden" : "post.restored",
      { type: input.kind, id: input.subjectId },
      { before: { hidden: post.hiddenAt != null }, after: { reason: input.reason } },
    );
    if (post.authorId) {
      await notify(tx, post.authorId, {
        kind: input.decision === "hide" ? "alliance.postHidden" : "alliance.postRestored",
        params: { title: post.title, reason: input.reason },
        link: await linkTo(tx, input.kind, input.subjectId),
      });
    }
  });
}

/** The review queue: posts with open reports, or hidden by reports and not yet reviewed. */
export async function reviewQueue(db: Db, actor: Actor) {
  assertCan(actor, { action: "alliance.moderate" });
  const open = await db
    .select({
      kind: allianceReports.subjectKind,
      subjectId: allianceReports.subjectId,
      reports: count(),
      reasons: sql<string>`string_agg(distinct ${allianceReports.reason}, ',')`,
    })
    .from(allianceReports)
    .where(isNull(allianceReports.resolvedAt))
    .groupBy(allianceReports.subjectKind, allianceReports.subjectId)
    .orderBy(desc(count()));
  return Promise.all(
    open.map(async (item) => {
      const post = await findPost(db, item.kind, item.subjectId);
      return {
        ...item,
        reasons: item.reasons.split(","),
        title: post.title,
        hidden: post.hiddenAt != null,
        votingOpen: post.votingOpen,
        link: await linkTo(db, item.kind, item.subjectId),
      };
    }),
  );
}

/** The president and vice-presidents appoint moderators (and staff administrators may). */
export async function appointModerator(db: Db, actor: Actor, phone: string) {
  assertCan(actor, { action: "alliance.appointModerator" });
  await db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.phone, phone));
    if (!user) throw new DomainError("errors.userUnknown", 400, "phone");
    // One person holds one office: a president or vice-president is not also a moderator.
    const [office] = await tx
      .select({ role: userRoles.role })
      .from(userRoles)
      .where(and(eq(userRoles.userId, user.id), inArray(userRoles.role, ["president", "vice_president"])));
    if (office) throw new DomainError("alliance.errors.holdsOffice", 409, "phone");
    const inserted = await tx
      .insert(userRoles)
      .values({ userId: user.id, role: "moderator", grantedBy: actor.userId })
      .onConflictDoNothing()
      .returning({ role: userRoles.role });
    if (inserted.length === 0) throw new DomainError("alliance.errors.alreadyModerator", 409, "phone");
    await recordAudit(tx, actor, "role.granted", user.id, { after: { role: "moderator" } });
    await notify(tx, user.id, {
      kind: "alliance.moderatorAppointed",
      params: { by: actor.displayName },
      link: "/alliance",
    });
  });
}

const OFFICE_RANK = { president: 0, vice_president: 1, moderator: 2 } as const;

/** Officers of the alliance, for the board's header: each person once, under their highest office. */
export async function listOfficers(db: Db) {
  const rows = await db
    .select({ userId: users.id, displayName: users.displayName, role: userRoles.role })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(or(eq(userRoles.role, "president"), eq(userRoles.role, "vice_president"), eq(userRoles.role, "moderator")))
    .orderBy(userRoles.role, users.displayName);
  const rank = (role: string) => OFFICE_RANK[role as keyof typeof OFFICE_RANK] ?? 9;
  const best = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const seen = best.get(row.userId);
    if (!seen || rank(row.role) < rank(seen.role)) best.set(row.userId, row);
  }
  return [...best.values()].sort(
    (a, b) => rank(a.role) - rank(b.role) || a.displayName.localeCompare(b.displayName, "zh"),
  );
}
