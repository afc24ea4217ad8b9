#pragma once
// The model hash recorded in a generated layer's provenance: SHA-256 (hex) of a single-file
// checkpoint, or for a diffusers folder of its model_index.json followed by its UNet weights
// (what decides the pixels; the VAE and text encoder are shared between releases). Hashing a
// 5 GB checkpoint takes tens of seconds, so each file's hash is computed once per process and
// cached by path, size and modification time. Thread-safe; call it off the UI thread.
#include <QString>

namespace atelier::app {

// Empty when the model cannot be read (the caller records no hash rather than failing a job).
QString modelHash(const QString& modelPath);

}  // namespace atelier::app
