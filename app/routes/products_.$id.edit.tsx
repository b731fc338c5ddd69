import { getFormProps } from "@conform-to/react";
import { pageMeta } from "~/i18n/meta";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { ProductFields } from "~/components/product-fields";
import { FormErrors, TooLargeFiles, type TooLarge, useZodForm } from "~/components/field";
import { megabytes, readMultipartForm } from "~/lib/uploads.server";
import { photoSources } from "~/lib/photo-sources";
import { assertCan } from "~/domain/accounts/permissions";
import { isDomainError } from "~/domain/errors";
import { productPage, replaceProductPhoto, updateProduct } from "~/domain/market/products.server";
import { productSchema } from "~/domain/market/schemas";
import { maxPhotoBytes } from "~/domain/photos.server";
import { replyWithRefusal } from "~/lib/forms.server";
import { orErrorPage, requireUser } from "~/lib/http.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "productEdit");

function productId(param: string | undefined) {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw data({ code: "market.errors.productNotFound" }, { status: 404 });
  return id;
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { product } = await orErrorPage(async () => {
    const row = await productPage(context.db, user, productId(params.id));
    assertCan(user, { action: "product.manage", businessId: row.product.businessId });
    return row;
  });
  return {
    product: { id: product.id, businessId: product.businessId, photoPath: product.photoPath },
    defaults: {
      name: product.name,
      description: product.description,
      price: (product.priceFen / 100).toFixed(2),
      stock: String(product.stock),
      hidden: product.hidden ? "on" : "",
    },
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = productId(params.id);
  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    await orErrorPage(async () => {
      const { product } = await productPage(context.db, user, id);
      assertCan(user, { action: "product.manage", businessId: product.businessId });
    });
    try {
      const { form, tooLarge } = await readMultipartForm(request, { maxFileBytes: maxPhotoBytes, maxFiles: 1 });
      if (tooLarge.length > 0)
        return data(
          {
            edit: undefined,
            photo: {
              ok: false as const,
              error: "directory.errors.photoTooLarge",
              tooLarge: { names: tooLarge.map((f) => f.name), max: megabytes(maxPhotoBytes) },
            },
          },
          { status: 400 },
        );
      const file = form.get("photo");
      await replaceProductPhoto(
        context.db,
        user,
        id,
        file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array(),
      );
      return { edit: undefined, photo: { ok: true as const } };
    } catch (error) {
      if (isDomainError(error))
        return data({ edit: undefined, photo: { ok: false as const, error: error.code } }, { status: error.status });
      throw error;
    }
  }
  const submission = parseWithZod(await request.formData(), { schema: productSchema });
  if (submission.status !== "success") return data({ edit: submission.reply(), photo: undefined }, { status: 400 });
  try {
    await updateProduct(context.db, user, id, submission.value);
    return { edit: submission.reply(), photo: undefined, saved: true };
  } catch (error) {
    const refusal = replyWithRefusal(submission, error);
    return data({ edit: refusal.data, photo: undefined }, { status: refusal.init?.status ?? 400 });
  }
}

export default function EditProduct() {
  const { product, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useZodForm(productSchema, {
    lastResult: actionData?.edit,
    defaultValue: defaults,
  });
  return (
    <section className="narrow stack">
      <h1>{t("market.manage.editTitle")}</h1>
      {actionData && "saved" in actionData && actionData.saved ? (
        <p className="notice-ok" role="status">
          {t("market.manage.saved")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <ProductFields fields={fields} />
        <button type="submit" className="button button--primary">
          {t("market.manage.save")}
        </button>
      </Form>
      <Form method="post" encType="multipart/form-data" className="stack card">
        {product.photoPath ? (
          <img
            {...photoSources(`/media/products/${product.photoPath}`, "160px")}
            alt=""
            className="product-thumb"
            width={160}
            height={120}
          />
        ) : null}
        <div className="field">
          <label htmlFor="photo">{t("market.manage.photo")}</label>
          <input
            id="photo"
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            aria-describedby="photo-error"
          />
          {actionData?.photo && !actionData.photo.ok ? (
            "tooLarge" in actionData.photo ? (
              <TooLargeFiles tooLarge={actionData.photo.tooLarge as TooLarge} kept={false} id="photo-error" />
            ) : (
              <p className="field__errors" id="photo-error" role="alert">
                {t(actionData.photo.error)}
              </p>
            )
          ) : null}
        </div>
        <button type="submit" className="button">
          {t("market.manage.upload")}
        </button>
      </Form>
      <Link to={`/shops/${product.businessId}/products`}>{t("market.manage.back")}</Link>
    </section>
  );
}
