export { tfjsRunner, type WindowRunner } from "./runner.js";
