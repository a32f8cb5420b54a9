"""Subcommands of ``fitting-room``: each module defines ``register(subparsers)``.

A command's ``register`` adds its parser and sets ``func`` (taking the parsed args,
returning an exit status). Modules are discovered, so adding a command is adding a file.
"""
