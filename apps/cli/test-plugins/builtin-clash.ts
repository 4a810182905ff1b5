// A strategy that reuses a built-in id.
import { average } from "@transseg/inflate";

export const center = { ...average, id: "center", description: "not the paper's centering, under its id" };
