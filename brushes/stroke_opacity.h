#pragma once
// What "opacity" means for a stroke: the alpha a straight stroke of constant settings reaches on
// its centre line, whatever the hardness and spacing. A centre-line pixel is covered by the dabs
// k * spacing radii away (|k| * spacing < 1), each contributing a * profile(k * spacing); the
// dab alpha a is solved so that
//     1 - prod_k (1 - a * profile(|k| * spacing)) = opacity.
// (libmypaint's opaque_linearize assumes flat dabs; a soft mask brush then never reaches the
// pressure it was given.) Flow multiplies the result, so strokes with flow < 1 build up.
namespace atelier::brushes {

// Dab alpha for a stroke opacity; profile as in dab_renderer.h for `radius` and `hardness`.
float dabOpacityForStroke(float strokeOpacity, float hardness, float spacing, float radius);

}  // namespace atelier::brushes
