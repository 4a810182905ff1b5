/** What kind of scanner produced a task's images (drives synthetic intensities, nothing else). */
export type Modality = "CT" | "MRI";

/**
 * A structure of the synthetic phantom (see `synthesizeDataset`):
 * - `organ`: a smooth, irregular ellipsoid whose cross-section grows and shrinks along z;
 * - `lesion`: a small ellipsoid inside its parent (drawn only where the parent is);
 * - `tube`: a curved tube running along z that starts, ends and thins out (clipped to its
 *   parent when it has one);
 * - `shell`: a wall around its parent (e.g. myocardium around a cavity): drawn as the parent
 *   inflated, so list it BEFORE the parent, which is then drawn on top of it.
 */
export interface PhantomStructure {
  /** Class written to the label map; 0 = unlabelled context anatomy (e.g. lung fields). */
  readonly label: number;
  readonly kind: "organ" | "lesion" | "tube" | "shell";
  /** Index (in the profile's `phantom` list) of the structure this one lies in / wraps. */
  readonly parent?: number;
  /** Scale (1 = default). */
  readonly size?: number;
  /**
   * Where an organ or a parentless tube sits in the axial plane, as fractions of the body
   * ellipse's half-axes from its centre: x −1…1 (patient left → right in the phantom's RAS grid),
   * y −1…1 (posterior → anterior); jittered by ±0.08 per case. Default: anywhere in the body.
   */
  readonly at?: readonly [number, number];
  /**
   * Brightness as a fraction of the display range (clip, or [0, max] for MRI without clip);
   * values outside [0, 1] fall outside the clip (e.g. -1.5 for air-filled lung). Default: by kind.
   */
  readonly intensity?: number;
  /**
   * Copies of the structure, each placed on its own (default 1). Children whose `parent` is this
   * structure lie in the first copy.
   */
  readonly count?: number;
  /**
   * Scales the structure's extent along z (organs, lesions; default 1): below 1 makes a blob that
   * shows on few slices, so that only the neighbouring slices tell it from a tube of the same
   * cross-section (the depth information the 3D model can use and the 2D model cannot).
   */
  readonly depthScale?: number;
  /** Scales how far a tube drifts in-plane along z (default 1; small = straight along z). */
  readonly wander?: number;
}

/** Dice (%) the paper reports for a task (test split, background excluded). */
export interface PaperResults {
  /** Training steps the paper used. */
  readonly steps: number;
  /** The paper's model (inflated, window 5). */
  readonly dice: number;
  /** The "w/o D" ablation (2D: centre slice only). */
  readonly diceWithoutDepth: number;
  /** BTCV only: "w/o T&D" (no transfer, no depth). */
  readonly diceWithoutTransferAndDepth?: number;
  /** Labels averaged for the reported mean (BTCV: the 8 organs); absent = all foreground classes. */
  readonly reportedLabels?: readonly number[];
  /** BTCV only: the initialisation ablation (random / average / centering). */
  readonly initialization?: Readonly<Record<"random" | "average" | "centering", number>>;
}

/** A segmentation task as the paper trains it (SPEC §4). One file per task in `src/profiles/`. */
export interface TaskProfile {
  /** Registry key, e.g. "BTCV", "Task09_Spleen". */
  readonly id: string;
  readonly description: string;
  readonly modality: Modality;
  /** Channel names as dataset.json's `modality` lists them, e.g. ["FLAIR", "T1w", "t1gd", "T2w"]. */
  readonly channelNames: readonly string[];
  /** Number of input channels (= channelNames.length). */
  readonly channels: number;
  /** Label names by class id, background first. */
  readonly labels: readonly string[];
  /** Number of classes including background (= labels.length). */
  readonly classes: number;
  /** Model input size `[H, W]` = [x extent, y extent] after resizing. */
  readonly img: readonly [number, number];
  /** Intensity window scaled to [0, 1]; null = per channel [0, that channel's volume maximum]. */
  readonly clip: readonly [number, number] | null;
  readonly paper: PaperResults;
  /** Structures of the synthetic phantom, drawn in this order (later ones on top). */
  readonly phantom: readonly PhantomStructure[];
}
