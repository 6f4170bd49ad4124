#!/usr/bin/env bash
# Runs ON the GPU machine (the `device` tool), from the repository root, with .gpu/ carried (built
# here by bench/gpu/prepare.sh):  run(command="bash bench/gpu/run.sh", carry=[".gpu"], timeout_s=540)
# 1. Vulkan loaders for Dawn, then the node kit; 2. the webgpu backend checked against cpu;
# 3. the onnx engine on ONNX Runtime's WebGPU provider checked against the same engine on the CPU;
# 4. the training bench on both GPU paths (tfjs webgpu, onnx-webgpu) beside PyTorch CUDA on the
#    same GPU, batch 128 and 1024.
# Everything it prints, and JSON results, land in $OUT.
set -uo pipefail
OUT=${OUT:-/tmp/gpu-out}; mkdir -p "$OUT"
exec > >(tee "$OUT/run.log") 2>&1

for f in .gpu/*.deb; do dpkg -x "$f" /; done
ldconfig
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES=$icd
egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f "$egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$egl

kit=/tmp/aelang-kit
rm -rf "$kit" && mkdir -p "$kit" && xz -dc .gpu/kit.tar.xz | tar -C "$kit" -xf -
export PATH="$kit:$PATH"
echo "node $(node --version); $(nvidia-smi -L 2>&1 | head -1)"
python=$(command -v python3)
echo "python $python: $($python -c 'import torch; print(torch.__version__, torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")')"

echo '== backend selection (auto must take webgpu)'
node "$kit/js/bench/gpu/select.js" | tee "$OUT/select.json"

echo '== conformance: webgpu against cpu on every shipped model'
timeout 150 node "$kit/js/bench/gpu/conformance.js" --backend webgpu --json "$OUT/conformance.json"

echo '== conformance: the onnx engine on WebGPU against the same engine on the CPU'
timeout 120 node "$kit/js/bench/gpu/onnx-conformance.js" --json "$OUT/onnx-conformance.json"

for batch in 128 1024; do
  echo "== training throughput, batch $batch: tfjs webgpu and onnx-webgpu vs PyTorch CUDA"
  AE_BENCH_PYTHON=$python timeout 130 node "$kit/js/bench/train-speed.js" --backend webgpu --onnx-provider webgpu --torch-device cuda \
    --threads 1 --archs hinton,keras-conv,mnist-ae --batch "$batch" --samples $((batch * 64)) --reps 3 \
    --json "$OUT/train-speed-$batch.json"
done
