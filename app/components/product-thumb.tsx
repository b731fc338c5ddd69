import { photoSources } from "~/lib/photo-sources";

/** A product's photo as a thumbnail `width` pixels wide (4:3); `lazy` where it may stand below the fold. */
export function ProductThumb({ photoPath, width, lazy = false }: { photoPath: string; width: number; lazy?: boolean }) {
  return (
    <img
      {...photoSources(`/media/products/${photoPath}`, `${width}px`)}
      alt=""
      className="product-thumb"
      width={width}
      height={(width * 3) / 4}
      loading={lazy ? "lazy" : undefined}
    />
  );
}
