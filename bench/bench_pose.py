"""Time to pose a dressed avatar: the reference woman in a tee and chinos, every pose.

Prints per pose the time to pose the body alone, to move and settle both garments in it (first time,
warm process: rig, drapes and the rest body's field already made; as the first pose of the drapes, and as
another pose of drapes already posed once, whose skinning is known), and to switch back to it once seen,
against the targets (1 s a new pose, 150 ms a seen one); "cpu" is this process's processor time. The last
rows are the window's walk loop (every frame of ``avatar.pose.walk_cycle`` dressed, made once, then played) and the
movement test the window runs after a drape for the size advice (the worn size and the next larger one).

    uv run python bench/bench_pose.py [--runs 1]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time

POSE_TARGET_S = 1.0
SEEN_TARGET_S = 0.150


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="avatars posed afresh per pose (median reported)")
    args = parser.parse_args()

    from avatar.avatar import REFERENCE_PHENOTYPES, make_avatar
    from avatar.pose import POSE_NAMES, WALK_CYCLE_FRAMES, pose_avatar
    from garments.catalog import get_garment
    from garments.cloth_skinning import drape_skinning
    from garments.motion import pose_outfit, walk_loop_outfit
    from garments.movement import movement_test
    from garments.outfit import drape_outfit
    from garments.sdf import body_sdf

    items = [(get_garment("crew-tee"), "M"), (get_garment("slim-chino"), "50")]
    prepared = []
    for k in range(args.runs):  # a slightly different body per run, so nothing is reused across runs
        avatar = make_avatar(dataclasses.replace(REFERENCE_PHENOTYPES["female"], weight=0.5 + 0.01 * k), sex="female")
        results = drape_outfit(avatar, items)
        body_sdf(avatar)
        prepared.append((avatar, results))
    pose_avatar(prepared[0][0], "walk")  # rig and bone rings loaded once per process
    print(f"load average {os.getloadavg()[0]:.1f}; {len(prepared[0][1])} garments, "
          f"{sum(len(r.vertices) for r in prepared[0][1]):,} garment vertices")
    print(f"| pose | body alone | dressed, first pose of the drapes | cpu | dressed, another pose of them | cpu "
          f"| seen again | target new / seen |")
    print("|---|---|---|---|---|---|---|---|")
    garments = {g.id: g for g, _ in items}
    for pose in POSE_NAMES:
        body, dressed, cpu, again, again_cpu, seen = [], [], [], [], [], []
        for avatar, results in prepared:
            _, t_body, _ = _timed(lambda: pose_avatar(avatar, pose))
            # Copies of the drapes are new drapes: nothing made for them is known yet (their skinning).
            first = [dataclasses.replace(r) for r in results]
            _, t_dressed, t_cpu = _timed(lambda: pose_outfit(avatar, first, pose))
            other = [dataclasses.replace(r) for r in results]
            for r in other:  # as after another pose of the same drapes
                drape_skinning(avatar, r, garments[r.garment_id])
            _, t_again, t_again_cpu = _timed(lambda: pose_outfit(avatar, other, pose))
            _, t_seen, _ = _timed(lambda: pose_outfit(avatar, first, pose))
            body.append(t_body), dressed.append(t_dressed), cpu.append(t_cpu), seen.append(t_seen)
            again.append(t_again), again_cpu.append(t_again_cpu)
        med = lambda xs: sorted(xs)[len(xs) // 2]  # noqa: E731
        print(f"| {pose} | {med(body) * 1000:.0f} ms | {med(dressed) * 1000:.0f} ms | {med(cpu) * 1000:.0f} ms "
              f"| {med(again) * 1000:.0f} ms | {med(again_cpu) * 1000:.0f} ms "
              f"| {med(seen) * 1000:.1f} ms | {POSE_TARGET_S * 1000:.0f} / {SEEN_TARGET_S * 1000:.0f} ms |")
    avatar, results = prepared[0]
    _, t_loop, t_cpu = _timed(lambda: walk_loop_outfit(avatar, results, WALK_CYCLE_FRAMES))
    print(f"| walk loop, {WALK_CYCLE_FRAMES} frames | - | {t_loop:.1f} s ({t_loop / WALK_CYCLE_FRAMES * 1000:.0f} ms a frame) "
          f"| {t_cpu:.1f} s | (no task) | - |")
    chino = items[1][0]
    drapes = {"50": drape_outfit(avatar, [(chino, "50")])[0]}  # the worn size's drape is kept; 52 is draped here
    _, t_ahead, t_cpu = _timed(lambda: movement_test(avatar, chino, ["50", "52"], POSE_NAMES, drapes=drapes))
    print(f"| advice in motion (chino 50 and 52, every pose, after the drape) | - | {t_ahead:.1f} s | {t_cpu:.1f} s "
          f"| (background) | - |")


if __name__ == "__main__":
    main()
