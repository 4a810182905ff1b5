"""Reference draws from CPython's own `random`, for src/random/python-random.test.ts.

    python3 reference.py msd            # the stored msd-orders.json (REGEN=1 rewrites it)
    python3 reference.py sequence 1234 500
    python3 reference.py draws 1234

msd: one generator seeded 1234 shuffles list(range(n)) for the ten Medical Segmentation
Decathlon training-list lengths in sorted task order, as TransSeg's
src/data/msd/split_data_to_slices_nii.py shuffles dataset["training"] (the shuffle depends only
on the list's length). The lengths are the MSD dataset.json "numTraining" values.
"""
import json
import random
import sys

MSD_TRAINING_LENGTHS = {
    "Task01_BrainTumour": 484,
    "Task02_Heart": 20,
    "Task03_Liver": 131,
    "Task04_Hippocampus": 260,
    "Task05_Prostate": 32,
    "Task06_Lung": 63,
    "Task07_Pancreas": 281,
    "Task08_HepaticVessel": 303,
    "Task09_Spleen": 41,
    "Task10_Colon": 126,
}


def msd():
    random.seed(1234)
    tasks = []
    for task in sorted(MSD_TRAINING_LENGTHS):
        n = MSD_TRAINING_LENGTHS[task]
        order = list(range(n))
        random.shuffle(order)
        tasks.append({
            "taskId": task,
            "n": n,
            "train": int(0.8 * n),
            "val": int(0.95 * n) - int(0.8 * n),
            "test": n - int(0.95 * n),
            "order": order,
        })
    return {
        "generator": "test-data/python-random/reference.py msd (python %d.%d)" % sys.version_info[:2],
        "seed": 1234,
        "tasks": tasks,
    }


def sequence(seed, max_len):
    random.seed(seed)
    out = []
    for n in range(1, max_len + 1):
        order = list(range(n))
        random.shuffle(order)
        out.append(order)
    return out


def draws(seed):
    rng = random.Random(seed)
    bits = {str(k): [rng.getrandbits(k) for _ in range(20)] for k in (1, 2, 7, 31, 32, 33, 40, 52, 53)}
    floats = [rng.random() for _ in range(50)]
    below = {str(n): [rng._randbelow(n) for _ in range(50)] for n in (1, 2, 3, 5, 8, 100, 2**31, 2**32 + 3, 2**52 + 1)}
    return {"getrandbits": bits, "random": [repr(f) for f in floats], "randbelow": below}


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "msd":
        result = msd()
    elif mode == "sequence":
        result = sequence(int(sys.argv[2]), int(sys.argv[3]))
    elif mode == "draws":
        result = draws(int(sys.argv[2]))
    else:
        sys.exit("unknown mode " + mode)
    json.dump(result, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
