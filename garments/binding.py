"""A MakeHuman-style binding of garment vertices to the body, applied to any body of our model and kept
as ``binding.npz`` in a garment's folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Binding:
    """MakeHuman-style binding of garment vertices to the body (our model's vertex indices).

    position = sum_k weights[:, k] * body[indices[:, k]] + offsets * axis_scale(body) / rest_scale

    Attributes
    ----------
    indices : (N, 3) int; model vertex indices
    weights : (N, 3) float
    offsets : (N, 3) float, metres in our frame, as on the reference body
    scale_pairs : (3, 2) int; model vertices whose x, y, z distance scales the offsets
    rest_scale : (3,) float, metres; those distances on the reference body
    """

    indices: np.ndarray
    weights: np.ndarray
    offsets: np.ndarray
    scale_pairs: np.ndarray
    rest_scale: np.ndarray

    def __iter__(self):
        """Unpacks as ``indices, weights, offsets``."""
        return iter((self.indices, self.weights, self.offsets))

    def apply(self, body_vertices: np.ndarray) -> np.ndarray:
        """Garment vertex positions on a body of our model, (N, 3) metres."""
        bv = np.asarray(body_vertices, float)
        base = np.einsum("nk,nkj->nj", self.weights, bv[self.indices])
        dist = np.abs(bv[self.scale_pairs[:, 0], np.arange(3)] - bv[self.scale_pairs[:, 1], np.arange(3)])
        scale = np.where(self.rest_scale > 0, dist / np.maximum(self.rest_scale, 1e-9), 1.0)
        return base + self.offsets * scale

    def save(self, path: Path) -> None:
        import io

        buf = io.BytesIO()
        np.savez(buf, indices=self.indices, weights=self.weights, offsets=self.offsets,
                 scale_pairs=self.scale_pairs, rest_scale=self.rest_scale)
        from avatar.storage import atomic_write_bytes

        atomic_write_bytes(path, buf.getvalue())

    @classmethod
    def load(cls, path: Path) -> "Binding":
        with np.load(path) as z:
            return cls(z["indices"].astype(np.int64), z["weights"].astype(float), z["offsets"].astype(float),
                       z["scale_pairs"].astype(np.int64), z["rest_scale"].astype(float))

