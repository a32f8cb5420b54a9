#version 330 core
// The fitting room's vertex shader for pyrender (same attributes and uniforms as pyrender's mesh.vert).

layout(location = 0) in vec3 position;
#ifdef NORMAL_LOC
layout(location = NORMAL_LOC) in vec3 normal;
#endif
#ifdef TEXCOORD_0_LOC
layout(location = TEXCOORD_0_LOC) in vec2 texcoord_0;
#endif
#ifdef TEXCOORD_1_LOC
layout(location = TEXCOORD_1_LOC) in vec2 texcoord_1;
#endif
#ifdef COLOR_0_LOC
layout(location = COLOR_0_LOC) in vec4 color_0;
#endif
layout(location = INST_M_LOC) in mat4 inst_m;

uniform mat4 M;
uniform mat4 V;
uniform mat4 P;

out vec3 frag_position;
#ifdef NORMAL_LOC
out vec3 frag_normal;
#endif
#ifdef TEXCOORD_0_LOC
out vec2 uv_0;
#endif
#ifdef TEXCOORD_1_LOC
centroid out vec2 uv_1;  // read inside the triangle: extrapolated past its edge, a steep margin paints stray samples
out vec2 view_xy;  // the point across and up the picture, metres: the hatching's stripes run straight in it
#endif
#ifdef COLOR_0_LOC
out vec4 color_multiplier;
#endif

void main()
{
    mat4 model = M * inst_m;
    vec4 world = model * vec4(position, 1.0);
    gl_Position = P * V * world;
    frag_position = world.xyz;
#ifdef NORMAL_LOC
    // our meshes are placed rigidly (no shear, no non-uniform scale), so the model matrix itself turns
    // normals; a per-vertex inverse() as in pyrender's shader is costly on software GL
    frag_normal = normalize(mat3(model) * normal);
#endif
#ifdef TEXCOORD_0_LOC
    uv_0 = texcoord_0;
#endif
#ifdef TEXCOORD_1_LOC
    uv_1 = texcoord_1;
    view_xy = (V * world).xy;
#endif
#ifdef COLOR_0_LOC
    color_multiplier = color_0;
#endif
}
