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

// One tensor of the component in LDM naming, assembled from the file (read with pread, so a
// file changed under us is an error, not SIGBUS).
at::Tensor componentTensor(const ComponentSource& source, const std::string& ldmName);

// Names of the file the network deliberately does not use (the text encoder's last block, ...).
std::vector<std::string> unusedNames(const ComponentSource& source, const ModelCheckpoint& checkpoint);

UNetModel loadUNet(const ModelCheckpoint& checkpoint, const NetworkOptions& options);
AutoencoderKL loadVae(const ModelCheckpoint& checkpoint, const NetworkOptions& options);
OpenClipText loadTextEncoder(const ModelCheckpoint& checkpoint, const NetworkOptions& options);

}  // namespace atelier::inference
