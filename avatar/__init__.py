"""Body avatars: the body model, measurements, fitting and profiles (no GUI)."""
