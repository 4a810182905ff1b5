export { fixture, HAVE_SHARED_FIXTURES, relativeMaxError, SHARED_FIXTURES } from "./fixtures.js";
