"""Neural-net divergence (NND) of Gulrajani, Raffel and Metz (ICLR 2019), used in Fig. 6.

A fresh WGAN-GP critic is trained to separate samples of a "generator" from real images;
the NND is the negated critic loss, gradient penalty included, measured with the EMA of
the critic weights on held-out real images against fresh samples. A larger NND means the
critic separates the two better, i.e. a worse generator.

Reference: google-research ``towards_gan_benchmarks`` (``lib/nn_divergence.py``,
``lib/gan.py``). What is taken from it, and where:

* ``nn_divergence.set_flags``: batch 256, EMA decay 0.999, 100k steps, WGAN-GP critic,
  He initialiser, lr 2e-4 with linear decay, swish, no normalisation, no L2 penalty,
  ``wgangp_minimax=True`` (divergence = -disc_cost, penalty included); ``gan.set_flags``
  for WGAN-GP: Adam beta1 = 0, beta2 = 0.9, lambda = 10, dim 64, 5x5 kernels.
* ``gan.dcgan_discriminator``: conv(64) -> conv(128) -> conv(256), 5x5 stride 2 'SAME'
  (slim default padding), swish after each, then a linear layer to one output. The convs
  use ``variance_scaling_initializer()`` (truncated normal, std sqrt(1.3 * 2 / fan_in)),
  the linear layer slim's default Xavier-uniform; all biases start at zero.
* ``gan.losses`` (``wgan-gp``): cost = mean D(fake) - mean D(real) + 10 mean((s - 1)^2),
  s = sqrt(1e-8 + |grad D(x_hat)|^2), x_hat = real + a (fake - real), a ~ U[0, 1].
* ``gan.disc_train_op``: Adam at lr * (1 - step / iters), TF's Adam (epsilon 1e-8 added to
  sqrt(v), bias correction folded into the step size).
* ``nn_divergence._make_runner``: uint8 -> (x - 128) / 128 + U[0, 1/128) on both sides;
  ``tf.train.ExponentialMovingAverage(0.999)`` of the critic weights after every step,
  started at the initial weights; the final score is the mean divergence over
  ``final_eval_iters`` batches with the EMA weights swapped in.

Deviations (all deliberate, each a parameter where it matters):

1. Held-out evaluation. The reference trains and evaluates on one real stream (its
   caller's ``real_gen``); here the critic trains on ``real_fit`` and is evaluated on
   ``real_eval`` (issue 10: train split vs test split), against fresh samples.
2. Step count and evaluation size are parameters (reference: 100k steps, 10k evaluation
   batches of 256); ``curve_at`` evaluates the EMA critic at checkpoints of the *same* run,
   whose learning rate decays linearly over the full ``steps``, so a checkpoint at step s
   is not a run with ``steps=s``.
3. Real batches are drawn as seeded epoch-wise permutations of ``real_fit`` (the
   reference leaves the real stream to its caller); images may be any (C, H, W), the
   reference fixes 32x32x3 (the linear layer's width follows the image size).
4. PyTorch's NCHW layout: the linear layer sees the features in (C, H, W) order rather
   than TF's (H, W, C), a fixed permutation of a freshly initialised layer. (Tensors are
   kept channels_last in memory for speed; that changes no value.)
5. Random numbers come from PyTorch generators seeded by ``seed`` (initial weights,
   dequantisation noise, penalty mixing weights, real batches), so the CPU score is
   bitwise reproducible; the reference leaves its graph unseeded by default.

Added, not in the reference: every result also records the critic's real-side gap
(:func:`real_gap`), its mean output on its own fit images minus on the held-out ones, for
the EMA and the raw critic, with standard errors. It answers whether the critic learnt its
fit set (issue 10; chapter 10, "Does the critic learn its real images?"). It is computed
after the score with generators of its own, so it neither enters nor moves the NND.
"""

from .critic import DIM, KERNEL, NNDCritic, SameConv, init_critic, same_padding, swish
from .optim import BETAS, TFAdam, ema_update
from .protocol import (
    BATCH,
    EMA,
    GP_WEIGHT,
    LR,
    REFERENCE_EVAL_BATCHES,
    REFERENCE_STEPS,
    NNDResult,
    Sampler,
    check_images,
    critic_cost,
    dequantize,
    nnd,
    real_gap,
    train_step,
)

__all__ = [
    "BATCH", "BETAS", "DIM", "EMA", "GP_WEIGHT", "KERNEL", "LR", "REFERENCE_EVAL_BATCHES",
    "REFERENCE_STEPS", "NNDCritic", "NNDResult", "Sampler", "SameConv", "TFAdam",
    "check_images", "critic_cost", "dequantize", "ema_update", "init_critic", "nnd",
    "real_gap", "same_padding", "swish", "train_step",
]
