"""Fit the body model to a shopper's measurements.

1. Sex: given, or the one under which the measurements are most likely (ANSUR II statistics).
2. Missing survey measurements take their Gaussian-conditional values given the others.
3. Whole-body phenotype (height, weight, muscle, proportions) from a per-sex calibration of
   the model's proportions, so the body is broadly right before local changes.
4. MakeHuman's local measurement targets (bust, waist, hips, limb girths and lengths, ...) and
   a uniform scale are solved by damped Gauss-Newton with Broyden updates, so every given
   value is met within ISO 20685-1's limits where the body allows it; values it cannot reach
   are reported as missed, with by how much.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import fit_memory
from .avatar import SEX_GENDER, Avatar, make_avatar, place_in_frame
from .body_model import BodyModel, Phenotype, load_body_model
from .errors import Cancelled, MeasurementError
from .landmarks import landmarks_for
from .measure import measure_body
from .measurements import MEASUREMENTS, tolerance, validate
from .statistics import conditional_fill, likely_sex
from .storage import atomic_write_json, cache_root

ADULT_AGE = 0.75  # ANNY age control: 0.667 is a young adult, 1.0 old; 0.75 is about 35 years
STATURE_PER_HEIGHT = {"female": (1.221, 1.089), "male": (1.356, 1.090)}  # stature m = a + b * height control
FIT_AIM_MM = 1.0  # the solver stops when every given value is within this
FILLED_PRIORITY = 0.25  # statistically filled values matter less than given ones
GIVEN_PRIORITY = 1.0
MASS_PRIORITY = 0.1  # mass is met through the shape of every girth: never at the cost of a girth
REGULARISATION = 0.02  # pull of each local weight towards 0 (in tolerance units per unit weight)
WEIGHT_BOUND = 2.0  # local targets are made for [-1, 1]; a little beyond still looks human
# Targets that move the skin by only about a centimetre at full weight may go further.
WIDE_BOUND_TARGETS = {"neck_circ": 3.0, "neck_width": 2.0, "neck_depth": 2.0, "wrist": 3.0, "ankle": 2.5, "upperarm_circ": 2.5, "calf": 2.5, "thigh": 2.5}
MAX_ITERATIONS = 25
JACOBIAN_STEP = 0.1  # local target weight of each forward difference
MAX_FAILED_STEPS = 6  # steps in a row that do not improve, each with a fresh Jacobian and more damping
STALL_RATIO = 0.999  # two iterations that improve the squared residual by less than 0.1 % end the solve
BAND_MARGIN_M = 0.05  # faces within this of a girth's plane are kept for measuring during the fit
CALIBRATION_VERSION = 1

# Which local targets move which measurement (the solver's unknowns).
TARGETS_FOR = {
    "chest_girth": ("bust",),
    "underbust_girth": ("underbust",),
    "waist_girth": ("waist",),
    "hip_girth": ("hips",),
    "neck_girth": ("neck_circ", "neck_width", "neck_depth"),
    "shoulder_breadth": ("shoulder",),
    "arm_length": ("upperarm_length", "lowerarm_length"),
    "upper_arm_girth": ("upperarm_circ",),
    "wrist_girth": ("wrist",),
    "inside_leg_height": ("upperleg_height", "lowerleg_height"),
    "thigh_girth": ("thigh",),
    "calf_girth": ("calf",),
    "ankle_girth": ("ankle",),
}
# Measurements each target can change besides its own (checked when its Jacobian column is taken).
SIDE_EFFECTS = {
    "bust": ("underbust_girth", "chest_girth"),
    "underbust": ("chest_girth", "waist_girth"),
    "waist": ("underbust_girth", "hip_girth"),
    "hips": ("waist_girth", "thigh_girth"),
    "shoulder": ("chest_girth", "upper_arm_girth", "arm_length", "neck_girth"),
    "upperarm_length": ("upper_arm_girth", "wrist_girth"),
    "lowerarm_length": ("wrist_girth",),
    "upperleg_height": ("thigh_girth", "calf_girth", "ankle_girth", "hip_girth"),
    "lowerleg_height": ("calf_girth", "ankle_girth", "thigh_girth"),
    "thigh": ("hip_girth",),
}
# How far (cm) the phenotype may leave each measurement for the local targets to make up: about a
# third of what each local target can add or take away, so no target has to go to its limit.
PHENOTYPE_SPREAD_CM = {"chest_girth": 6.0, "waist_girth": 6.0, "hip_girth": 4.0, "thigh_girth": 3.5,
                       "upper_arm_girth": 3.0, "neck_girth": 1.5, "calf_girth": 3.0, "inside_leg_height": 3.0,
                       "shoulder_breadth": 2.0}
CALIBRATION_RATIOS = ("chest_girth", "waist_girth", "hip_girth", "thigh_girth", "upper_arm_girth", "neck_girth",
                      "calf_girth", "inside_leg_height", "shoulder_breadth")


@dataclass
class FitResult:
    """A fitted avatar and how well it reproduces what was asked.

    measurements : name -> {"requested": cm or None, "achieved": cm, "source": "given"|"estimated"|"model",
                   "plane_origin": [x, y, z] m, "plane_normal": [x, y, z]} (planes for girths only)
    missed : given measurements off by more than their ISO 20685-1 limit
    """

    avatar: Avatar
    measurements: dict[str, dict]
    missed: list[str]
    sex: str
    seconds: float
    iterations: int
    misses: dict[str, float] = field(default_factory=dict)  # name -> signed miss, cm (kg)

    def miss_text(self) -> str:
        return "; ".join(f"{n} off by {d:+.1f} {MEASUREMENTS[n].unit}" for n, d in self.misses.items())


def height_control(stature_cm: float, sex: str) -> float:
    a, b = STATURE_PER_HEIGHT[sex]
    return float(np.clip((stature_cm / 100.0 - a) / b, 0.0, 1.0))


# --- phenotype calibration -------------------------------------------------------------------

def _features(w, m, p):
    return np.stack([np.ones_like(w), w, m, p, w * w, m * m, p * p, w * m, w * p, m * p], axis=-1)


def _calibration(model: BodyModel, sex: str, progress) -> dict:
    path = cache_root() / f"calibration-v{CALIBRATION_VERSION}-{sex}.json"
    if path.is_file():
        try:
            return json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            pass
    grid = [(w, m, p) for w in np.linspace(0, 1, 5) for m in (0.0, 0.5, 1.0) for p in (0.0, 0.5, 1.0)]
    rows = []
    for i, (w, m, p) in enumerate(grid):
        progress(i / len(grid), "Calibrating the body model (once)")
        body = make_avatar(Phenotype(gender=SEX_GENDER[sex], age=ADULT_AGE, muscle=m, weight=w, height=0.5,
                                     proportions=p), sex=sex, model=model)
        got = measure_body(body.vertices, body.body_faces, body.joints, sex)
        stature = got["stature"].value
        rows.append([got[n].value / stature for n in CALIBRATION_RATIOS] + [got["body_mass"].value / stature**3])
    x = np.array(grid)
    coef, *_ = np.linalg.lstsq(_features(x[:, 0], x[:, 1], x[:, 2]), np.array(rows), rcond=None)
    data = {"ratios": list(CALIBRATION_RATIOS) + ["body_mass"], "coef": coef.tolist()}
    atomic_write_json(path, data)
    return data


def initial_phenotype(model: BodyModel, sex: str, targets: dict[str, float], progress=lambda f, m: None) -> Phenotype:
    """Whole-body controls whose proportions best match the targets (before local changes)."""
    cal = _calibration(model, sex, progress)
    coef = np.array(cal["coef"])
    stature = targets["stature"]
    axis = np.linspace(0, 1, 21)
    w, m, p = (g.ravel() for g in np.meshgrid(axis, axis, axis, indexing="ij"))
    predicted = _features(w, m, p) @ coef  # (n, k)
    cost = np.zeros(len(w))
    for j, name in enumerate(cal["ratios"]):
        if name not in targets:
            continue
        if name == "body_mass":
            wanted, spread = targets[name] / stature**3, 0.05 * targets[name] / stature**3
        else:
            wanted, spread = targets[name] / stature, PHENOTYPE_SPREAD_CM[name] / stature
        cost += ((predicted[:, j] - wanted) / spread) ** 2
    cost += 0.5 * ((m - 0.5) / 0.5) ** 2 + 0.5 * ((p - 0.5) / 0.5) ** 2  # prefer average muscle and proportions
    best = int(np.argmin(cost))
    return Phenotype(gender=SEX_GENDER[sex], age=ADULT_AGE, muscle=float(m[best]), weight=float(w[best]),
                     height=height_control(stature, sex), proportions=float(p[best]))


# --- local solve -----------------------------------------------------------------------------

class _LocalProblem:
    """Measurements of the model as a function of the local target weights (scale 1), fast."""

    def __init__(self, model: BodyModel, phenotype: Phenotype, sex: str, params: list[str], names: list[str]):
        self.model = model
        self.sex = sex
        self.names = names
        shape = model.evaluate(phenotype)
        self.shape = shape  # the final avatar is made from it too
        self.base = shape.vertices
        self.base_joints = shape.joints
        self.sparse = [model.sparse_target(p) for p in params]  # (incr, decr) as (vertex ids, offsets)
        self.rings = model.joint_rings()
        self.faces = model.body_faces
        self.face_sets: dict[str, np.ndarray] | None = None
        self.initial: dict[str, float] = {}
        self.face_sets = self._bands(np.zeros(len(params)))

    def body(self, w: np.ndarray):
        offsets = np.zeros_like(self.base)
        for weight, (incr, decr) in zip(w, self.sparse):
            if weight != 0:
                ids, delta = incr if weight > 0 else decr
                offsets[ids] += abs(weight) * delta
        joints = {n: p + offsets[self.rings[n]].mean(axis=0) for n, p in self.base_joints.items()}
        return place_in_frame(self.model, self.base + offsets, joints)

    def _bands(self, w):
        v, joints = self.body(w)
        full = measure_body(v, self.faces, joints, self.sex, self.names)
        self.initial = {n: m.value for n, m in full.items()}
        bands = {}
        for name, m in full.items():
            if m.plane_origin is None:
                continue
            rel = v - m.plane_origin
            close = (np.abs(rel @ m.plane_normal) < BAND_MARGIN_M) & (np.einsum("ij,ij->i", rel, rel) < 0.45**2)
            f = self.faces
            bands[name] = f[close[f[:, 0]] | close[f[:, 1]] | close[f[:, 2]]]
        return bands

    def measure(self, w: np.ndarray, names=None) -> dict[str, float]:
        v, joints = self.body(w)
        got = measure_body(v, self.faces, joints, self.sex, names or self.names, face_sets=self.face_sets)
        return {n: m.value for n, m in got.items()}


def fit_avatar(
    values_cm: dict[str, float],
    sex: str | None = None,
    *,
    progress: Callable[[float, str], None] = lambda f, m: None,
    cancelled: Callable[[], bool] = lambda: False,
    model: BodyModel | None = None,
) -> FitResult:
    """Build the avatar that reproduces the given measurements.

    Parameters
    ----------
    values_cm : name -> value in cm (body_mass kg); ``stature`` is required
    sex : "female", "male" or None (then the likelier one given the values)

    Returns
    -------
    FitResult; never raises for unreachable combinations (they are listed in ``missed``).
    """
    start = time.perf_counter()
    values = validate(values_cm)
    if sex is not None and sex not in SEX_GENDER:
        raise MeasurementError(f"sex '{sex}' is not recognised; use female or male (or leave it empty)")
    model = model or load_body_model(progress=lambda f, m: progress(0.5 * f, m), cancelled=cancelled)
    sex = sex or likely_sex(values)
    filled = {n: v for n, v in conditional_fill(values, sex).items() if n in MEASUREMENTS}
    targets = {**filled, **values}
    landmarks_for(sex)
    progress(0.55, "Shaping the body")
    phenotype = initial_phenotype(model, sex, targets, progress=lambda f, m: progress(0.5 + 0.05 * f, m))
    if cancelled():
        raise Cancelled("avatar fit cancelled")

    goals = [n for n in TARGETS_FOR if n in targets] + (["body_mass"] if "body_mass" in values else [])
    params = sorted({p for n in goals for p in TARGETS_FOR.get(n, ())}, key=model.local_target_names.index)
    names = ["stature"] + goals
    problem = _LocalProblem(model, phenotype, sex, params, names)
    priority = np.array([MASS_PRIORITY if n == "body_mass" else GIVEN_PRIORITY if n in values else FILLED_PRIORITY
                         for n in goals])
    tol = np.array([tolerance(n, targets[n]) for n in goals])
    stature_goal = targets["stature"]

    def residuals(measured: dict[str, float]) -> tuple[np.ndarray, float]:
        s = stature_goal / measured["stature"]
        pred = np.array([measured[n] * (s**3 if n == "body_mass" else s) for n in goals])
        goal = np.array([targets[n] for n in goals])
        return (pred - goal) / tol * priority, s

    def sensitivity(w, measured, every_measurement=False):
        """Forward differences of the measurements, (len(names), len(params)) per unit weight; each column
        re-measures only what its target can change unless told otherwise."""
        per_weight = np.zeros((len(names), len(params)))
        for k, param in enumerate(params):
            step = JACOBIAN_STEP if w[k] >= 0 else -JACOBIAN_STEP
            w2 = w.copy()
            w2[k] += step
            affected = set(SIDE_EFFECTS.get(param, ())) | {n for n in goals if param in TARGETS_FOR.get(n, ())}
            affected |= {"stature", "body_mass"} & set(names)
            if every_measurement:
                affected = set(names)
            changed = problem.measure(w2, [n for n in names if n in affected])
            per_weight[:, k] = [(changed[n] - measured[n]) / step if n in changed else 0.0 for n in names]
        return per_weight

    def jacobian(w, measured, per_weight):
        """The residuals' Jacobian from the measurements' sensitivity, by the same forward steps."""
        r0, _ = residuals(measured)
        jac = np.zeros((len(goals), len(params)))
        for k in range(len(params)):
            step = JACOBIAN_STEP if w[k] >= 0 else -JACOBIAN_STEP
            changed = {n: measured[n] + step * per_weight[i, k] for i, n in enumerate(names)}
            jac[:, k] = (residuals(changed)[0] - r0) / step
        return jac

    w = np.zeros(len(params))
    bounds = np.array([WIDE_BOUND_TARGETS.get(p, WEIGHT_BOUND) for p in params])
    measured = dict(problem.initial)
    r, _ = residuals(measured)
    controls = np.array([phenotype.muscle, phenotype.weight, phenotype.height, phenotype.proportions])
    per_weight = fit_memory.nearest(sex, params, names, controls) if params else None
    if per_weight is None and params:
        per_weight = sensitivity(w, measured)
        fit_memory.remember(sex, params, names, controls, per_weight)
    jac = jacobian(w, measured, per_weight) if params else np.zeros((len(goals), 0))
    damping = 1e-3  # Marquardt's relative damping: grows when a step fails, shrinks when one succeeds
    reg2 = REGULARISATION**2
    iterations = 0
    stalled = failed = 0
    for iterations in range(1, MAX_ITERATIONS + 1):
        if cancelled():
            raise Cancelled("avatar fit cancelled")
        progress(0.6 + 0.35 * iterations / MAX_ITERATIONS, "Fitting your measurements")
        err_mm = np.abs(r / priority * tol) * 10
        given = np.array([n in values and n != "body_mass" for n in goals])
        if not params or ((~given.any() or err_mm[given].max() < FIT_AIM_MM) and np.abs(r).max() < 1.0):
            break
        jtj = jac.T @ jac
        a = jtj + damping * np.diag(np.diag(jtj) + 1e-9) + reg2 * np.eye(len(params))
        step = -np.linalg.solve(a, jac.T @ r + reg2 * w)
        w_new = np.clip(w + step, -bounds, bounds)
        dw = w_new - w
        if np.linalg.norm(dw) < 1e-6:
            break
        measured_new = problem.measure(w_new)
        r_new, _ = residuals(measured_new)
        cost, cost_new = r @ r + reg2 * w @ w, r_new @ r_new + reg2 * w_new @ w_new
        # Broyden's rank-one update keeps the Jacobian current without re-measuring every column.
        jac = jac + np.outer(r_new - r - jac @ dw, dw) / (dw @ dw)
        if cost_new < cost:
            stalled = stalled + 1 if cost_new > STALL_RATIO * cost else 0
            w, r, measured = w_new, r_new, measured_new
            damping = max(damping / 3, 1e-5)
            failed = 0
            if stalled >= 2:
                break
        else:
            failed += 1
            if failed > MAX_FAILED_STEPS:
                break
            jac = jacobian(w, measured, sensitivity(w, measured, every_measurement=True))
            damping *= 10

    scale = stature_goal / measured["stature"]
    avatar = make_avatar(phenotype, _full_weights(model, params, w), scale, sex=sex, model=model, shape=problem.shape)
    progress(0.97, "Measuring the avatar")
    final = measure_body(avatar.vertices, avatar.body_faces, avatar.joints, sex)
    report: dict[str, dict] = {}
    misses: dict[str, float] = {}
    for name in MEASUREMENTS:
        got = final.get(name)
        if got is None:
            continue
        entry = {
            "requested": round(values[name], 2) if name in values else (round(filled[name], 2) if name in filled else None),
            "achieved": round(got.value, 2),
            "source": "given" if name in values else ("estimated" if name in filled else "model"),
        }
        if got.plane_origin is not None:
            entry["plane_origin"] = [round(float(x), 5) for x in got.plane_origin]
            entry["plane_normal"] = [round(float(x), 6) for x in got.plane_normal]
        report[name] = entry
        if name in values and abs(got.value - values[name]) > tolerance(name, values[name]):
            misses[name] = got.value - values[name]
    progress(1.0, "Avatar ready")
    return FitResult(avatar=avatar, measurements=report, missed=list(misses), sex=sex,
                     seconds=time.perf_counter() - start, iterations=iterations, misses=misses)


def _full_weights(model: BodyModel, params: list[str], w: np.ndarray) -> np.ndarray:
    full = np.zeros(len(model.local_target_names))
    for p, value in zip(params, w):
        full[model.local_target_names.index(p)] = value
    return full
