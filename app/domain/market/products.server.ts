import path from "node:path";
import { and, asc, eq, sql } from "drizzle-orm";
import { dataDir, type Db } from "../../../db/client";
import { businesses, products } from "../../../db/schema";
import { preparedFor } from "../../../db/select";
import { processPhoto, removePhoto, storePhoto, readMediaPhoto } from "../photos.server";
import type { Actor } from "../accounts/actor";
import { assertCan, can } from "../accounts/permissions";
import { changeOf, recordAudit } from "../audit.server";
import { DomainError } from "../errors";
import type { ProductInput } from "./schemas";

const productNotFound = () => new DomainError("market.errors.productNotFound", 404);

/** The products a shop page lists: visible ones for everybody, hidden ones too for its members. */
export async function listProducts(db: Db, actor: Actor, businessId: number) {
  const manages = can(actor, { action: "product.manage", businessId });
  const businessParam = sql.placeholder("businessId");
  const rows = await preparedFor(db, manages ? "listProducts:all" : "listProducts:shown", () =>
    db
      .select()
      .from(products)
      .where(
        manages
          ? eq(products.businessId, businessParam)
          : and(eq(products.businessId, businessParam), eq(products.hidden, false)),
      )
      .orderBy(asc(products.id)),
  ).execute({ businessId });
  return { products: rows, canManage: manages };
}

/** One product for its own page (/products/:id): a hidden product is not found, except by its business. */
export async function productPage(db: Db, actor: Actor, productId: number) {
  const [row] = await db
    .select({ product: products, businessName: businesses.name, businessStatus: businesses.status })
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .where(eq(products.id, productId));
  if (!row) throw productNotFound();
  if (row.product.hidden && !can(actor, { action: "product.manage", businessId: row.product.businessId }))
    throw productNotFound();
  return row;
}

/**
 * Lists a new product. A photo (optional: none or an empty file means none) follows the same rules
 * as a replaced one and is checked before anything is written, so a refused photo lists nothing.
 */
export async function createProduct(
  db: Db,
  actor: Actor,
  businessId: number,
  input: ProductInput,
  photo?: Uint8Array | null,
) {
  assertCan(actor, { action: "product.manage", businessId });
  const processed = photo && photo.length > 0 ? await processPhoto(photo) : null;
  return db.transaction(async (tx) => {
    const [business] = await tx.select({ id: businesses.id }).from(businesses).where(eq(businesses.id, businessId));
    if (!business) throw new DomainError("directory.errors.notFound", 404);
    const values = {
      businessId,
      name: input.name,
      description: input.description,
      priceFen: input.price,
      stock: input.stock,
      hidden: input.hidden === "on",
    };
    const [created] = await tx.insert(products).values(values).returning({ id: products.id });
    const photoPath = processed ? await storePhoto(productPhotoFolder(), `${created.id}-`, processed) : null;
    if (photoPath) await tx.update(products).set({ photoPath }).where(eq(products.id, created.id));
    await recordAudit(tx, actor, "product.created", created.id, { after: { ...values, photoPath } });
    return created.id;
  });
}

export async function updateProduct(db: Db, actor: Actor, productId: number, input: ProductInput) {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(products).where(eq(products.id, productId)).for("update");
    if (!before) throw productNotFound();
    assertCan(actor, { action: "product.manage", businessId: before.businessId });
    const after = {
      name: input.name,
      description: input.description,
      priceFen: input.price,
      stock: input.stock,
      hidden: input.hidden === "on",
    };
    await tx
      .update(products)
      .set({ ...after, updatedAt: new Date() })
      .where(eq(products.id, productId));
    await recordAudit(tx, actor, "product.updated", productId, changeOf(before, after));
  });
}

export async function setProductHidden(db: Db, actor: Actor, productId: number, hidden: boolean) {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(products).where(eq(products.id, productId)).for("update");
    if (!before) throw productNotFound();
    assertCan(actor, { action: "product.manage", businessId: before.businessId });
    await tx.update(products).set({ hidden, updatedAt: new Date() }).where(eq(products.id, productId));
    await recordAudit(tx, actor, hidden ? "product.hidden" : "product.shown", productId, {
      before: { hidden: before.hidden },
      after: { hidden },
    });
  });
}

export function productPhotoFolder(): string {
  return path.join(dataDir(), "uploads", "products");
}

/** Stores a product photo named by its content; the check of type and size is the shop photo's. */
export async function replaceProductPhoto(db: Db, actor: Actor, productId: number, bytes: Uint8Array) {
  const [product] = await db.select().from(products).where(eq(products.id, productId));
  if (!product) throw productNotFound();
  assertCan(actor, { action: "product.manage", businessId: product.businessId });
  const name = await storePhoto(productPhotoFolder(), `${productId}-`, await processPhoto(bytes));
  await db.transaction(async (tx) => {
    await tx.update(products).set({ photoPath: name, updatedAt: new Date() }).where(eq(products.id, productId));
    await recordAudit(tx, actor, "product.photo_replaced", productId, {
      before: { photoPath: product.photoPath },
      after: { photoPath: name },
    });
  });
  if (product.photoPath && product.photoPath !== name) await removePhoto(productPhotoFolder(), product.photoPath);
  return name;
}

export function readProductPhoto(name: string) {
  return readMediaPhoto(productPhotoFolder(), name);
}
