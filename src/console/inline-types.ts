// Which stored attachment types the console shows inline: passive raster images a browser only draws.
// SVG (scripts), HTML, PDF and anything unknown are downloads (routes/attachments.tsx).
export const INLINE_TYPES: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp"]);
