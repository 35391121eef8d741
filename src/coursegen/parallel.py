"""Parse and render the modules of a large site on every CPU core (forked workers, Linux and macOS).

Parsed Markdown is slow to send between processes (unpickling tokens costs about as much as parsing),
so each worker keeps the tokens of its share of the modules:
1. parse: every worker parses its share and sends back a light copy of each module (front matter,
   card ids, anchors; no tokens) with its diagnostics. The parent builds the outline from these
   through outline's memo hook, leaving every Module as a placeholder.
2. render: the parent sends the link targets and each module's outline key (position, course URL,
   neighbours, preview length: everything outline._module reads besides the parsed module and link
   resolutions); the workers return finished Modules and their diagnostics.
Any failure of a worker, and any site too small to gain, takes the serial path instead.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from dataclasses import replace
from types import SimpleNamespace
from typing import Any, Callable, TypeVar

from markdown_it import MarkdownIt

from . import outline as outline_module
from .content import ContentSource, ModuleFile
from .diagnostics import Diagnostic, Diagnostics
from .markdown import make_markdown
from .model import Module, Site
from .outline import Outline, build_outline
from .parse import ParsedModule, parse_module

log = logging.getLogger(__name__)

MIN_MODULES = 80  # below this, starting processes costs more than it saves
T = TypeVar("T")


class _Failed(Exception):
    """A worker failed or vanished; the build goes serial."""


def _cores() -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, 8)


def workers_for(source: ContentSource) -> int:
    """How many worker processes to use: one per usable core, none for small sites or without fork."""
    modules = sum(len(c.modules) for c in source.courses)
    cores = _cores()
    return cores if modules >= MIN_MODULES and cores > 1 else 0


def _map_worker(conn: Any, function: Callable[[Any], Any], items: list, start: int, step: int) -> None:
    try:
        conn.send([function(item) for item in items[start::step]])
    except Exception:
        conn.send(("failed", traceback.format_exc()))
    finally:
        conn.close()


def fork_map(function: Callable[[Any], T], items: list, minimum: int = MIN_MODULES) -> list[T] | None:
    """[function(item) for item in items] computed by forked workers (they inherit `function` and `items`,
    only results travel); None when not worth it or when a worker fails, so the caller does it itself."""
    count = _cores()
    if count < 2 or len(items) < minimum:
        return None
    context = multiprocessing.get_context("fork")
    workers = []
    for start in range(count):
        parent, child = context.Pipe()
        process = context.Process(target=_map_worker, args=(child, function, items, start, count), daemon=True)
        process.start()
        child.close()
        workers.append((process, parent))
    results: list = [None] * len(items)
    try:
        for start, (_, conn) in enumerate(workers):
            message = _ParallelMemo._receive(conn)
            results[start::count] = message
    except _Failed as exc:
        log.warning("parallel work failed, doing it on one core: %s", exc)
        return None
    finally:
        for process, conn in workers:
            conn.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
    return results


def _light(parsed: ParsedModule | None) -> ParsedModule | None:
    if parsed is None:
        return None
    cards = tuple(replace(card, title_tokens=(), tokens=()) for card in parsed.cards)
    return replace(parsed, intro=(), cards=cards)


def _stand_in(near: tuple[str, str] | None) -> Any:
    """What outline._module reads of a neighbouring module: its title and slug."""
    return None if near is None else SimpleNamespace(meta=SimpleNamespace(title=near[0]),
                                                     file=SimpleNamespace(slug=near[1]))


def _render(md: MarkdownIt, parsed: ParsedModule, key: tuple, targets: Any) -> tuple[Module, list[Diagnostic]]:
    index, course_slug, course_url, preview_length, before, after = key
    siblings = [None] * index + [parsed] + ([_stand_in(after)] if after else [])
    if index > 0:
        siblings[index - 1] = _stand_in(before)
    diags = Diagnostics()
    module = outline_module._module(parsed, index, siblings, course_slug, targets,  # type: ignore[arg-type]
                                    SimpleNamespace(preview_length=preview_length), course_url, md, diags)
    return module, diags.items


def _worker(conn: Any, files: list[ModuleFile], widgets: frozenset[str]) -> None:
    try:
        md = make_markdown()
        parsed: dict[str, ParsedModule | None] = {}
        light = []
        for file in files:
            diags = Diagnostics()
            parsed[file.source.rel] = parse_module(md, file, widgets, diags)
            light.append((file.source.rel, _light(parsed[file.source.rel]), diags.items))
        conn.send(light)
        job = conn.recv()
        if job is None:
            return
        targets, keys = job
        conn.send([(rel, *_render(md, parsed[rel], key, targets)) for rel, key in keys if rel in parsed])
    except Exception:  # reported to the parent, which builds serially
        conn.send(("failed", traceback.format_exc()))
    finally:
        conn.close()


class _Pending:
    """Stands in for a Module until a worker has rendered it."""

    def __init__(self, rel: str):
        self.rel = rel


class _ParallelMemo:
    """outline's memo hook: light parsed modules from the workers, placeholders for Modules."""

    def __init__(self, source: ContentSource, widgets: frozenset[str], count: int):
        files = [m for course in source.courses for m in course.modules]
        context = multiprocessing.get_context("fork")
        self.workers, self.owner = [], {}
        for n in range(count):
            share = files[n::count]
            parent, child = context.Pipe()
            process = context.Process(target=_worker, args=(child, share, widgets), daemon=True)
            process.start()
            child.close()
            self.workers.append((process, parent))
            self.owner.update({f.source.rel: n for f in share})
        self.light: dict[str, tuple[ParsedModule | None, list[Diagnostic]]] = {}
        for _, conn in self.workers:
            for rel, parsed, items in self._receive(conn):
                self.light[rel] = (parsed, items)
        self.jobs: list[list[tuple[str, tuple]]] = [[] for _ in self.workers]
        self.targets: Any = None

    @staticmethod
    def _receive(conn: Any) -> Any:
        try:
            message = conn.recv()
        except (EOFError, OSError) as exc:
            raise _Failed(f"a worker stopped: {exc}") from None
        if isinstance(message, tuple) and message and message[0] == "failed":
            raise _Failed(message[1])
        return message

    def parse(self, md: MarkdownIt, file: ModuleFile, widgets: frozenset[str],
              diags: Diagnostics) -> ParsedModule | None:
        if file.source.rel not in self.light:
            raise _Failed(f"{file.source.rel} was not parsed by a worker")
        parsed, items = self.light[file.source.rel]
        diags.items.extend(items)
        return parsed

    def module(self, parsed: ParsedModule, key: tuple, targets: Any, diags: Diagnostics,
               make: Callable[[Any, Diagnostics], Module]) -> Module:
        self.targets = targets
        rel = parsed.file.source.rel
        self.jobs[self.owner[rel]].append((rel, key))
        return _Pending(rel)  # type: ignore[return-value]

    def finish(self, site: Site, diags: Diagnostics) -> Site:
        """Have the workers render every pending Module, then put them in the site."""
        for (_, conn), jobs in zip(self.workers, self.jobs):
            conn.send((self.targets, jobs))
        done: dict[str, Module] = {}
        for _, conn in self.workers:
            for rel, module, items in self._receive(conn):
                done[rel] = module
                diags.items.extend(items)
        courses = tuple(replace(c, modules=tuple(done[m.rel] for m in c.modules)) for c in site.courses)
        return replace(site, courses=courses)

    def close(self) -> None:
        for process, conn in self.workers:
            try:
                if process.is_alive():
                    conn.send(None)
            except (OSError, ValueError):
                pass
            conn.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


def parallel_outline(source: ContentSource, md: MarkdownIt, diags: Diagnostics, *, base_url: str | None,
                     drafts: bool, widgets: frozenset[str]) -> Outline | None:
    """build_outline, with modules parsed and rendered on every core when the site is large enough."""
    count = workers_for(source)
    if count:
        local = Diagnostics()
        memo = None
        try:
            memo = _ParallelMemo(source, widgets, count)
            result = build_outline(source, md, local, base_url=base_url, drafts=drafts, widgets=widgets,
                                   memo=memo)
            if result is not None:
                result = replace(result, site=memo.finish(result.site, local))
            diags.extend(local)
            return None if local.errors else result
        except _Failed as exc:
            log.warning("parallel build failed, building on one core: %s", exc)
        finally:
            if memo is not None:
                memo.close()
    return build_outline(source, md, diags, base_url=base_url, drafts=drafts, widgets=widgets)
