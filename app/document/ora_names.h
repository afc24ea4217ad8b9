#pragma once
// The stack.xml vocabulary shared by the OpenRaster reader and writer.
#include <QLatin1String>

namespace atelier::document::ora {

inline const QLatin1String kMimetype("image/openraster");
// Atelier's attributes (prefix atelier:, declared on <image>).
inline const QLatin1String kModelHash("atelier:model-hash");
inline const QLatin1String kPrompt("atelier:prompt");
inline const QLatin1String kNegativePrompt("atelier:negative-prompt");
inline const QLatin1String kSeed("atelier:seed");
inline const QLatin1String kSampler("atelier:sampler");
inline const QLatin1String kSteps("atelier:steps");
inline const QLatin1String kStrength("atelier:strength");
inline const QLatin1String kGuidanceScale("atelier:guidance-scale");
inline const QLatin1String kPipeline("atelier:pipeline");
inline const QLatin1String kMaskSrc("atelier:mask-src");
inline const QLatin1String kMaskX("atelier:mask-x");
inline const QLatin1String kMaskY("atelier:mask-y");
// A masked layer's src holds its pixels with the mask applied (what other programs should show);
// the pixels themselves are here.
inline const QLatin1String kUnmaskedSrc("atelier:unmasked-src");
inline const QLatin1String kUnmaskedX("atelier:unmasked-x");
inline const QLatin1String kUnmaskedY("atelier:unmasked-y");
inline const QLatin1String kInpaintMaskSrc("atelier:inpaint-mask-src");
inline const QLatin1String kInpaintMaskX("atelier:inpaint-mask-x");
inline const QLatin1String kInpaintMaskY("atelier:inpaint-mask-y");
inline const QLatin1String kXmlnsAtelier("xmlns:atelier");
// MyPaint writes pass-through groups with this op; Krita writes isolation="auto".
inline const QLatin1String kPassThroughOp("svg:pass-through");

}  // namespace atelier::document::ora
