import { proto, IR_VERSION, type onnx } from "./proto.js";

/** An attribute value: integers and strings as given; floats wrapped (`floatAttr(1e-6)`) so `1.0` stays a float. */
export type AttrValue = number | string | readonly number[] | FloatAttr | FloatsAttr;
interface FloatAttr {
  readonly float: number;
}
interface FloatsAttr {
  readonly floats: readonly number[];
}
export const floatAttr = (v: number): FloatAttr => ({ float: v });

const T = proto.TensorProto.DataType;
const A = proto.AttributeProto.AttributeType;

function attribute(name: string, v: AttrValue): onnx.IAttributeProto {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: ${v} is not an integer (wrap floats with floatAttr())`);
    return { name, type: A.INT, i: v };
  }
  if (typeof v === "string") return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: A.INTS, ints: v as number[] };
  if ("float" in v) return { name, type: A.FLOAT, f: v.float };
  return { name, type: A.FLOATS, floats: [...(v as FloatsAttr).floats] };
}

const bytesOf = (a: Float32Array | BigInt64Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Dimension of a graph input/output: a number, or a name for a dynamic axis (`"batch"`). */
export type Dim = number | string;

/**
 * Builds one ONNX graph: nodes in the order added (so always topologically sorted), weights as
 * initializers (`raw_data`, little-endian), names made unique with a counter.
 */
export class GraphBuilder {
  readonly #nodes: onnx.INodeProto[] = [];
  readonly #initializers: onnx.ITensorProto[] = [];
  readonly #names = new Set<string>();
  readonly #constants = new Map<string, string>();
  #counter = 0;
  #bytes = 0;

  constructor(readonly opset: number) {}

  /** A fresh value name starting with `hint`. */
  name(hint: string): string {
    let n = hint;
    while (this.#names.has(n)) n = `${hint}_${++this.#counter}`;
    this.#names.add(n);
    return n;
  }

  /** A float32 initializer; returns its name. */
  weight(hint: string, dims: readonly number[], data: Float32Array): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new Error(`initializer ${hint}: ${data.length} values for dims [${dims.join(", ")}]`);
    const name = this.name(hint);
    this.#initializers.push({ name, dims: [...dims], dataType: T.FLOAT, rawData: bytesOf(data) });
    this.#bytes += data.byteLength;
    return name;
  }

  /** An int32 initializer (gather indices); returns its name. */
  int32(hint: string, dims: readonly number[], data: Int32Array): string {
    const name = this.name(hint);
    this.#initializers.push({ name, dims: [...dims], dataType: T.INT32, rawData: bytesOf(data) });
    this.#bytes += data.byteLength;
    return name;
  }

  /** An int64 initializer (shapes, axes, split sizes), shared between nodes that ask for the same values. */
  ints(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `i64:${dims.join("x")}:${values.join(",")}`;
    const hit = this.#constants.get(key);
    if (hit) return hit;
    const name = this.name(`const_i64_${this.#constants.size}`);
    this.#initializers.push({ name, dims: [...dims], dataType: T.INT64, rawData: bytesOf(BigInt64Array.from(values, (v) => BigInt(v))) });
    this.#constants.set(key, name);
    return name;
  }

  /** A float32 scalar initializer, shared. */
  scalar(value: number): string {
    const key = `f32:${value}`;
    const hit = this.#constants.get(key);
    if (hit) return hit;
    const name = this.weight(`const_f32_${this.#constants.size}`, [], Float32Array.of(value));
    this.#constants.set(key, name);
    return name;
  }

  /** Adds a node with one output; returns the output's name. Empty input names mark skipped optional inputs. */
  op(opType: string, inputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}, hint = opType.toLowerCase()): string {
    return this.opN(opType, inputs, 1, attrs, hint)[0]!;
  }

  /** Adds a node with `outputs` outputs. */
  opN(opType: string, inputs: readonly string[], outputs: number, attrs: Readonly<Record<string, AttrValue>> = {}, hint = opType.toLowerCase()): string[] {
    const out = Array.from({ length: outputs }, (_, i) => this.name(outputs === 1 ? hint : `${hint}_${i}`));
    this.#nodes.push({
      name: this.name(`n_${hint}`),
      opType,
      input: [...inputs],
      output: out,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  /** Routes `value` to the reserved graph-output name `output` (an Identity, which ORT removes). */
  output(value: string, output: string): void {
    this.#nodes.push({ name: this.name(`n_${output}`), opType: "Identity", input: [value], output: [output], attribute: [] });
  }

  /** Bytes of initializer data so far. */
  get initializerBytes(): number {
    return this.#bytes;
  }

  /** The serialized model with one float32 input and one float32 output (protobuf caps one file at 2 GiB). */
  encode(io: { input: { name: string; dims: readonly Dim[] }; output: { name: string; dims: readonly Dim[] }; docString?: string; metadata?: Readonly<Record<string, string>>; graphName?: string }): Uint8Array {
    if (this.#bytes >= 2 ** 31) throw new Error(`the model's weights take ${(this.#bytes / 2 ** 30).toFixed(2)} GiB, past protobuf's 2 GiB limit for one ONNX file`);
    const valueInfo = (name: string, dims: readonly Dim[]): onnx.IValueInfoProto => ({
      name,
      type: { tensorType: { elemType: T.FLOAT, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
    });
    const model: onnx.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: "", version: this.opset }],
      producerName: "@transseg/onnx",
      producerVersion: "1",
      docString: io.docString ?? "",
      graph: {
        name: io.graphName ?? "transseg",
        node: this.#nodes,
        initializer: this.#initializers,
        input: [valueInfo(io.input.name, io.input.dims)],
        output: [valueInfo(io.output.name, io.output.dims)],
      },
      metadataProps: Object.entries(io.metadata ?? {}).map(([key, value]) => ({ key, value })),
    };
    return proto.ModelProto.encode(model).finish();
  }
}
