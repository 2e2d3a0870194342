"""YAML parsing for styles and front matter, through libyaml when PyYAML was built with it.

The C parser is several times faster than the pure-Python one and gives the same values and nodes.
Its error marks are less precise (an unclosed ``[`` is reported where the input ends, not where the
line ends), so text it refuses is parsed again by the pure-Python parser, whose error we raise.
"""

from __future__ import annotations

from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """The data of one YAML document (safe types only)."""
    try:
        return yaml.load(text, Loader=LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document, whose marks give each key's line."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)
