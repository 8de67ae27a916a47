"""The scope tree as a console user may see it, and Password Reset Options."""

from __future__ import annotations

from typing import Any

from tuiconsole.domain.errors import NotFound, ValidationError
from tuiconsole.domain.options import OPTION_NAMES, parse_option_value, validate_combination
from tuiconsole.domain.roles import Permission
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.views import Actor, OptionsView, ScopeNode
from tuiconsole.store.repositories.scopes import ScopeRepository


class ScopeService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def tree(self, actor: Actor) -> list[ScopeNode]:
        """Visible scopes in tree order (depth-first, by name)."""
        ctx = self.ctx
        with ctx.read() as s:
            by_id = ctx.scopes(s)
            children: dict[int | None, list[int]] = {}
            for scope in by_id.values():
                children.setdefault(scope.parent_id, []).append(scope.id)
            out: list[ScopeNode] = []

            def walk(scope_id: int, depth: int) -> None:
                scope = by_id[scope_id]
                if actor.sees(scope_id):
                    out.append(
                        ScopeNode(
                            id=scope.id,
                            code=scope.code,
                            name=scope.name,
                            kind=scope.kind,
                            parent_id=scope.parent_id,
                            depth=depth,
                            path=ctx.scope_path(s, scope.id),
                        )
                    )
                for child in sorted(children.get(scope_id, []), key=lambda i: by_id[i].name.casefold()):
                    walk(child, depth + 1)

            for root in sorted(children.get(None, []), key=lambda i: by_id[i].name.casefold()):
                walk(root, 0)
            return out

    def by_code(self, actor: Actor, code: str) -> ScopeNode:
        for node in self.tree(actor):
            if node.code == code:
                return node
        raise NotFound(f"Unknown scope '{code}' (or not one of yours).")

    def default_scope(self, actor: Actor) -> ScopeNode | None:
        """The first visible scope at the smallest depth: where the console opens."""
        nodes = self.tree(actor)
        if not nodes:
            return None
        top = min(n.depth for n in nodes)
        return next(n for n in nodes if n.depth == top)

    # --- Password Reset Options -------------------------------------------

    def options(self, actor: Actor, scope_id: int) -> OptionsView:
        ctx = self.ctx
        ctx.require(actor, Permission.VIEW)
        with ctx.read() as s:
            if scope_id not in ctx.scopes(s) or not actor.sees(scope_id):
                raise NotFound("That scope is not one of yours.")
            row = ScopeRepository(s).options_row(scope_id)
            set_here = {n: getattr(row, n) for n in OPTION_NAMES if row and getattr(row, n) is not None}
            return OptionsView(
                scope_id=scope_id,
                scope_name=ctx.scopes(s)[scope_id].name,
                effective=ctx.options(s, scope_id),
                set_here=set_here,
            )

    def update_options(self, actor: Actor, scope_id: int, changes: dict[str, Any]) -> OptionsView:
        """Set (value) or reset to inherited (None) some options of one scope."""
        ctx = self.ctx
        ctx.require(actor, Permission.SUPERVISE)
        parsed: dict[str, Any] = {}
        for name, raw in changes.items():
            if name not in OPTION_NAMES:
                raise ValidationError(f"Unknown option '{name}'.", field=name)
            parsed[name] = None if raw is None or raw == "" else parse_option_value(name, raw)
        with ctx.uow() as s:
            if scope_id not in ctx.scopes(s) or not actor.sees(scope_id):
                raise NotFound("That scope is not one of yours.")
            repo = ScopeRepository(s)
            row = repo.options_row(scope_id)
            before = {n: getattr(row, n) for n in OPTION_NAMES} if row else {}
            # The row's own CHECK (min_length <= max_length) would fail at flush as a
            # database error: refuse that pair first with the readable sentence.
            own = {n: parsed.get(n, before.get(n)) for n in ("min_length", "max_length")}
            if None not in own.values():
                validate_combination(own)
            repo.set_options(scope_id, parsed)
            effective = ctx.options(s, scope_id).values
            validate_combination(effective.as_dict())
            # Every scope below inherits: check them too, so no site ends up impossible.
            for sub in ctx.subtree(s, scope_id) - {scope_id}:
                validate_combination(ctx.options(s, sub).values.as_dict())
            changed = {k: v for k, v in parsed.items() if before.get(k) != v}
            ctx.record(s, actor, "options_updated", scope_id=scope_id, changed=changed)
        return self.options(actor, scope_id)
