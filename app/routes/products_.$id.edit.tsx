import { pageMeta } from "~/i18n/meta";
import {
  type ActionFunctionArgs,
  type AppLoadContext,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useTranslation } from "~/i18n/react";
import { ProductFields } from "~/components/product-fields";
import { ConformForm, useZodForm } from "~/components/field";
import { SubmitButton } from "~/components/submit-button";
import { PhotoUploadForm, SavedNotice } from "~/components/photo-upload";
import { editPageAction } from "~/lib/edit-page.server";
import { recordIdOr404 } from "~/lib/page-id.server";
import { assertCan } from "~/domain/accounts/permissions";
import { productPage, replaceProductPhoto, updateProduct } from "~/domain/market/products.server";
import { productSchema } from "~/domain/market/schemas";
import { maxPhotoBytes } from "~/domain/photos.server";
import { orErrorPage, requireUser } from "~/lib/http.server";
import { ProductThumb } from "~/components/product-thumb";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "productEdit");

const productId = (param: string | undefined) => recordIdOr404(param, "market.errors.productNotFound");

/** The product's page data, if `user` may manage its shop's products; else the error page. */
function managedProduct(context: AppLoadContext, user: NonNullable<AppLoadContext["actor"]>, id: number) {
  return orErrorPage(async () => {
    const row = await productPage(context.db, user, id);
    assertCan(user, { action: "product.manage", businessId: row.product.businessId });
    return row;
  });
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { product } = await managedProduct(context, user, productId(params.id));
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
  return editPageAction(request, {
    schema: productSchema,
    save: (value) => updateProduct(context.db, user, id, value),
    maxPhotoBytes,
    mayUpload: () => managedProduct(context, user, id),
    replacePhoto: (bytes) => replaceProductPhoto(context.db, user, id, bytes),
  });
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
      <SavedNotice result={actionData} text={t("market.manage.saved")} />
      <ConformForm form={form}>
        <ProductFields fields={fields} />
        <SubmitButton primary label={t("market.manage.save")} />
      </ConformForm>
      <PhotoUploadForm
        photo={actionData?.photo}
        label={t("market.manage.photo")}
        submitText={t("market.manage.upload")}
      >
        {product.photoPath ? <ProductThumb photoPath={product.photoPath} width={160} /> : null}
      </PhotoUploadForm>
      <Link to={`/shops/${product.businessId}/products`}>{t("market.manage.back")}</Link>
    </section>
  );
}
