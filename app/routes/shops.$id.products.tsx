import { pageMeta } from "~/i18n/meta";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { ProductFields } from "~/components/product-fields";
import { ConformForm, TooLargeFiles, type TooLarge, useZodForm } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { PhotoInput, SavedNotice } from "~/components/photo-upload";
import { Money } from "~/components/market";
import { assertCan } from "~/domain/accounts/permissions";
import { businessName } from "~/domain/directory/business.server";
import { isDomainError } from "~/domain/errors";
import { createProduct, listProducts, setProductHidden } from "~/domain/market/products.server";
import { productSchema } from "~/domain/market/schemas";
import { paymentsFromEnv } from "~/domain/market/stripe.server";
import { maxPhotoBytes } from "~/domain/photos.server";
import { replyWithRefusal } from "~/lib/forms.server";
import { megabytes, readMultipartForm } from "~/lib/uploads.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { recordIdOr404 } from "~/lib/page-id.server";

const businessId = (param: string | undefined) => recordIdOr404(param, "directory.errors.notFound");

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "shopProducts");

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const id = businessId(params.id);
  await orErrorPage(async () => assertCan(user, { action: "product.manage", businessId: id }));
  const name = await businessName(context.db, id);
  if (name === null) throw data({ code: "directory.errors.notFound" }, { status: 404 });
  const { products } = await listProducts(context.db, user, id);
  return { id, name, products, connect: !!paymentsFromEnv(context.env)?.connect };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = businessId(params.id);
  const multipart = request.headers.get("content-type")?.startsWith("multipart/form-data");
  if (multipart) await orErrorPage(async () => assertCan(user, { action: "product.manage", businessId: id }));
  const { form, tooLarge } = multipart
    ? await readMultipartForm(request, { maxFileBytes: maxPhotoBytes, maxFiles: 1 })
    : { form: await request.formData(), tooLarge: [] };
  const intent = form.get("intent");
  if (intent === "hide" || intent === "show") {
    try {
      await setProductHidden(context.db, user, Number(form.get("productId")), intent === "hide");
      return { created: undefined, toggled: true };
    } catch (error) {
      if (isDomainError(error)) throw data({ code: error.code }, { status: error.status });
      throw error;
    }
  }
  // The new-product form is multipart (it carries the photo); its other fields are read as usual.
  const photo = form.get("photo");
  form.delete("photo");
  const submission = parseWithZod(form, { schema: productSchema });
  if (tooLarge.length > 0)
    return data(
      {
        created: submission.reply(),
        toggled: false,
        tooLarge: { names: tooLarge.map((f) => f.name), max: megabytes(maxPhotoBytes) },
      },
      { status: 400 },
    );
  if (submission.status !== "success") return data({ created: submission.reply(), toggled: false }, { status: 400 });
  try {
    const bytes = photo instanceof Blob ? new Uint8Array(await photo.arrayBuffer()) : null;
    await createProduct(context.db, user, id, submission.value, bytes);
    return { created: submission.reply({ resetForm: true }), toggled: false, saved: true };
  } catch (error) {
    const refusal = replyWithRefusal(submission, error);
    return data({ created: refusal.data, toggled: false }, { status: refusal.init?.status ?? 400 });
  }
}

export default function ManageProducts() {
  const { id, name, products, connect } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useZodForm(productSchema, { lastResult: actionData?.created, defaultValue: { stock: "10" } });
  return (
    <section className="stack narrow">
      <h1>{t("market.manage.title", { name })}</h1>
      <p>
        <Link to={`/shops/${id}/orders`}>{t("market.orderBoard")}</Link> · <Link to={`/shops/${id}`}>{name}</Link>
        {connect ? (
          <>
            {" "}
            · <Link to={`/shops/${id}/payments`}>{t("market.connect.title")}</Link>
          </>
        ) : null}
      </p>
      <ul className="product-admin-list" data-testid="manage-products">
        {products.map((p) => (
          <li key={p.id} className="card product-admin">
            <Link to={`/products/${p.id}`}>{p.name}</Link> <Money fen={p.priceFen} /> ·{" "}
            {t("market.stock", { count: p.stock })}
            {p.hidden ? <span className="tag"> {t("market.hiddenBadge")}</span> : null}
            <div className="product-admin__actions">
              <Link className="button button--small" to={`/products/${p.id}/edit`}>
                {t("market.manage.edit")}
              </Link>
              <Form method="post">
                <input type="hidden" name="productId" value={p.id} />
                <button
                  type="submit"
                  name="intent"
                  value={p.hidden ? "show" : "hide"}
                  className="button button--small button--quiet"
                >
                  {p.hidden ? t("market.manage.show") : t("market.manage.hide")}
                </button>
              </Form>
            </div>
          </li>
        ))}
      </ul>
      <h2>{t("market.manage.new")}</h2>
      <SavedNotice result={actionData} text={t("market.manage.saved")} />
      <ConformForm form={form} className="stack card" encType="multipart/form-data">
        <ProductFields fields={fields} />
        <PhotoInput id="new-photo" label={t("market.manage.photo")} hint={t("market.manage.photoHint")}>
          {actionData && "tooLarge" in actionData && actionData.tooLarge ? (
            <TooLargeFiles tooLarge={actionData.tooLarge as TooLarge} kept id="new-photo-error" />
          ) : (
            <ul className="field__errors" id="new-photo-error" aria-live="polite">
              {form.allErrors.photo?.map((code) => (
                <li key={code}>{t(code)}</li>
              ))}
            </ul>
          )}
        </PhotoInput>
        <SubmitButton primary label={t("market.manage.create")} />
      </ConformForm>
    </section>
  );
}
