"""A small reader for INI-style .conf files."""


class ConfError(ValueError):
    """A line that cannot be read."""


def load(text: str) -> dict[str, dict[str, str]]:
    """Sections of the file, each a dict of its keys and values."""
    sections: dict[str, dict[str, str]] = {}
    current = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), {})
            continue
        if current is None or "=" not in line:
            raise ConfError(f"line {number}: expected [section] or key = value")
        key, value = line.split("=", 1)
        current[key.strip()] = value.strip()
    return sections


def get_int(sections: dict[str, dict[str, str]], section: str, key: str, default: int) -> int:
    """An integer value, or default when the key is absent."""
    value = sections.get(section, {}).get(key)
    return default if value is None else int(value)
