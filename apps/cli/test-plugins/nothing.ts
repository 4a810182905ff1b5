// Exports nothing a registry can take: a function, a number and a plain object without an id.
export const VERSION = 3;
export function helper(x: number): number {
  return 2 * x;
}
export const settings = { window: 5 };
