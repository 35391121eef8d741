"""Deploy recipes and publishing options: the starter's Pages workflow, base URL forms, robots.txt."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import yaml
from helpers import REPO, package_source

WORKFLOW = ".github/workflows/publish.yml"


def test_new_project_has_a_github_pages_workflow_that_builds_with_the_pages_base_url(project, tmp_path):
    result = project.cli("new", str(tmp_path / "mysite"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    workflow = yaml.safe_load((tmp_path / "mysite" / WORKFLOW).read_text())
    build_steps = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "") for step in build_steps]
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    pages_id = next(s["id"] for s in build_steps if s.get("uses", "").startswith("actions/configure-pages@"))
    command = next(s["run"] for s in build_steps if "coursegen build" in s.get("run", ""))
    assert f"--base-url \"${{{{ steps.{pages_id}.outputs.base_url }}}}/\"" in command
    assert "--strict" in command and "SOURCE_DATE_EPOCH" in command
    upload = next(s for s in build_steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "build" and "--out build" in command
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert ".coursegen-cache/" in (tmp_path / "mysite/.gitignore").read_text()


def test_the_deploying_workflow_restores_only_a_cache_that_main_wrote(project, tmp_path):
    """Cache entries are published as they are (docs/building.md): GitHub restores into a run the caches of its
    branch and of the default branch only, so a workflow run for main alone never reads a pull request's."""
    assert project.cli("new", str(tmp_path / "mysite"), cwd=tmp_path).returncode == 0
    for path in (tmp_path / "mysite" / WORKFLOW, REPO / WORKFLOW):
        workflow = yaml.safe_load(path.read_text())
        triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
        assert set(triggers) == {"push", "workflow_dispatch"} and triggers["push"] == {"branches": ["main"]}, path
        assert any(step.get("uses", "").startswith("actions/cache@") for step in workflow["jobs"]["build"]["steps"])


def test_the_workflow_ships_inside_the_wheel(tmp_path):
    result = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path),
                             str(package_source(tmp_path / "source"))],
                            check=False,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    names = zipfile.ZipFile(next(tmp_path.glob("coursegen-*.whl"))).namelist()
    assert f"coursegen/starter/{WORKFLOW}" in names
    assert {"coursegen/theme/fonts/DejaVuSans.ttf", "coursegen/theme/fonts/DejaVuSans-Bold.ttf",
            "coursegen/theme/fonts/LICENSE-DejaVu.txt"} <= set(names)


def test_the_starter_builds_strictly_with_a_github_pages_url(project, tmp_path):
    assert project.cli("new", str(tmp_path / "s"), cwd=tmp_path).returncode == 0
    result = project.cli("build", str(tmp_path / "s"), "--strict", "--base-url", "https://you.github.io/repo/",
                         cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "s/build/static/cards").rglob("*.png"))


def test_base_url_may_be_an_origin_alone_a_url_with_a_path_or_a_path(demo):
    for given, canonical in [("https://example.org", "https://example.org/demo/"),
                             ("https://example.org/a/b", "https://example.org/a/b/demo/"),
                             ("/a/b/", None)]:  # a path alone: no canonical (a relative one is worse than none)
        assert demo.build(base_url=given).ok
        link = demo.html("demo/index.html").find("link", rel="canonical")
        assert (link["href"] if link else None) == canonical


def test_a_malformed_base_url_on_the_command_line_is_a_usage_error(demo):
    for bad in ("courses", "ftp://example.org/", "https://example.org/a?b=1"):
        result = demo.cli("build", "--base-url", bad)
        assert result.returncode == 2, (bad, result.stderr)
        assert "--base-url must be a path starting with '/'" in result.stderr


def test_base_url_in_site_yaml_is_used_and_the_command_line_overrides_it(demo):
    demo.write("content/site.yaml", demo.root.joinpath("content/site.yaml").read_text()
               + "base_url: https://example.org/from-yaml\n")
    assert demo.build().ok
    assert demo.html("index.html").find("link", rel="canonical")["href"] == "https://example.org/from-yaml/"
    assert demo.build(base_url="https://example.net/cli/").ok
    assert demo.html("index.html").find("link", rel="canonical")["href"] == "https://example.net/cli/"


def test_robots_names_the_sitemap_only_with_an_absolute_url(demo):
    assert demo.build(base_url="/sub/").ok
    robots = (demo.out / "robots.txt").read_text()
    assert "User-agent: *" in robots and "Sitemap" not in robots  # crawlers need a full sitemap URL
    assert demo.build(base_url="https://example.org/sub/").ok
    assert "Sitemap: https://example.org/sub/sitemap.xml" in (demo.out / "robots.txt").read_text()


def test_the_repository_publishes_its_flagship_site_with_the_starter_recipe():
    ours = yaml.safe_load((REPO / WORKFLOW).read_text())
    starter = yaml.safe_load((REPO / "src/coursegen/starter" / WORKFLOW).read_text())
    install = [s for s in ours["jobs"]["build"]["steps"] if s.get("name") == "Install coursegen"]
    assert install and install[0]["run"].startswith("python -m pip install .")
    strip = lambda w: [s for s in w["jobs"]["build"]["steps"] if s.get("name") != "Install coursegen"]
    assert strip(ours) == strip(starter) and ours["jobs"]["deploy"] == starter["jobs"]["deploy"]


def test_the_flagship_passes_the_workflows_strict_check(tmp_path):
    from coursegen import BuildOptions, check
    report = check(REPO, BuildOptions(base_url="https://owner.github.io/coursegen/", strict=True))
    assert report.ok, [d.format() for d in report.diagnostics]
