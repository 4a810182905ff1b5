export {
  bruteForceDistanceTransform,
  bruteForceEdges,
  bruteForceSurfaceDistances,
  coordinatesOf,
  voxelDistance,
} from "./brute-force.js";
export { seededRandom, randomBlobs } from "./random-masks.js";
