"""The shopper's try-on loop without Qt: evented state, the stages it is made of and their caches.

- ``events``: ``Event``/``Emitter``, the connect/emit calls a model offers its views.
- ``stages``: each stage's result cached by what it depends on (drapes per body, garment, size and
  the layers beneath), the body's distance field built once, neighbouring sizes draped ahead.
- ``tryon``: ``TryOnController`` decides which stages a change needs and asks a runner to do them.
- ``remember``: the cart and what is worn, kept across restarts.
"""
