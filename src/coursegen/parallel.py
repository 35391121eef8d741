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
import os
import pickle
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any, TypeVar

from markdown_it import MarkdownIt

from . import cache
from . import outline as outline_module
from .content import ContentSource, ModuleFile
from .diagnostics import Diagnostic, Diagnostics
from .lifeline import die_with_parent
from .markdown import Highlights, make_markdown
from .model import Module, Site
from .outline import Outline, RecordingTargets, build_outline
from .parse import ParsedModule, parse_module
from .yamlsource import YamlMemo

log = logging.getLogger(__name__)

MAX_HIGHLIGHTS = 50_000  # code blocks kept in the cache; beyond, only this build's are kept
MAX_YAML = 20_000  # YAML documents kept in the cache; beyond, only those this build parsed or asked for
MIN_MODULES = 80  # below this, starting processes costs more than it saves
T = TypeVar("T")


class _Failed(Exception):
    """A worker failed or vanished; the build goes serial."""


def _cores() -> int:
    """Usable cores; 1 without fork, or when other threads run (serve: a fork could copy a held lock)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, 8)


def workers_for(source: ContentSource) -> int:
    """How many worker processes to use: one per usable core, none for small sites or without fork."""
    modules = sum(len(c.modules) for c in source.courses)
    cores = _cores()
    return cores if modules >= MIN_MODULES and cores > 1 else 0


def _fork_context() -> Any:
    """multiprocessing's fork context, imported on first use: an edit's build forks nothing, and the import
    (with socket and selectors) costs ~15 ms of its start."""
    import multiprocessing
    return multiprocessing.get_context("fork")


def _wait(conns: list) -> list:
    from multiprocessing.connection import wait
    return wait(conns)


CHUNK = 16  # results per message: workers never hold all their results at once


def _map_worker(conn: Any, function: Callable[[Any], Any], items: list, start: int, step: int,
                parent: int) -> None:
    die_with_parent(parent)
    try:
        chunk = []
        for item in items[start::step]:
            chunk.append(function(item))
            if len(chunk) == CHUNK:
                conn.send(chunk)
                chunk = []
        conn.send(chunk)
        conn.send(None)
    except Exception:  # noqa: BLE001 - reported to the parent, which does the work itself
        conn.send(("failed", traceback.format_exc()))
    finally:
        conn.close()


def fork_map(function: Callable[[Any], T], items: list, minimum: int = MIN_MODULES) -> list[T] | None:
    """[function(item) for item in items] computed by forked workers (they inherit `function` and `items`,
    only results travel, in small chunks); None when not worth it or when a worker fails, so the caller
    does it itself."""
    count = _cores()
    if count < 2 or len(items) < minimum:
        return None
    context = _fork_context()
    workers = []
    for start in range(count):
        parent, child = context.Pipe()
        process = context.Process(target=_map_worker, args=(child, function, items, start, count, os.getpid()),
                                  daemon=True)
        process.start()
        child.close()
        workers.append((process, parent))
    results: list = [None] * len(items)
    try:
        _collect(results, [conn for _, conn in workers], count)
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


def _collect(results: list, conns: list, step: int) -> None:
    """Read every worker's chunks as they come (a worker blocked on a full pipe would stop working)."""
    position = {conn: start for start, conn in enumerate(conns)}
    while position:
        for conn in _wait(list(position)):
            message = _Workers._receive(conn)
            if message is None:
                del position[conn]
                continue
            for value in message:
                results[position[conn]] = value
                position[conn] += step


def _light(parsed: ParsedModule | None) -> ParsedModule | None:
    if parsed is None:
        return None
    cards = tuple(replace(card, title_tokens=(), tokens=()) for card in parsed.cards)
    return replace(parsed, intro=(), cards=cards)


def _stand_in(near: tuple[str, str] | None) -> Any:
    """What outline._module reads of a neighbouring module: its title and slug."""
    return None if near is None else SimpleNamespace(meta=SimpleNamespace(title=near[0]),
                                                     file=SimpleNamespace(slug=near[1]))


Rendered = tuple[Module, list[Diagnostic], list[tuple[tuple, Any]]]  # Module, diagnostics, link resolutions


def _render(md: MarkdownIt, parsed: ParsedModule, key: tuple, targets: Any) -> Rendered:
    """outline._module for one module, from its outline key (see outline._memo_module)."""
    index, course_slug, course_url, preview_length, before, after = key
    siblings = [None] * index + [parsed] + ([_stand_in(after)] if after else [])
    if index > 0:
        siblings[index - 1] = _stand_in(before)
    diags, recorder = Diagnostics(), RecordingTargets(targets)
    module = outline_module._module(parsed, index, siblings, course_slug, recorder,  # type: ignore[arg-type]
                                    SimpleNamespace(preview_length=preview_length), course_url, md, diags)
    return module, diags.items, recorder.calls


def _worker(conn: Any, files: list[ModuleFile], widgets: frozenset[str], parent: int) -> None:
    die_with_parent(parent)
    try:
        md = make_markdown()
        parsed: dict[str, ParsedModule | None] = {}
        light = {}
        for file in files:
            diags = Diagnostics()
            parsed[file.source.rel] = parse_module(md, file, widgets, diags)
            light[file.source.rel] = (_light(parsed[file.source.rel]), diags.items)
        conn.send([(rel, *parse) for rel, parse in light.items()])
        job = conn.recv()
        if job is None:
            return
        targets, keys = job
        chunk = []
        for rel, key in keys:  # tokens are freed as it goes; the entry is pickled once, here, for the cache too
            entry = _Entry(*light[rel], key, _render(md, parsed.pop(rel), key, targets))  # type: ignore[arg-type]
            chunk.append((rel, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)))
            if len(chunk) == CHUNK:
                conn.send(chunk)
                chunk = []
        conn.send(chunk)
        conn.send(("memos", Highlights.take_new(), YamlMemo.take_new()))
        conn.send(None)
    except Exception:  # noqa: BLE001 - reported to the parent, which builds serially
        conn.send(("failed", traceback.format_exc()))
    finally:
        conn.close()


class _Pending:
    """Stands in for a Module until a worker has rendered it."""

    def __init__(self, rel: str):
        self.rel = rel


class _Workers:
    """Worker processes that parse `files` and later render their Modules; placeholders meanwhile."""

    def __init__(self, files: list[ModuleFile], widgets: frozenset[str], count: int):
        context = _fork_context()
        self.workers, self.owner = [], {}
        for n in range(count):
            share = files[n::count]
            parent, child = context.Pipe()
            process = context.Process(target=_worker, args=(child, share, widgets, os.getpid()), daemon=True)
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
        self.done: dict[str, Rendered] = {}
        self.pickled: dict[str, bytes] = {}  # the _Entry of each module rendered, as the cache stores it

    @staticmethod
    def _receive(conn: Any) -> Any:
        try:
            message = conn.recv()
        except (EOFError, OSError) as exc:
            raise _Failed(f"a worker stopped: {exc}") from None
        if isinstance(message, tuple) and message and message[0] == "failed":
            raise _Failed(message[1])
        return message

    def module(self, rel: str, key: tuple, targets: Any) -> Module:
        self.targets = targets
        self.jobs[self.owner[rel]].append((rel, key))
        return _Pending(rel)  # type: ignore[return-value]

    def finish(self, site: Site, diags: Diagnostics) -> Site:
        """Have the workers render every pending Module, then put them in the site."""
        for (_, conn), jobs in zip(self.workers, self.jobs):
            conn.send((self.targets, jobs))
        waiting = {conn for _, conn in self.workers}
        while waiting:
            for conn in _wait(list(waiting)):
                message = self._receive(conn)
                if message is None:
                    waiting.discard(conn)
                    continue
                if isinstance(message, tuple):  # ("memos", code highlighted, YAML parsed by the worker)
                    for memo, new in zip((Highlights, YamlMemo), message[1:]):
                        memo.known.update(new)
                        memo.new.update(new)
                    continue
                for rel, data in message:
                    entry = pickle.loads(data)
                    self.done[rel], self.pickled[rel] = entry.built, data
                    diags.items.extend(entry.built[1])
        courses = tuple(replace(c, modules=tuple(self.done[m.rel][0] if isinstance(m, _Pending) else m
                                                 for m in c.modules)) for c in site.courses)
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


@dataclass
class _Entry:
    """What the cache keeps of one module file: its light parse and its last built Module."""

    light: ParsedModule | None
    parse_diagnostics: list[Diagnostic]
    key: tuple | None = None  # outline key of `built`
    built: Rendered | None = None


def _module_key(file: ModuleFile, widgets: frozenset[str]) -> str:
    return cache.digest(cache.code_digest(), file.source.rel, file.number, file.slug,
                        file.source.text.encode(), sorted(widgets))  # bytes: hashed without JSON escaping


class _Memo:
    """outline's memo hook: modules come from the persistent cache when unchanged (a Module is reused only
    when its outline key and every link resolution it made are unchanged), else from workers or this process."""

    def __init__(self, source: ContentSource, md: MarkdownIt, widgets: frozenset[str], count: int,
                 store: cache.Store | None):
        self.md, self.widgets, self.store = md, widgets, store
        files = [m for course in source.courses for m in course.modules]
        self.keys = {f.source.rel: _module_key(f, widgets) for f in files} if store else {}
        self.entries: dict[str, _Entry] = {}
        if store is not None:
            Highlights.known.update(store.get("code", cache.code_digest()) or {})  # Pygments' version is in it
            YamlMemo.known.update(store.get("yaml", cache.code_digest()) or {})  # and PyYAML's
        for rel, key in self.keys.items():
            entry = store.get("module", key) if store else None
            if isinstance(entry, _Entry):
                self.entries[rel] = entry
        misses = [f for f in files if f.source.rel not in self.entries]
        self.workers = _Workers(misses, widgets, count) if count and len(misses) >= MIN_MODULES else None
        self.full: dict[str, ParsedModule | None] = {}
        self.light = {rel: (e.light, e.parse_diagnostics) for rel, e in self.entries.items()}
        if self.workers:
            self.light.update(self.workers.light)
        else:
            for file in misses:
                local = Diagnostics()
                self.full[file.source.rel] = parse_module(md, file, widgets, local)
                self.light[file.source.rel] = (_light(self.full[file.source.rel]), local.items)
        self.changed: set[str] = {f.source.rel for f in misses}

    def parse(self, md: MarkdownIt, file: ModuleFile, widgets: frozenset[str],
              diags: Diagnostics) -> ParsedModule | None:
        if file.source.rel not in self.light:
            raise _Failed(f"{file.source.rel} was not parsed")
        parsed, items = self.light[file.source.rel]
        diags.items.extend(items)
        return parsed

    def module(self, parsed: ParsedModule, key: tuple, targets: Any, diags: Diagnostics,
               make: Callable[[Any, Diagnostics], Module]) -> Module:
        rel = parsed.file.source.rel
        entry = self.entries.get(rel)
        if entry and entry.key == key and entry.built and all(
                targets.resolve(*args) == result for args, result in entry.built[2]):
            diags.items.extend(entry.built[1])
            return entry.built[0]
        self.changed.add(rel)
        if self.workers and rel in self.workers.owner:
            self._remember(rel, key)
            return self.workers.module(rel, key, targets)
        full = self.full.get(rel) or parse_module(self.md, parsed.file, self.widgets, Diagnostics())
        rendered = _render(self.md, full, key, targets)  # type: ignore[arg-type]
        diags.items.extend(rendered[1])
        self._remember(rel, key, rendered)
        return rendered[0]

    def _remember(self, rel: str, key: tuple, rendered: Rendered | None = None) -> None:
        light, items = self.light[rel]
        self.entries[rel] = _Entry(light, items, key, rendered)

    def finish(self, site: Site, diags: Diagnostics) -> Site:
        if self.workers is None:
            return site
        site = self.workers.finish(site, diags)
        for rel, rendered in self.workers.done.items():
            self.entries[rel].built = rendered
        return site

    def save(self) -> None:
        """Store the entries of every module parsed or rendered in this build."""
        pickled = self.workers.pickled if self.workers else {}
        for rel in sorted(self.changed & set(self.keys)):
            if rel in pickled:
                self.store.put_pickled("module", self.keys[rel], pickled[rel])  # type: ignore[union-attr]
            elif rel in self.entries:
                self.store.put("module", self.keys[rel], self.entries[rel])  # type: ignore[union-attr]
        self.store.prune("module", set(self.keys.values()))  # type: ignore[union-attr]
        if new := Highlights.take_new():
            kept = Highlights.known if len(Highlights.known) <= MAX_HIGHLIGHTS else new
            self.store.put_only("code", cache.code_digest(), kept)  # type: ignore[union-attr]
        if YamlMemo.new:
            self.store.put_only("yaml", cache.code_digest(), YamlMemo.kept(MAX_YAML))  # type: ignore[union-attr]
        YamlMemo.take_new()
        self.store.save()  # type: ignore[union-attr]

    def close(self) -> None:
        if self.workers:
            self.workers.close()


def parallel_outline(source: ContentSource, md: MarkdownIt, diags: Diagnostics, *, base_url: str | None,
                     drafts: bool, widgets: frozenset[str], store: cache.Store | None = None) -> Outline | None:
    """build_outline, with unchanged modules from `store` and the others parsed and rendered on every core
    when there are enough of them."""
    count = workers_for(source)
    if count or store is not None:
        local = Diagnostics()
        memo = None
        try:
            memo = _Memo(source, md, widgets, count, store)
            result = build_outline(source, md, local, base_url=base_url, drafts=drafts, widgets=widgets,
                                   memo=memo)
            if result is not None:
                result = replace(result, site=memo.finish(result.site, local))
            if store is not None:
                memo.save()
            diags.extend(local)
            return None if local.errors else result
        except _Failed as exc:
            log.warning("parallel build failed, building on one core: %s", exc)
        finally:
            if memo is not None:
                memo.close()
    return build_outline(source, md, diags, base_url=base_url, drafts=drafts, widgets=widgets)
