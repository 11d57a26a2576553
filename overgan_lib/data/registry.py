"""The three datasets of Sec. 3: what they are, where the offline copies live, their caveats."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DatasetCard:
    """Everything a reader needs to know about a dataset before trusting a number on it."""

    name: str
    title: str
    resolution: int
    channels: int
    counts: dict[str, int]
    source: str
    licence: str
    citation: str
    preprocessing: str
    archives: dict[str, str]  # relative path in the offline root -> sha256
    caveats: list[str] = field(default_factory=list)


MNIST = DatasetCard(
    name="mnist",
    title="MNIST handwritten digits",
    resolution=28,
    channels=1,
    counts={"train": 60_000, "test": 10_000},
    source="Y. LeCun and C. Cortes; original IDX files (bit-exact copy offline)",
    licence="CC BY-SA 3.0",
    citation="lecun1998mnist",
    preprocessing="28x28 grey, uint8 -> [-1, 1]",
    archives={
        "MNIST/raw/train-images-idx3-ubyte":
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "MNIST/raw/train-labels-idx1-ubyte":
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "MNIST/raw/t10k-images-idx3-ubyte":
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "MNIST/raw/t10k-labels-idx1-ubyte":
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    },
)

CIFAR10 = DatasetCard(
    name="cifar10",
    title="CIFAR-10",
    resolution=32,
    channels=3,
    counts={"train": 50_000, "test": 10_000},
    source="A. Krizhevsky (2009); offline copy re-encoded as JPEG (quality about 75)",
    licence="no explicit licence; distributed by the authors for research",
    citation="krizhevsky2009learning",
    preprocessing="32x32 RGB, uint8 -> [-1, 1]",
    archives={"cifar10-jpeg.tar.xz":
              "81ef9f53a077a267b0a4411370880e4829102c4118dc2555a91672971d2915cf"},
    caveats=[
        "The offline CIFAR-10 is a JPEG re-encoding of the original pickles, so its pixels "
        "differ slightly; FIDs against it are not exactly comparable with FIDs against the "
        "original data (torchvision's download).",
    ],
)

CELEBA = DatasetCard(
    name="celeba",
    title="CelebA (aligned and cropped faces)",
    resolution=64,
    channels=3,
    counts={"train": 8_000, "test": 2_000},
    source="Liu et al. (2015); offline copy: the first 10,000 images at half resolution (89x109)",
    licence="non-commercial research use only",
    citation="liu2015faceattributes",
    preprocessing="centre crop 54 px of the 89x109 half-resolution image, resize to 64x64 "
                  "(the usual pipeline crops 108 px of 178x218), uint8 -> [-1, 1]",
    archives={"celeba-10k-jpeg.tar.xz":
              "8edcb1ac85f31ecaeeeacca4ee2fa32defcd2a01a8aec40e10ae41e2d098bb4e"},
    caveats=[
        "Only 10,000 of CelebA's 202,599 images are available offline (000001-010000, all from "
        "the official train partition), at half resolution.",
        "The centre crop is 54 px of 89x109 instead of 108 px of 178x218; resizing 54 px up to "
        "64 px blurs the images slightly compared with the full-resolution pipeline.",
        "Our split of the offline subset: images 000001-008000 are 'train' and 008001-010000 "
        "are 'test' (the official partition has no test images in this range).",
    ],
)

CARDS: dict[str, DatasetCard] = {c.name: c for c in (MNIST, CIFAR10, CELEBA)}
SPLITS = ("train", "test")
