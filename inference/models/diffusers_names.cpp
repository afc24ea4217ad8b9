#include "inference/models/diffusers_names.h"

#include <cctype>
#include <cstdlib>
#include <optional>
#include <set>

namespace atelier::inference {
namespace {

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Splits "a.3.rest" after `prefix` ("a.") into 3 and "rest"; nullopt when not of that form.
std::optional<std::pair<int, std::string>> indexAfter(const std::string& name, const std::string& prefix) {
    if (!startsWith(name, prefix)) return std::nullopt;
    const std::size_t begin = prefix.size();
    std::size_t end = begin;
    while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end]))) ++end;
    if (end == begin || end >= name.size() || name[end] != '.') return std::nullopt;
    return std::make_pair(std::atoi(name.substr(begin, end - begin).c_str()), name.substr(end + 1));
}

std::string replacePrefix(const std::string& rest, const std::vector<std::pair<std::string, std::string>>& table) {
    for (const auto& [from, to] : table)
        if (startsWith(rest, from)) return to + rest.substr(from.size());
    return rest;
}

int countIndices(const ShapeMap& shapes, const std::string& prefix) {
    std::set<int> seen;
    for (const auto& [name, shape] : shapes)
        if (auto parsed = indexAfter(name, prefix)) seen.insert(parsed->first);
    return static_cast<int>(seen.size());
}

bool anyStartsWith(const ShapeMap& shapes, const std::string& prefix) {
    const auto it = shapes.lower_bound(prefix);
    return it != shapes.end() && startsWith(it->first, prefix);
}

// --- UNet ---------------------------------------------------------------------------------------

std::string unetResnet(const std::string& rest) {
    return replacePrefix(rest, {{"norm1.", "in_layers.0."},
                                {"conv1.", "in_layers.2."},
                                {"time_emb_proj.", "emb_layers.1."},
                                {"norm2.", "out_layers.0."},
                                {"conv2.", "out_layers.3."},
                                {"conv_shortcut.", "skip_connection."}});
}

std::optional<std::string> unetName(const std::string& name, const ShapeMap& shapes, int perLevel) {
    const int R = perLevel - 1;
    auto block = [](const std::string& list, int index, int slot, const std::string& rest) {
        return list + "." + std::to_string(index) + "." + std::to_string(slot) + "." + rest;
    };
    if (startsWith(name, "conv_in.")) return "input_blocks.0.0." + name.substr(8);
    if (startsWith(name, "time_embedding.linear_1.")) return "time_embed.0." + name.substr(24);
    if (startsWith(name, "time_embedding.linear_2.")) return "time_embed.2." + name.substr(24);
    if (name == "class_embedding.weight") return std::string("label_emb.weight");
    if (startsWith(name, "conv_norm_out.")) return "out.0." + name.substr(14);
    if (startsWith(name, "conv_out.")) return "out.2." + name.substr(9);
    if (auto down = indexAfter(name, "down_blocks.")) {
        const int i = down->first;
        const std::string& rest = down->second;
        if (auto r = indexAfter(rest, "resnets."))
            return block("input_blocks", 1 + i * perLevel + r->first, 0, unetResnet(r->second));
        if (auto a = indexAfter(rest, "attentions."))
            return block("input_blocks", 1 + i * perLevel + a->first, 1, a->second);
        if (startsWith(rest, "downsamplers.0.conv."))
            return block("input_blocks", (i + 1) * perLevel, 0, "op." + rest.substr(20));
    }
    if (auto mid = indexAfter(name, "mid_block.resnets.")) {
        if (mid->first <= 1) return "middle_block." + std::to_string(mid->first * 2) + "." + unetResnet(mid->second);
    }
    if (startsWith(name, "mid_block.attentions.0.")) return "middle_block.1." + name.substr(23);
    if (auto up = indexAfter(name, "up_blocks.")) {
        const int i = up->first;
        const std::string& rest = up->second;
        if (auto r = indexAfter(rest, "resnets."))
            return block("output_blocks", i * perLevel + r->first, 0, unetResnet(r->second));
        if (auto a = indexAfter(rest, "attentions."))
            return block("output_blocks", i * perLevel + a->first, 1, a->second);
        if (startsWith(rest, "upsamplers.0.conv.")) {
            const bool hasAttention = anyStartsWith(shapes, "up_blocks." + std::to_string(i) + ".attentions.");
            return block("output_blocks", i * perLevel + R, hasAttention ? 2 : 1, "conv." + rest.substr(18));
        }
    }
    return std::nullopt;
}

// --- VAE ----------------------------------------------------------------------------------------

std::string vaeResnet(const std::string& rest) {
    return replacePrefix(rest, {{"conv_shortcut.", "nin_shortcut."}});
}

std::optional<std::string> vaeMid(const std::string& prefix, const std::string& rest) {
    if (auto r = indexAfter(rest, "resnets.")) {
        if (r->first > 1) return std::nullopt;
        return prefix + "mid.block_" + std::to_string(r->first + 1) + "." + vaeResnet(r->second);
    }
    if (startsWith(rest, "attentions.0.")) {
        const std::string a = replacePrefix(rest.substr(13), {{"group_norm.", "norm."},
                                                                {"to_q.", "q."},
                                                                {"to_k.", "k."},
                                                                {"to_v.", "v."},
                                                                {"to_out.0.", "proj_out."},
                                                                {"query.", "q."},
                                                                {"key.", "k."},
                                                                {"value.", "v."},
                                                                {"proj_attn.", "proj_out."}});
        return prefix + "mid.attn_1." + a;
    }
    return std::nullopt;
}

std::optional<std::string> vaeName(const std::string& name, int upLevels) {
    if (startsWith(name, "quant_conv.") || startsWith(name, "post_quant_conv.")) return name;
    for (const std::string part : {"encoder.", "decoder."}) {
        if (!startsWith(name, part)) continue;
        const std::string rest = name.substr(part.size());
        if (startsWith(rest, "conv_in.") || startsWith(rest, "conv_out.")) return name;
        if (startsWith(rest, "conv_norm_out.")) return part + "norm_out." + rest.substr(14);
        if (startsWith(rest, "mid_block.")) return vaeMid(part, rest.substr(10));
        if (part == "encoder.") {
            if (auto d = indexAfter(rest, "down_blocks.")) {
                const std::string level = part + "down." + std::to_string(d->first) + ".";
                if (auto r = indexAfter(d->second, "resnets."))
                    return level + "block." + std::to_string(r->first) + "." + vaeResnet(r->second);
                if (startsWith(d->second, "downsamplers.0.conv."))
                    return level + "downsample.conv." + d->second.substr(20);
            }
        } else if (auto u = indexAfter(rest, "up_blocks.")) {
            const std::string level = part + "up." + std::to_string(upLevels - 1 - u->first) + ".";
            if (auto r = indexAfter(u->second, "resnets."))
                return level + "block." + std::to_string(r->first) + "." + vaeResnet(r->second);
            if (startsWith(u->second, "upsamplers.0.conv."))
                return level + "upsample.conv." + u->second.substr(18);
        }
    }
    return std::nullopt;
}

// --- text encoder -------------------------------------------------------------------------------

std::optional<std::string> textName(const std::string& name) {
    if (name == "text_model.embeddings.token_embedding.weight") return std::string("token_embedding.weight");
    if (name == "text_model.embeddings.position_embedding.weight") return std::string("positional_embedding");
    if (startsWith(name, "text_model.final_layer_norm.")) return "ln_final." + name.substr(28);
    if (auto layer = indexAfter(name, "text_model.encoder.layers.")) {
        const std::string block = "transformer.resblocks." + std::to_string(layer->first) + ".";
        const std::string mapped = replacePrefix(layer->second, {{"self_attn.out_proj.", "attn.out_proj."},
                                                                 {"layer_norm1.", "ln_1."},
                                                                 {"layer_norm2.", "ln_2."},
                                                                 {"mlp.fc1.", "mlp.c_fc."},
                                                                 {"mlp.fc2.", "mlp.c_proj."}});
        if (mapped != layer->second) return block + mapped;
    }
    return std::nullopt;
}

}  // namespace

const char* componentName(Component component) {
    switch (component) {
        case Component::UNet: return "unet";
        case Component::Vae: return "vae";
        case Component::TextEncoder: return "text encoder";
    }
    return "?";
}

TensorRecipes identityRecipes(const ShapeMap& shapes) {
    TensorRecipes recipes;
    for (const auto& [name, shape] : shapes) recipes[name] = {{name}, shape};
    return recipes;
}

ShapeMap shapesOf(const TensorRecipes& recipes) {
    ShapeMap shapes;
    for (const auto& [name, recipe] : recipes) shapes[name] = recipe.shape;
    return shapes;
}

TensorRecipes diffusersToLdm(Component component, const ShapeMap& shapes) {
    TensorRecipes recipes;
    const int perLevel = countIndices(shapes, "down_blocks.0.resnets.") + 1;
    const int upLevels = countIndices(shapes, "decoder.up_blocks.");
    // q/k/v parts of the text encoder's fused projections, collected per layer and kind.
    std::map<std::string, std::map<char, std::string>> fused;
    for (const auto& [name, shape] : shapes) {
        std::optional<std::string> ldm;
        switch (component) {
            case Component::UNet: ldm = unetName(name, shapes, perLevel); break;
            case Component::Vae: ldm = vaeName(name, upLevels); break;
            case Component::TextEncoder:
                if (name == "text_model.embeddings.position_ids") continue;
                if (auto layer = indexAfter(name, "text_model.encoder.layers.")) {
                    const std::string& rest = layer->second;
                    if (startsWith(rest, "self_attn.") && rest.size() > 17 && rest.compare(11, 6, "_proj.") == 0 &&
                        (rest[10] == 'q' || rest[10] == 'k' || rest[10] == 'v')) {
                        const std::string target = "transformer.resblocks." + std::to_string(layer->first) +
                                                   ".attn.in_proj_" + rest.substr(17);
                        fused[target][rest[10]] = name;
                        continue;
                    }
                }
                ldm = textName(name);
                break;
        }
        std::vector<int64_t> ldmShape = shape;
        // VAE attention projections are Linear in diffusers, 1x1 convolutions in the original.
        if (ldm && component == Component::Vae && ldm->find(".mid.attn_1.") != std::string::npos &&
            shape.size() == 2 && ldm->find(".norm.") == std::string::npos)
            ldmShape = {shape[0], shape[1], 1, 1};
        recipes[ldm.value_or(name)] = {{name}, ldmShape};
    }
    for (const auto& [target, parts] : fused) {
        if (parts.size() != 3) {
            for (const auto& [kind, name] : parts) recipes[name] = {{name}, shapes.at(name)};
            continue;
        }
        std::vector<int64_t> shape = shapes.at(parts.at('q'));
        bool consistent = true;
        for (char kind : {'k', 'v'}) consistent = consistent && shapes.at(parts.at(kind)) == shape;
        if (!consistent || shape.empty()) {
            for (const auto& [kind, name] : parts) recipes[name] = {{name}, shapes.at(name)};
            continue;
        }
        shape[0] *= 3;
        recipes[target] = {{parts.at('q'), parts.at('k'), parts.at('v')}, shape};
    }
    return recipes;
}

}  // namespace atelier::inference
