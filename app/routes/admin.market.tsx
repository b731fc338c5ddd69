import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/i18n/meta";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { InputField } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { assertCan } from "~/domain/accounts/permissions";
import { isDomainError } from "~/domain/errors";
import { parseYuan } from "~/domain/market/money";
import { platformFeeBasisPoints, setPlatformFee } from "~/domain/market/orders.server";
import { marketMode, paymentsFromEnv } from "~/domain/market/stripe.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { Notice } from "~/components/page-parts";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "adminMarket");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  await orErrorPage(async () => assertCan(user, { action: "market.configure" }));
  const payments = paymentsFromEnv(context.env);
  return {
    percent: ((await platformFeeBasisPoints(context.db)) / 100).toFixed(2),
    mode: marketMode(payments),
    connect: !!payments?.connect,
  };
}

/** The platform fee on Connect destination charges, as a percentage with up to two decimals. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  // "2.5" percent → 250 basis points: the same exact decimal parsing as prices.
  const basisPoints = parseYuan(String((await request.formData()).get("percent") ?? ""));
  try {
    await setPlatformFee(context.db, user, basisPoints ?? -1);
    return { saved: true as const };
  } catch (error) {
    if (isDomainError(error)) return data({ error: error.code }, { status: error.status });
    throw error;
  }
}

export default function AdminMarket() {
  const { percent, mode, connect } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section className="stack narrow">
      <h1>{t("market.admin.title")}</h1>
      <p className="muted">
        {t(`market.mode.${mode}`)} {connect ? "Stripe Connect" : ""}
      </p>
      {result && "saved" in result ? <p className="notice-ok">{t("market.admin.saved")}</p> : null}
      {result && "error" in result ? <Notice ok={false}>{t(result.error)}</Notice> : null}
      <Form method="post" className="stack">
        <InputField
          id="percent"
          label={t("market.admin.fee")}
          name="percent"
          inputMode="decimal"
          defaultValue={percent}
          required
        />
        <SubmitButton primary label={t("market.admin.save")} />
      </Form>
    </section>
  );
}
