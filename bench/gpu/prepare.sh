#!/usr/bin/env bash
# Builds .gpu/, everything the GPU machine (the `device` tool's NVIDIA H200) lacks for bench/gpu/run.sh,
# HERE, on the development machine: that machine reaches no registry, has Python with CUDA PyTorch but
# no project node_modules, and a carried tree is limited to 64 MiB. So this packs, xz-compressed:
#   - the Vulkan loader packages Dawn needs (the device README's recipe),
#   - the project compiled to JavaScript (no tsx there), benchmarks and conformance checks included,
#   - the runtime's npm packages plus the optional webgpu peers (linux-x64 Dawn only, no source maps)
#     and onnxruntime-node (its linux-x64 build: the CPU kernels and the WebGPU provider),
#   - this machine's node binary.
# Then, in ONE device call:  run(command="bash bench/gpu/run.sh", carry=[".gpu"], timeout_s=540)
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
exclude=$(git rev-parse --git-path info/exclude); mkdir -p "$(dirname "$exclude")"
grep -qx '/.gpu/' "$exclude" 2>/dev/null || echo '/.gpu/' >> "$exclude"
rm -rf .gpu && mkdir -p .gpu/stage

echo '== Vulkan loaders'
mkdir -p /tmp/amd64/partial
apt=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
apt-get "${apt[@]}" update -qq
(cd .gpu && apt-get "${apt[@]}" download -qq libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)

echo '== project, compiled'
npx tsc -p tsconfig.json --noEmit false --outDir .gpu/stage/js --sourceMap false --declaration false
# What the compiled scripts read beside themselves: the PyTorch peer, and the models the conformance check runs.
cp bench/torch_peer.py .gpu/stage/js/bench/
cp runtime/backends/tfjs-gradients.generated.cjs .gpu/stage/js/runtime/backends/
cp -r specs examples .gpu/stage/js/

echo '== npm packages'
# The version the lockfile installs here, or (a peer not installed here) the one package.json names.
version() { node -p "const p = require('./package.json'); require('./package-lock.json').packages['node_modules/$1']?.version ?? p.peerDependencies['$1']"; }
cat > .gpu/stage/package.json <<JSON
{ "name": "aelang-gpu-kit", "private": true, "type": "module" }
JSON
# Everything the runtime depends on, plus what the benchmarks and conformance checks use: the GPU
# peers, tfjs-layers (train-speed's peer), ajv (IR validation) and onnxruntime-node.
mapfile -t runtime < <(node -p "Object.keys(require('./package.json').dependencies).join('\n')")
packages=()
for name in "${runtime[@]}" @tensorflow/tfjs-layers ajv @tensorflow/tfjs-backend-webgpu webgpu onnxruntime-node; do
  packages+=("$name@$(version "$name")")
done
(cd .gpu/stage && npm install --no-audit --no-fund --no-save --ignore-scripts "${packages[@]}" >/dev/null)
modules=.gpu/stage/node_modules
rm -rf "$modules"/webgpu/dist/{darwin-universal,win32-x64,win32-arm64,linux-arm64}
# onnxruntime-node's CPU and WebGPU providers for linux-x64 only (its install script, which fetches
# CUDA providers, is not run: --ignore-scripts)
rm -rf "$modules"/onnxruntime-node/bin/napi-v6/{darwin,win32,linux/arm64}
find "$modules" \( -name '*.map' -o -name '*.min.js' -o -name '*.es2017.js' -o -name '*.fesm.js' -o -name '*.d.ts' \) -delete

echo '== node'
cp "$(command -v node)" .gpu/stage/node

tar -C .gpu/stage -cf - . | xz -T0 -9 > .gpu/kit.tar.xz
rm -rf .gpu/stage
du -sh .gpu/*.deb .gpu/kit.tar.xz | sort -h | tail -3
total=$(du -sb .gpu | cut -f1)
echo "carry .gpu: $((total / 1048576)) MiB (the limit for everything carried is 64 MiB)"
