#version 330 core
// The fitting room's fragment shader for pyrender: soft "studio" shading at a fraction of the cost of
// pyrender's PBR shader on software OpenGL (llvmpipe). Wrapped Lambert diffuse (light bleeds a little
// past the terminator, as on skin and cloth) from every light plus a Blinn-Phong sheen, whose width
// follows roughness, from the key light (the first) only.
// Inputs are linear; base colour and emissive textures are sRGB; the output is sRGB (gamma 2.2), as
// pyrender's. Two-sided surfaces (cloth) are lit on the side the camera sees.

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
#ifdef COLOR_0_LOC
in vec4 color_multiplier;
#endif

out vec4 frag_color;

const float PI = 3.141592653589793;
const float WRAP = 0.15;         // how far diffuse light wraps past 90 degrees
const float SHEEN = 0.04;        // dielectric reflectance at normal incidence
const float EXPOSURE = 0.8;      // matches the brightness of pyrender's shader under the same lights

vec3 srgb_to_linear(vec3 c)
{
    return c * (c * (c * 0.305306011 + 0.682171111) + 0.012522878);
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
    vec3 color = base.rgb * ambient_light;
    // unlit surfaces (the floor shows its baked texture as emission) skip the lights entirely
    int n_lights = material.base_color_factor.rgb == vec3(0.0) ? 0 : n_directional_lights;
    for (int i = 0; i < n_lights; i++) {
        vec3 l = -directional_lights[i].direction;
        vec3 radiance = directional_lights[i].color * directional_lights[i].intensity;
        float nl = dot(n, l);
        float diffuse = max((nl + WRAP) / (1.0 + WRAP), 0.0);
        float spec = (i == 0 && nl > 0.0) ? SHEEN * norm * pow(max(dot(n, normalize(l + v)), 0.0), shininess) * nl : 0.0;
        color += EXPOSURE * radiance * (base.rgb / PI * diffuse + vec3(spec));
    }
    vec3 emissive = material.emissive_factor;
#ifdef HAS_EMISSIVE_TEX
    emissive *= srgb_to_linear(texture(material.emissive_texture, uv_0).rgb);
#endif
    color += emissive;
    frag_color = clamp(vec4(pow(color, vec3(1.0 / 2.2)), base.a), 0.0, 1.0);
}
