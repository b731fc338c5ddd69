import type { TFunction } from "i18next";
import type { AuditLine } from "~/domain/audit.server";

/** A piece of an audit sentence: words, who did it, or what it was done to (with its page). */
export type SentencePart =
  | { kind: "text"; text: string }
  | { kind: "actor"; text: string }
  | { kind: "target"; text: string; href: string | null };

/** An audit line as the page receives it (dates come as strings). */
export type AuditLineData = Omit<AuditLine, "at"> & { at: string | Date };

// Stand-ins for the actor and the target in the translated sentence, replaced by parts after.
const ACTOR = "\u2063actor\u2063";
const TARGET = "\u2063target\u2063";

/**
 * Who, what, and to what: the action's sentence (audit.actions.<code>) with the actor's name
 * and masked number and the target's name. A code without a sentence (one written before this
 * list, or by a later version) reads as a generic sentence with its words spelled out.
 */
export function auditSentence(line: AuditLineData, t: TFunction): SentencePart[] {
  const values: Record<string, string | number> = { ...line.details, actor: ACTOR, target: TARGET };
  if (typeof line.details.role === "string") values.role = t(`roles.${line.details.role}`, line.details.role);
  const sentence = line.area
    ? t(`audit.actions.${line.action}`, values)
    : t("audit.generic", { ...values, what: wordsOf(line.action) });
  const actor =
    line.actor === null
      ? t("audit.system")
      : line.actor === "deleted"
        ? t("audit.unknownPerson")
        : t("audit.actor", { name: line.actor.name, phone: line.actor.phone });
  const target = targetLabel(line.target, t);
  return sentence
    .split(/(\u2063actor\u2063|\u2063target\u2063)/)
    .filter((part) => part !== "")
    .map((part): SentencePart =>
      part === ACTOR
        ? { kind: "actor", text: actor }
        : part === TARGET
          ? { kind: "target", text: target, href: line.target.href }
          : { kind: "text", text: part },
    );
}

/** `order.payment_failed` → `order payment failed`, `chat.pollOpen` → `chat poll open`. */
function wordsOf(code: string): string {
  return code
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[._-]+/g, " ")
    .toLowerCase()
    .trim();
}

function targetLabel(target: AuditLineData["target"], t: TFunction): string {
  const params: Record<string, string | number> = { ...target.params };
  if (typeof params.kind === "string") {
    params.plaque = t(`plaques.kinds.${params.kind}`, params.kind);
    params.kind = t(`audit.kinds.${params.kind}`, t("audit.kinds.other"));
  }
  return t(`audit.targets.${target.type}`, params);
}
