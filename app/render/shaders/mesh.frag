#version 330 core
// The fitting room's fragment shader for pyrender: soft "studio" shading at a fraction of the cost of
// pyrender's PBR shader on software OpenGL (llvmpipe). Wrapped Lambert diffuse (light bleeds a little
// past the terminator, as on skin and cloth) from every light plus a Blinn-Phong sheen, whose width
// follows roughness, from the key light (the brightest: pyrender hands the lights over in no fixed
// order) only. The sheen fades out on rough surfaces: matt cloth shows its dyed colour, not a white wash.
// Inputs are linear; base colour and emissive textures are sRGB; the output is sRGB (the standard's
// curves, IEC 61966-2-1, both ways). Two-sided surfaces (cloth) are lit on the side the camera sees.

struct DirectionalLight {
    vec3 color;
    float intensity;
    vec3 direction;
};

struct Material {
    vec3 emissive_factor;
    vec4 base_color_factor;
    float metallic_factor;
    float roughness_factor;
#ifdef HAS_EMISSIVE_TEX
    sampler2D emissive_texture;
#endif
#ifdef HAS_BASE_COLOR_TEX
    sampler2D base_color_texture;
#endif
};

uniform Material material;
uniform DirectionalLight directional_lights[MAX_DIRECTIONAL_LIGHTS];
uniform int n_directional_lights;
uniform vec3 cam_pos;
uniform vec3 ambient_light;

in vec3 frag_position;
#ifdef NORMAL_LOC
in vec3 frag_normal;
#endif
#ifdef TEXCOORD_0_LOC
in vec2 uv_0;
#endif
#ifdef TEXCOORD_1_LOC
// a zone that won't close (app/render/fit_overlay.py, hatch_coordinates): stripes per metre, inside
centroid in vec2 uv_1;
in vec2 view_xy;
#endif
#ifdef COLOR_0_LOC
in vec4 color_multiplier;
#endif

out vec4 frag_color;

const float PI = 3.141592653589793;
const float WRAP = 0.15;         // how far diffuse light wraps past 90 degrees
const float SHEEN = 0.04;        // dielectric reflectance at normal incidence
// The studio lights (app/render/lights.py) give a surface facing the camera 3.2431 units of wrapped
// diffuse light; with the ambient 0.15 that scales to exactly 1, so a swatch facing the camera shows
// its base colour as given: (1 - 0.15) * PI / 3.2431 (tests/test_render_colour.py checks it).
const float EXPOSURE = 0.8234;
const float SHEEN_ROUGH = 0.9;   // roughness at which the sheen is gone (cloth is 0.85, skin 0.62)
const float SHEEN_GLOSSY = 0.5;  // ... and below which it is whole
// The hatching's two reds, linear: WONT_FIT_SRGB and WONT_FIT_STRIPE_SRGB of app/render/constants.py
// (tests/test_render_colour.py checks they agree).
const vec3 WONT_FIT = vec3(0.7106, 0.0072, 0.0072);
const vec3 WONT_FIT_STRIPE = vec3(0.1706, 0.0015, 0.0015);

vec3 srgb_to_linear(vec3 c)
{
    return mix(c / 12.92, pow((c + 0.055) / 1.055, vec3(2.4)), step(vec3(0.04045), c));
}

vec3 linear_to_srgb(vec3 c)
{
    c = clamp(c, 0.0, 1.0);
    return mix(c * 12.92, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(vec3(0.0031308), c));
}

void main()
{
    vec4 base = material.base_color_factor;
#ifdef HAS_BASE_COLOR_TEX
    base.rgb *= srgb_to_linear(texture(material.base_color_texture, uv_0).rgb);
#endif
#ifdef COLOR_0_LOC
    base *= color_multiplier;
#endif
#ifdef TEXCOORD_1_LOC
    if (uv_1.y > 0.0) {  // diagonal stripes, sharp at any size, in the layer's shade (its vertex colour)
        vec3 stripe = fract((view_xy.x + view_xy.y) * uv_1.x) < 0.5 ? WONT_FIT : WONT_FIT_STRIPE;
#ifdef COLOR_0_LOC
        stripe *= color_multiplier.rgb;
#endif
        base.rgb = stripe;
    }
#endif
    vec3 v = normalize(cam_pos - frag_position);
#ifdef NORMAL_LOC
    vec3 n = normalize(frag_normal);
    if (!gl_FrontFacing) n = -n;
#else
    vec3 n = v;
#endif
    float r = clamp(material.roughness_factor, 0.05, 1.0);
    float shininess = 2.0 / (r * r * r * r) - 2.0;
    float norm = (shininess + 8.0) / (8.0 * PI);
    float sheen = SHEEN * (1.0 - smoothstep(SHEEN_GLOSSY, SHEEN_ROUGH, material.roughness_factor));
    vec3 color = base.rgb * ambient_light;
    // unlit surfaces (the floor shows its baked texture as emission) skip the lights entirely
    int n_lights = material.base_color_factor.rgb == vec3(0.0) ? 0 : n_directional_lights;
    int key = 0;
    for (int i = 1; i < n_lights; i++) {
        if (directional_lights[i].intensity > directional_lights[key].intensity) key = i;
    }
    for (int i = 0; i < n_lights; i++) {
        vec3 l = -directional_lights[i].direction;
        vec3 radiance = directional_lights[i].color * directional_lights[i].intensity;
        float nl = dot(n, l);
        float diffuse = max((nl + WRAP) / (1.0 + WRAP), 0.0);
        float spec = (i == key && nl > 0.0) ? sheen * norm * pow(max(dot(n, normalize(l + v)), 0.0), shininess) * nl : 0.0;
        color += EXPOSURE * radiance * (base.rgb / PI * diffuse + vec3(spec));
    }
    vec3 emissive = material.emissive_factor;
#ifdef HAS_EMISSIVE_TEX
    emissive *= srgb_to_linear(texture(material.emissive_texture, uv_0).rgb);
#endif
    color += emissive;
    frag_color = vec4(linear_to_srgb(color), clamp(base.a, 0.0, 1.0));
}
