/** A 2D token grid `[height, width]` (patches along H = img[0] and W = img[1]). */
export type Grid2d = readonly [height: number, width: number];

/** The side of a square grid holding `tokens` tokens, or an error naming what was expected. */
export function squareSide(tokens: number, what: string): number {
  const side = Math.round(Math.sqrt(tokens));
  if (tokens < 1 || side * side !== tokens) throw new Error(`${what}: ${tokens} is not a square number, cannot infer a square source grid`);
  return side;
}
