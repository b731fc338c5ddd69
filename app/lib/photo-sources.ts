/**
 * The widths every uploaded photo is stored at (app/domain/photos.server.ts makes them): a 360 px
 * screen at 1×, 2× and 3.5×. Plain code, safe in the browser bundle.
 */
export const photoWidths = [320, 640, 1280] as const;

/**
 * `src`, `srcSet` and `sizes` for a stored photo: `url` is the 640-wide file
 * (`…-640.webp`); an older upload (one file) gets `src` alone. `sizes` is the width the image
 * takes on the page (CSS), e.g. "(max-width: 480px) 100vw, 480px".
 */
export function photoSources(url: string, sizes: string): { src: string; srcSet?: string; sizes?: string } {
  const m = /^(.*)-640\.webp$/.exec(url);
  if (!m) return { src: url };
  return { src: url, srcSet: photoWidths.map((w) => `${m[1]}-${w}.webp ${w}w`).join(", "), sizes };
}
