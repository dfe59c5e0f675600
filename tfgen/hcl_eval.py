"""Evaluate a module's ``validation`` conditions on the inputs tfgen is about to write.

A module's ``validation`` blocks are its contract. terraform checks them only at
plan time, after files are written and ``init`` has run; tfgen checks them
before writing anything, so a bad input is an inventory error with a line.

This is a small evaluator of the HCL expressions such conditions use (literals,
``var.*``, operators, conditionals, ``for`` expressions and the common
functions), over python-hcl2's parse tree. Whatever it cannot know (a reference
to another module's output, a function it does not implement, an object
attribute left to an ``optional()`` default) is ``UNKNOWN``, and a condition
that is not definitely false passes: it can miss a violation, never invent one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from lark import Token, Tree

from tfgen.hcl_cache import parse_expression


class _Unknown:
    """A value only known at plan time (or that this evaluator cannot work out)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


class EvalError(Exception):
    """The expression would fail in terraform too (a bad index, a regex without a match)."""


def condition_holds(condition: str, variables: Mapping[str, Any]) -> bool | None:
    """Evaluate a ``validation`` condition.

    Args:
        condition: The condition's HCL text, without ``${ }``.
        variables: ``var.<name>`` values; ``UNKNOWN`` where not known.

    Returns:
        True or False when decided, None when it cannot be known before plan.
    """
    try:
        tree = _parse(condition)
    except Exception:  # python-hcl2 raises lark errors of many kinds
        return None
    try:
        value = _Evaluator(dict(variables)).eval(tree)
    except (EvalError, RecursionError):
        return None
    return value if isinstance(value, bool) else None


@cache
def _parse(condition: str) -> Tree[Any]:
    return parse_expression(condition)


def _trees(node: Tree[Any]) -> list[Tree[Any]]:
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _tokens(node: Tree[Any]) -> list[Token]:
    return [c for c in node.children if isinstance(c, Token)]


class _Evaluator:
    def __init__(self, variables: dict[str, Any], scope: dict[str, Any] | None = None) -> None:
        self.variables = variables
        self.scope = scope or {}

    def eval(self, node: Any) -> Any:
        if isinstance(node, Token):
            raise EvalError(f"unexpected token {node}")
        handler = getattr(self, f"_{node.data}", None)
        if handler is None:
            return UNKNOWN
        return handler(node)

    # -- structure ------------------------------------------------------------

    def _expr_term(self, node: Tree[Any]) -> Any:
        inner = _trees(node)
        return self.eval(inner[0]) if inner else UNKNOWN

    def _conditional(self, node: Tree[Any]) -> Any:
        condition, yes, no = _trees(node)
        chosen = self.eval(condition)
        if chosen is UNKNOWN:
            return UNKNOWN
        if not isinstance(chosen, bool):
            raise EvalError("a condition must be a bool")
        return self.eval(yes if chosen else no)

    def _binary_op(self, node: Tree[Any]) -> Any:
        left_node, term = _trees(node)[:2]
        operator = str(_tokens(_trees(term)[0])[0])
        right_node = _trees(term)[-1]
        left, right = self.eval(left_node), self.eval(right_node)
        return _binary(operator, left, right)

    def _unary_op(self, node: Tree[Any]) -> Any:
        operator = str(_tokens(node)[0])
        value = self.eval(_trees(node)[0])
        if value is UNKNOWN:
            return UNKNOWN
        if operator == "!":
            if not isinstance(value, bool):
                raise EvalError("! needs a bool")
            return not value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EvalError("- needs a number")
        return -value

    # -- literals -------------------------------------------------------------

    def _int_lit(self, node: Tree[Any]) -> int:
        return int(str(node.children[0]))

    def _float_lit(self, node: Tree[Any]) -> float:
        return float(str(node.children[0]))

    def _literal_value(self, node: Tree[Any]) -> Any:
        return {"true": True, "false": False, "null": None}[str(node.children[0])]

    def _string(self, node: Tree[Any]) -> Any:
        parts: list[str] = []
        for part in _trees(node):
            child = part.children[0]
            if isinstance(child, Token):
                if child.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                    parts.append(str(child)[1:])
                else:
                    parts.append(_unescape(str(child)))
                continue
            if child.data != "interpolation":
                return UNKNOWN  # a template directive
            value = self.eval(_trees(child)[0])
            if value is UNKNOWN:
                return UNKNOWN
            parts.append(_to_string(value))
        return "".join(parts)

    def _tuple(self, node: Tree[Any]) -> list[Any]:
        return [self.eval(item) for item in _trees(node)]

    def _object(self, node: Tree[Any]) -> Any:
        result: dict[str, Any] = {}
        for element in _trees(node):
            key_node, value_node = _trees(element)[:2]
            key_expr = _trees(key_node)[0]
            if key_expr.data == "expr_term" and _trees(key_expr)[0].data == "identifier":
                key: Any = str(_trees(key_expr)[0].children[0])
            else:
                key = self.eval(key_expr)
            if key is UNKNOWN:
                return UNKNOWN
            result[_to_string(key)] = self.eval(value_node)
        return result

    # -- names and access -----------------------------------------------------

    def _identifier(self, node: Tree[Any]) -> Any:
        name = str(node.children[0])
        if name in self.scope:
            return self.scope[name]
        if name == "var":
            return self.variables
        return UNKNOWN  # local, module, data, path...: not known here

    def _get_attr_expr_term(self, node: Tree[Any]) -> Any:
        base_node, attr = _trees(node)
        base = self.eval(base_node)
        name = str(_trees(attr)[0].children[0])
        if base is UNKNOWN:
            return UNKNOWN
        if isinstance(base, dict):
            # A missing attribute may be an optional() default: not known here.
            return base.get(name, UNKNOWN)
        raise EvalError(f"no attribute {name}")

    def _index_expr_term(self, node: Tree[Any]) -> Any:
        base_node, index_node = _trees(node)
        base = self.eval(base_node)
        if index_node.data == "short_index":
            index: Any = int(str(_tokens(index_node)[-1]))
        else:
            index = self.eval(_trees(index_node)[0])
        if base is UNKNOWN or index is UNKNOWN:
            return UNKNOWN
        try:
            if isinstance(base, list):
                return base[int(index)]
            if isinstance(base, dict):
                return base[_to_string(index)]
        except (IndexError, KeyError, ValueError, TypeError):
            raise EvalError(f"invalid index {index!r}") from None
        raise EvalError("cannot index this value")

    def _full_splat_expr_term(self, node: Tree[Any]) -> Any:
        base_node, splat = _trees(node)
        base = self.eval(base_node)
        if base is UNKNOWN:
            return UNKNOWN
        items = base if isinstance(base, list) else ([] if base is None else [base])
        results = []
        for item in items:
            for step in _trees(splat):
                if item is UNKNOWN:
                    break
                if step.data != "get_attr" or not isinstance(item, dict):
                    return UNKNOWN
                item = item.get(str(_trees(step)[0].children[0]), UNKNOWN)
            results.append(item)
        return results

    _attr_splat_expr_term = _full_splat_expr_term

    # -- for expressions ------------------------------------------------------

    def _iterate(self, intro: Tree[Any]) -> list[tuple[Any, Any]] | None:
        collection = self.eval(_trees(intro)[-1])
        if collection is UNKNOWN:
            return None
        if isinstance(collection, dict):
            return list(collection.items())
        if isinstance(collection, list):
            return list(enumerate(collection))
        raise EvalError("a for expression needs a list, set, map or object")

    def _bind(self, intro: Tree[Any], key: Any, value: Any) -> _Evaluator:
        names = [str(n.children[0]) for n in _trees(intro) if n.data == "identifier"]
        bound = {names[0]: value} if len(names) == 1 else {names[0]: key, names[1]: value}
        return _Evaluator(self.variables, {**self.scope, **bound})

    def _for_tuple_expr(self, node: Tree[Any]) -> Any:
        intro, body, *rest = _trees(node)
        pairs = self._iterate(intro)
        if pairs is None:
            return UNKNOWN
        results = []
        for key, value in pairs:
            inner = self._bind(intro, key, value)
            if rest:
                keep = inner.eval(_trees(rest[0])[0])
                if keep is UNKNOWN:
                    return UNKNOWN
                if not keep:
                    continue
            results.append(inner.eval(body))
        return results

    def _for_object_expr(self, node: Tree[Any]) -> Any:
        intro, key_node, value_node, *rest = _trees(node)
        if any(t.type == "ELLIPSIS" for t in _tokens(node)):
            return UNKNOWN  # grouping mode
        pairs = self._iterate(intro)
        if pairs is None:
            return UNKNOWN
        results: dict[str, Any] = {}
        for key, value in pairs:
            inner = self._bind(intro, key, value)
            if rest:
                keep = inner.eval(_trees(rest[0])[0])
                if keep is UNKNOWN:
                    return UNKNOWN
                if not keep:
                    continue
            result_key = inner.eval(key_node)
            if result_key is UNKNOWN:
                return UNKNOWN
            results[_to_string(result_key)] = inner.eval(value_node)
        return results

    # -- functions ------------------------------------------------------------

    def _function_call(self, node: Tree[Any]) -> Any:
        name = str(_trees(node)[0].children[0])
        argument_nodes = [_trees(a) for a in _trees(node)[1:] if a.data == "arguments"]
        arguments = argument_nodes[0] if argument_nodes else []
        if name == "can":
            try:
                value = self.eval(arguments[0])
            except EvalError:
                return False
            return UNKNOWN if _contains_unknown(value) else True
        if name == "try":
            for argument in arguments:
                try:
                    value = self.eval(argument)
                except EvalError:
                    continue
                return value
            raise EvalError("no argument of try() succeeded")
        function = _FUNCTIONS.get(name)
        if function is None:
            return UNKNOWN
        values = [self.eval(argument) for argument in arguments]
        # A map's keys and a collection's length are known when its values are not.
        shallow = name in ("keys", "length")
        if any(v is UNKNOWN if shallow else _contains_unknown(v) for v in values):
            return UNKNOWN
        try:
            return function(*values)
        except EvalError:
            raise
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, re.error) as exc:
            raise EvalError(f"{name}(): {exc}") from None


def _binary(operator: str, left: Any, right: Any) -> Any:
    if operator == "&&":
        if left is False or right is False:
            return False
        return UNKNOWN if UNKNOWN in (left, right) else _bool(left) and _bool(right)
    if operator == "||":
        if left is True or right is True:
            return True
        return UNKNOWN if UNKNOWN in (left, right) else _bool(left) or _bool(right)
    if _contains_unknown(left) or _contains_unknown(right):
        return UNKNOWN
    if operator == "==":
        return _equal(left, right)
    if operator == "!=":
        return not _equal(left, right)
    if isinstance(left, bool) or isinstance(right, bool):
        raise EvalError(f"{operator} needs numbers")
    a, b = _number(left), _number(right)
    if operator == "<":
        return a < b
    if operator == ">":
        return a > b
    if operator == "<=":
        return a <= b
    if operator == ">=":
        return a >= b
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    if operator in ("/", "%") and b == 0:
        raise EvalError("division by zero")
    if operator == "/":
        return a / b
    if operator == "%":
        return math.fmod(a, b)
    raise EvalError(f"unknown operator {operator}")


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise EvalError("a bool is needed")
    return value


def _number(value: Any) -> int | float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            raise EvalError(f"{value!r} is not a number") from None
    raise EvalError("a number is needed")


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    return bool(left == right)


def _contains_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, list):
        return any(_contains_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(_contains_unknown(v) for v in value.values())
    return False


def _to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value)
    raise EvalError("cannot convert this value to a string")


def _unescape(text: str) -> str:
    replacements = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: replacements.get(m.group(1), m.group(0)), text)


def _regex(pattern: str, text: str) -> Any:
    found = re.search(pattern, text)
    if found is None:
        raise EvalError("the pattern did not match")
    if found.re.groupindex:
        return found.groupdict()
    return list(found.groups()) if found.re.groups else found.group(0)


def _length(value: Any) -> int:
    if isinstance(value, str | list | dict):
        return len(value)
    raise EvalError("length() needs a string or a collection")


def _distinct(items: list[Any]) -> list[Any]:
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _flatten(items: list[Any]) -> list[Any]:
    flat: list[Any] = []
    for item in items:
        flat.extend(_flatten(item) if isinstance(item, list) else [item])
    return flat


def _contains(collection: list[Any], value: Any) -> bool:
    return any(_equal(item, value) for item in collection)


def _lookup(mapping: dict[str, Any], key: Any, *default: Any) -> Any:
    # Map keys are strings; Terraform converts a number or bool key to one.
    key = _to_string(key)
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise EvalError(f"no key {key!r}")


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "length": _length,
    "contains": _contains,
    "alltrue": lambda items: all(_bool(i) for i in items),
    "anytrue": lambda items: any(_bool(i) for i in items),
    "regex": _regex,
    "regexall": lambda pattern, text: [m.group(0) for m in re.finditer(pattern, text)],
    "lower": str.lower,
    "upper": str.upper,
    "startswith": lambda text, prefix: text.startswith(prefix),
    "endswith": lambda text, suffix: text.endswith(suffix),
    "trimspace": str.strip,
    "keys": lambda mapping: sorted(mapping),
    "values": lambda mapping: [mapping[k] for k in sorted(mapping)],
    "distinct": _distinct,
    "toset": _distinct,
    "tolist": list,
    "tomap": dict,
    "tostring": _to_string,
    "tonumber": _number,
    "floor": lambda n: math.floor(_number(n)),
    "ceil": lambda n: math.ceil(_number(n)),
    "abs": lambda n: abs(_number(n)),
    "min": lambda *ns: min(_number(n) for n in ns),
    "max": lambda *ns: max(_number(n) for n in ns),
    "sum": lambda ns: sum(_number(n) for n in ns),
    "concat": lambda *lists: [item for items in lists for item in items],
    "flatten": _flatten,
    "merge": lambda *maps: {k: v for m in maps for k, v in m.items()},
    "coalesce": lambda *vs: next(v for v in vs if v is not None and v != ""),
    "lookup": _lookup,
    "split": lambda separator, text: text.split(separator),
    "join": lambda separator, items: separator.join(_to_string(i) for i in items),
    "replace": lambda text, old, new: text.replace(old, new),
    "substr": lambda text, offset, length: text[offset : None if length < 0 else offset + length],
    "range": lambda *args: list(range(*(int(_number(a)) for a in args))),
}
