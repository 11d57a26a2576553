#!/usr/bin/env bash
# The device checks of issues 8 and 9, as one script for a session lent an H200.
#
# Prepare here (CPU machine), once per session:
#   mkdir -p .whl .data-carry/cifar10 && pip download --no-deps -d .whl pytorch-fid==0.3.0
#   cp ../shared/data/cifar10-jpeg.tar.xz .data-carry/      # 18.5 MB
#   split -b 48M ~/.cache/torch/hub/checkpoints/pt_inception-2015-12-05-6726825d.pth .w.part-
#   (.whl, .data-carry, .w.part-* are git-ignored; carry them.)
# Device call 1 (carry .w.part-aa):           mkdir -p /tmp/w && cp .w.part-aa /tmp/w/
# Device call 2, at once (carry .w.part-ab .whl .data-carry):
#   bash tools/gpu_session.sh STAGE          # STAGE: checks | dcgan | celeba | all
# What comes back: $OUT/gpu-results.tar.gz (results/ records, weights, logs). Commit what it
# holds with its provenance; the closing note quotes the bench lines from $OUT/log.txt.
set -uo pipefail
stage="${1:-checks}"
export PYTHONUNBUFFERED=1 OVERGAN_DATA="$PWD/.data-carry" PYTHONPATH="$PWD"
hub="$HOME/.cache/torch/hub/checkpoints"
mkdir -p "$hub"
if [ -f .w.part-ab ] && [ -f /tmp/w/.w.part-aa ]; then
  cat /tmp/w/.w.part-aa .w.part-ab > "$hub/pt_inception-2015-12-05-6726825d.pth"
fi
pip install --quiet --no-deps .whl/*.whl 2>&1 | tail -1
log="$OUT/log.txt"
run() { echo "+ $*" | tee -a "$log"; "$@" 2>&1 | tee -a "$log"; }
nvidia-smi --query-gpu=name,memory.total --format=csv | tee -a "$log"
python -c "import torch, scipy; print('torch', torch.__version__, 'scipy', scipy.__version__)" \
  | tee -a "$log"
if [ "$stage" = checks ] || [ "$stage" = all ]; then
  run python -m pytest -q -m cuda tests/test_runner.py tests/test_frechet.py
  run python -m overgan_lib.cli bench train --device cuda --arch dcgan --k 64 --iters 50 --rounds 3
  run python -m overgan_lib.cli bench gpu-sweep --device cuda --iters 100
fi
if [ "$stage" = dcgan ] || [ "$stage" = all ]; then
  run python -m overgan_lib.cli sweep cifar10_dcgan --profile gpu
fi
if [ "$stage" = celeba ] || [ "$stage" = all ]; then
  run python -m overgan_lib.cli sweep celeba_dcgan --profile gpu
fi
tar czf "$OUT/gpu-results.tar.gz" results "$log" 2>/dev/null
echo "packed: $(du -h "$OUT/gpu-results.tar.gz" | cut -f1)"
