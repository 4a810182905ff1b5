// Another module that takes the id "triangle" (refused when triangle.ts is loaded too).
import { average } from "@transseg/inflate";

export const triangle = { ...average, id: "triangle", description: "the same id as triangle.ts, from another module" };
