"""Read `seeds/annotations.yaml`, keeping each entry's line so errors can point at it."""

import yaml


class AnnotationError(ValueError):
    """A problem in the annotation file, at a line a person can go to."""

    def __init__(self, line, message):
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def load_annotations(text):
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise AnnotationError(mark.line + 1 if mark else None, f"not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise AnnotationError(1, "the file must be a mapping of sections")
    return data


def field(entry, name, *, required=True, default=None):
    """`entry[name]`, or an AnnotationError at the entry's line when it is required and missing."""
    if not isinstance(entry, dict):
        raise AnnotationError(None, f"expected a mapping, found {entry!r}")
    value = entry.get(name, default)
    if required and value in (None, ""):
        raise AnnotationError(entry.get("__line__"), f"“{name}” is missing")
    return value
