"""Merge the services' OpenAPI documents into one (pure functions, no I/O)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from emporium.gateway.docs.edge_responses import add_edge_responses, ensure_problem_schemas
from emporium.servicekit.security import SCOPES

SECURITY_SCHEME = "OAuth2"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Component sections whose same-name entries are compared and, when they differ, renamed.
SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
)


@dataclass
class ServiceDoc:
    """What the gateway knows of one service's documentation."""

    name: str
    prefixes: tuple[str, ...]
    spec: dict[str, Any] | None = None
    available: bool = False
    error: str | None = None
    operations: int = field(default=0)

    @property
    def title(self) -> str:
        """The service's human title."""
        info = (self.spec or {}).get("info", {})
        return str(info.get("title") or self.name.capitalize())

    @property
    def version(self) -> str | None:
        """The service's version as it publishes it."""
        info = (self.spec or {}).get("info", {})
        return str(info["version"]) if "version" in info else None


def owned_paths(spec: Mapping[str, Any], prefixes: Sequence[str]) -> dict[str, Any]:
    """The paths of `spec` that the gateway routes to this service (no rewriting)."""
    return {
        path: item
        for path, item in (spec.get("paths") or {}).items()
        if any(path == p or path.startswith(p + "/") for p in prefixes)
    }


def _operations(paths: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for item in paths.values():
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield item[method]


def _refs(node: Any) -> Iterator[str]:
    """Every local component reference in `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key == "mapping" and isinstance(value, dict):
                yield from (v for v in value.values() if isinstance(v, str))
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _rewrite(node: Any, renames: Mapping[str, str]) -> Any:
    """A copy of `node` with every reference in `renames` replaced."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = renames.get(value, value)
            elif key == "mapping" and isinstance(value, dict):
                out[key] = {k: renames.get(v, v) for k, v in value.items()}
            else:
                out[key] = _rewrite(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite(v, renames) for v in node]
    return node


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _plan_renames(docs: Sequence[ServiceDoc]) -> dict[str, dict[str, str]]:
    """Per service, old ref → new ref for components that clash with a different namesake."""
    defined: dict[tuple[str, str], dict[str, Any]] = {}
    for doc in docs:
        components = (doc.spec or {}).get("components", {})
        for section in SECTIONS:
            for name, value in (components.get(section) or {}).items():
                if section == "securitySchemes" and name == SECURITY_SCHEME:
                    continue  # replaced by the gateway's single OAuth2 scheme
                defined.setdefault((section, name), {})[doc.name] = value
    renamed: set[tuple[str, str]] = {
        key
        for key, by_service in defined.items()
        if len({_canonical(v) for v in by_service.values()}) > 1
    }
    # Identical twins stay shared only if everything they reference stays shared too.
    changed = True
    while changed:
        changed = False
        for key, by_service in defined.items():
            if key in renamed or len(by_service) < 2:
                continue
            targets = {_ref_key(r) for v in by_service.values() for r in _refs(v)}
            if targets & renamed:
                renamed.add(key)
                changed = True
    taken = {f"{s}/{n}" for s, n in defined}
    plan: dict[str, dict[str, str]] = {doc.name: {} for doc in docs}
    for section, name in sorted(renamed):
        for service in sorted(defined[(section, name)]):
            new = f"{service.capitalize()}{name}"
            while f"{section}/{new}" in taken:
                new = f"{service.capitalize()}_{new}"
            taken.add(f"{section}/{new}")
            plan[service][f"#/components/{section}/{name}"] = f"#/components/{section}/{new}"
    return plan


def _ref_key(ref: str) -> tuple[str, str]:
    parts = ref.split("/")
    return (parts[2], parts[3]) if len(parts) >= 4 and parts[1] == "components" else ("", ref)


def _oauth2_scheme(docs: Sequence[ServiceDoc], token_url: str) -> dict[str, Any]:
    scopes = dict(SCOPES)
    for doc in docs:
        scheme = ((doc.spec or {}).get("components", {}).get("securitySchemes") or {}).get(
            SECURITY_SCHEME, {}
        )
        for flow in (scheme.get("flows") or {}).values():
            scopes.update(flow.get("scopes") or {})
    return {
        "type": "oauth2",
        "description": (
            f"Sign in with your email and password (the password grant of {token_url})."
        ),
        # Relative: resolved against the selected server, by default the page's own origin.
        "flows": {"password": {"tokenUrl": token_url, "scopes": scopes}},
    }


def servers(public_url: str | None) -> list[dict[str, str]]:
    """The relative `/` first, so the docs work at any host; then the public URL, if set."""
    own = {"url": "/", "description": "This gateway, at the address the page was opened with"}
    public = (public_url or "").rstrip("/")
    if not public:
        return [own]
    return [own, {"url": public, "description": "The gateway's public URL"}]


def merge(
    docs: Sequence[ServiceDoc],
    *,
    title: str,
    version: str,
    token_url: str,
    public_url: str | None = None,
) -> dict[str, Any]:
    """One OpenAPI 3.1 document for every service behind the gateway (`token_url`: where
    the docs' sign-in asks for a token)."""
    plan = _plan_renames([d for d in docs if d.spec])
    paths: dict[str, Any] = {}
    components: dict[str, dict[str, Any]] = {}
    tags: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    operation_ids: set[str] = set()
    shared_tags = _tags_in_several_services(docs)
    for doc in docs:
        group_tags: list[str] = []
        if doc.spec:
            renames = plan[doc.name]
            spec = _rewrite(doc.spec, renames)
            own = owned_paths(spec, doc.prefixes)
            tag_map = {t: f"{doc.name} {t}" if t in shared_tags else t for t in _used_tags(doc)}
            doc.operations = 0
            for operation in _operations(own):
                doc.operations += 1
                operation["tags"] = [tag_map[t] for t in operation.get("tags") or [doc.name]]
                op_id = operation.get("operationId") or f"{doc.name}-operation-{doc.operations}"
                while op_id in operation_ids:
                    op_id = f"{doc.name}-{op_id}"
                operation_ids.add(op_id)
                operation["operationId"] = op_id
                add_edge_responses(operation)
            paths.update(own)
            declared = {t["name"]: t for t in spec.get("tags") or [] if "name" in t}
            for old, new in tag_map.items():
                tags.append({**declared.get(old, {}), "name": new})
                group_tags.append(new)
            for section in SECTIONS:
                for name, value in (spec.get("components", {}).get(section) or {}).items():
                    if section == "securitySchemes" and name == SECURITY_SCHEME:
                        continue
                    ref = f"#/components/{section}/{name}"
                    new_name = renames.get(ref, ref).rsplit("/", 1)[-1]
                    components.setdefault(section, {})[new_name] = value
            for operation in _operations(own):
                if "security" in operation:
                    operation["security"] = [
                        {_scheme_name(k, renames): v for k, v in requirement.items()}
                        for requirement in operation["security"]
                    ]
        group_name = doc.title if doc.available else f"{doc.title} (unavailable)"
        if not doc.available:
            note = f"{doc.name} (unavailable)"
            tags.append(
                {
                    "name": note,
                    "description": f"The {doc.name} service is not answering right now"
                    + ("; its last known operations are listed." if doc.spec else "."),
                }
            )
            group_tags.append(note)
        groups.append({"name": group_name, "tags": group_tags})
    components.setdefault("securitySchemes", {})[SECURITY_SCHEME] = _oauth2_scheme(docs, token_url)
    if paths:
        ensure_problem_schemas(components.setdefault("schemas", {}))
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": _description(docs)},
        "servers": servers(public_url),
        "paths": paths,
        "components": components,
        "tags": tags,
        "x-tagGroups": groups,
        "x-emporium-services": [
            {
                "name": d.name,
                "title": d.title,
                "version": d.version,
                "available": d.available,
                "operations": d.operations,
            }
            for d in docs
        ],
    }


def _scheme_name(name: str, renames: Mapping[str, str]) -> str:
    ref = f"#/components/securitySchemes/{name}"
    return renames.get(ref, ref).rsplit("/", 1)[-1]


def _used_tags(doc: ServiceDoc) -> list[str]:
    seen: dict[str, None] = {}
    for operation in _operations(owned_paths(doc.spec or {}, doc.prefixes)):
        for tag in operation.get("tags") or [doc.name]:
            seen[tag] = None
    return list(seen)


def _tags_in_several_services(docs: Sequence[ServiceDoc]) -> set[str]:
    owners: dict[str, set[str]] = {}
    for doc in docs:
        for tag in _used_tags(doc):
            owners.setdefault(tag, set()).add(doc.name)
    return {tag for tag, names in owners.items() if len(names) > 1}


def _description(docs: Sequence[ServiceDoc]) -> str:
    lines = ["Every Emporium service behind one gateway. Services:", ""]
    for doc in docs:
        state = "available" if doc.available else "**unavailable**"
        version = f" {doc.version}" if doc.version else ""
        lines.append(f"- **{doc.title}**{version} ({doc.name}): {state}")
    return "\n".join(lines)
