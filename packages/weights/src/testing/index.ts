export { testFormat, type FormatSample } from "./test-format.js";
export { testAdapter, type AdapterSample } from "./test-adapter.js";
export { expectSameTensors, type SameTensorsOptions } from "./expect-tensors.js";
export { crc32, writeZip, zipBytes, type ZipWriteEntry, type ZipWriteOptions } from "./zip-writer.js";
export { pickle, py, PyTuple, PyDict, PyGlobal, PyReduce, PyPersId, PyFloat, PyBuild, PyOrderedDict, type Py } from "./pickle-writer.js";
export { torchStateDict, torchStorage, torchTensor, writeTorchZip, type TorchStorage, type TorchZipOptions } from "./torch-zip.js";
export { enospc, fullDiskFs, fullDiskFsPromises, type FullDisk } from "./full-disk.js";
export { torchPython, transsegSwinSource, TRANSSEG_MIRROR } from "./transseg-reference.js";
export { sharedDir, SHARED_ENV } from "./shared-dir.js";
