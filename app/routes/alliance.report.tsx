import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { useActionData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { Outcome } from "~/components/alliance";
import { reportPost } from "~/domain/alliance/board.server";
import { reportSchema } from "~/domain/alliance/schemas";
import { clockNow } from "~/lib/clock.server";
import { requireUser, safeRedirectTarget } from "~/lib/http.server";
import { invalidForm } from "~/lib/refusal.server";
import { isDomainError } from "~/domain/errors";
import { PageSection } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "allianceReport");

export async function loader(_: LoaderFunctionArgs) {
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = Object.fromEntries(await request.formData());
  const parsed = reportSchema.safeParse(form);
  if (!parsed.success) return invalidForm();
  const referer = request.headers.get("referer");
  const back = referer ? safeRedirectTarget(new URL(referer).pathname, "/alliance") : "/alliance";
  try {
    await reportPost(context.db, user, parsed.data, clockNow());
    return { ok: true as const, error: null, back };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data({ ok: false as const, error: error.code, back }, { status: error.status });
  }
}

export default function Reported() {
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <PageSection className="narrow stack" title={t("alliance.proposal.report")}>
      <Outcome result={result} okText={t("alliance.proposal.reported")} />
      <p>
        <Link to={result && "back" in result ? result.back : "/alliance"}>{t("alliance.title")}</Link>
      </p>
    </PageSection>
  );
}
