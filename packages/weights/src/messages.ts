/**
 * `@transseg/weights/messages`: the one-line error messages shared by the packages and the CLI
 * (an unknown id with the nearest valid one; a failed write), without loading the checkpoint
 * readers and writers, so that a program needing only these starts sooner.
 */
export { unknownIdMessage } from "./did-you-mean.js";
export { writeFailure } from "./write-failure.js";
