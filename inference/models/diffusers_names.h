#pragma once
// The one place where diffusers' folder layout is mapped onto the original LDM names our modules
// use. Plain C++ on names and shapes: it runs on file headers before any tensor is read.
//
// Most tensors are renamed one to one; two kinds change shape: the text encoder's separate
// q/k/v projections become open_clip's fused `in_proj_*` (concatenated along dim 0), and the VAE
// attention's Linear weights [C, C] become the original 1x1 convolutions [C, C, 1, 1].
#include "inference/models/layout.h"

#include <map>
#include <string>
#include <vector>

namespace atelier::inference {

// How one LDM-named tensor is assembled from a file's tensors.
struct TensorRecipe {
    std::vector<std::string> sources;  // names in the file; several = concatenated along dim 0
    std::vector<int64_t> shape;        // the resulting shape (a reshape when it differs)
};
using TensorRecipes = std::map<std::string, TensorRecipe>;  // LDM name -> recipe

enum class Component { UNet, Vae, TextEncoder };
const char* componentName(Component component);

// Names a file of the original layout already uses: identity recipes.
TensorRecipes identityRecipes(const ShapeMap& shapes);

// Diffusers names (relative to unet/, vae/ or text_encoder/) -> LDM names. A name with no LDM
// counterpart keeps its own name, so the layout check reports it as unexpected; a fused tensor
// whose parts are incomplete keeps the parts' names likewise. Buffers that carry no weights
// (`position_ids`) are dropped.
TensorRecipes diffusersToLdm(Component component, const ShapeMap& diffusersShapes);

ShapeMap shapesOf(const TensorRecipes& recipes);

}  // namespace atelier::inference
