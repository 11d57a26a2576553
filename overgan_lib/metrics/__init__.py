"""Metrics of Sec. 3 (FID and KID via pytorch-fid, reference statistics per dataset) and of
the generalization study (neural-net divergence, nearest neighbours, baseline samplers)."""

from .fid import (
    Score,
    features,
    frechet,
    frechet_features,
    kid,
    quantize,
    score_features,
    statistics,
)
from .inception import ensure_weights, fid_model, weights_path
from .neighbours import Neighbours, copy_ratio, feature_neighbours, pixel_neighbours
from .nnd import NNDCritic, NNDResult
from .reference import reference_features, score_against, score_generator
from .samplers import Blurred, GeneratorSampler, Memoriser, Noisy

__all__ = ["Blurred", "GeneratorSampler", "Memoriser", "NNDCritic", "NNDResult", "Neighbours",
           "Noisy", "Score", "copy_ratio", "ensure_weights", "feature_neighbours", "features",
           "fid_model", "frechet", "frechet_features", "kid", "pixel_neighbours", "quantize",
           "reference_features", "score_against", "score_features", "score_generator",
           "statistics", "weights_path"]
