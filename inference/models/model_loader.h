#pragma once
// Internal to inference/: the networks of an opened checkpoint, built and filled with its weights.
#include "inference/models/autoencoder_kl.h"
#include "inference/models/checkpoint.h"
#include "inference/models/load_weights.h"
#include "inference/models/open_clip_text.h"
#include "inference/models/unet.h"

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

namespace atelier::inference {

struct NetworkOptions {
    c10::Device device = c10::kCPU;
    c10::ScalarType dtype = c10::kFloat;
};

// The component's tensors in LDM naming: zero-copy views of the file where no fusing or
// reshaping is needed.
TensorMap componentTensors(const ComponentSource& source);

// Names of the file the network deliberately does not use (the text encoder's last block, ...).
std::vector<std::string> unusedNames(const ComponentSource& source, const ModelCheckpoint& checkpoint);

UNetModel loadUNet(const ModelCheckpoint& checkpoint, const NetworkOptions& options);
AutoencoderKL loadVae(const ModelCheckpoint& checkpoint, const NetworkOptions& options);
OpenClipText loadTextEncoder(const ModelCheckpoint& checkpoint, const NetworkOptions& options);

}  // namespace atelier::inference
