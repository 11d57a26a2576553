"""Metrics of Sec. 3: FID and KID via pytorch-fid, reference statistics per dataset."""

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
from .reference import reference_features, score_against, score_generator

__all__ = ["Score", "ensure_weights", "features", "fid_model", "frechet", "frechet_features",
           "kid", "quantize", "reference_features", "score_against", "score_features",
           "score_generator", "statistics", "weights_path"]
