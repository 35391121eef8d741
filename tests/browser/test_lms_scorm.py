"""SCORM 1.2 and 2004 packages of the flagship course, played in real Chromium against scorm-again as the
LMS (no LMS server): one connection, the values the LMS stores after a learner clicks through every
module and quiz, the 4,096-character limit, resume after a relaunch, browse mode and no LMS at all."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from helpers import REPO
from lmsharness import after_leaving, calls, cmi, lms_folder
from playwright.sync_api import expect

from coursegen.publish.lms import export

WRONG = (1, 6, 11, 16)  # quizzes (in reading order) answered wrong at the first try; the rest right
VERSIONS = {"1.2": "scorm12", "2004": "scorm2004"}


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("packages")
    made = {}
    for version, fmt in VERSIONS.items():
        report = export(REPO, fmt, out=out)
        assert report.ok, report.diagnostics
        made[version] = report.packages[0].path
    return made


@pytest.fixture
def lms(packages, serve_folder, tmp_path, page):
    """lms(version) -> the harness URL; every request must stay on 127.0.0.1."""
    left: list[str] = []
    page.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]|data:|about:)"), lambda route: (left.append(route.request.url),
                                                                                   route.abort()))

    def start(version: str, mode: str = "", popup: bool = False) -> str:
        base = serve_folder(lms_folder(packages[version], tmp_path / version))
        return (f"{base}/lms.html?v={'2004' if version == '2004' else '12'}&sco=pkg/scorm.html&mode={mode}"
                f"{'&popup=1' if popup else ''}")

    yield start
    assert left == [], f"requests left the machine: {left}"


def course(page):
    return page.frame_locator("#sco").frame_locator("#cg-course")


def inner_frame(page):
    return next(f for f in page.frames if f.parent_frame and f.parent_frame.parent_frame)


def answer_every_quiz_and_finish_every_module(page) -> tuple[int, int]:
    """From the course page: open module 1, answer each quiz (wrong for WRONG, then right on a second try),
    mark each module done, follow 'Next'. Returns (right at the first try, quizzes)."""
    frame = course(page)
    frame.locator(".cg-main h3 a").first.click()
    index, right = 0, 0
    while True:
        frame.locator("[data-module-done]").wait_for()
        for quiz in frame.locator("form.cg-quiz").all():
            choice = "false" if index in WRONG else "true"
            for option in quiz.locator(f"input[data-correct={choice}]").all()[: 1 if choice == "false" else None]:
                option.check()
            quiz.locator("button[type=submit]").click()
            if index in WRONG:  # a second try, right this time: the score keeps the first
                quiz.locator("button[type=reset]").click()
                for option in quiz.locator("input[data-correct=true]").all():
                    option.check()
                quiz.locator("button[type=submit]").click()
            else:
                right += 1
            index += 1
        frame.locator("[data-module-done]").click()
        nxt = frame.locator("a.cg-pager-next[rel=next]")
        if not nxt.count():
            return right, index
        title = frame.locator("h1").inner_text()
        nxt.click()
        expect(frame.locator("h1")).not_to_have_text(title)  # the next module's page, not this one's


def finish(page) -> None:
    """What an LMS does when the learner closes the course: it removes the SCO's frame."""
    page.evaluate("document.getElementById('sco').remove()")


def assert_clean_session(log: list[dict], version: str) -> None:
    init, end = ("LMSInitialize", "LMSFinish") if version == "1.2" else ("Initialize", "Terminate")
    names = [c["name"] for c in log]
    assert names.count(init) == 1 and names[0] == init
    assert names.count(end) == 1 and names[-1] == end
    bad = [c for c in log if c["error"] != "0" or (c["name"].endswith("SetValue") and c["result"] != "true")]
    assert bad == [], bad


def set_values(log: list[dict]) -> dict[str, str]:
    values: dict[str, str] = {}
    for c in log:
        if c["name"].endswith("SetValue"):
            values[c["args"][0]] = c["args"][1]
    return values


@pytest.mark.parametrize("version", VERSIONS)
def test_a_learner_who_finishes_the_course_is_completed_with_a_score(page, lms, version, console_errors):
    page.goto(lms(version))
    frame = course(page)
    assert frame.locator("h1").inner_text() == "How LLMs Work"
    first = set_values(calls(page))
    status = "cmi.core.lesson_status" if version == "1.2" else "cmi.completion_status"
    assert first[status] == "incomplete"
    right, total = answer_every_quiz_and_finish_every_module(page)
    assert total >= 15 and right == total - len(WRONG)
    page.wait_for_timeout(200)
    finish(page)
    log = calls(page)
    assert_clean_session(log, version)
    sent = set_values(log)
    data = cmi(page)["cmi"]
    share = right / total
    if version == "1.2":
        core = data["core"]
        assert core["lesson_status"] == "completed"
        assert (core["score"]["raw"], core["score"]["min"], core["score"]["max"]) == \
            (str(round(share * 100, 2)), "0", "100")
        assert re.fullmatch(r"\d{4}:\d\d:\d\d\.\d\d", sent["cmi.core.session_time"])
        assert core["exit"] == "suspend" and core["lesson_location"].startswith("how-llms-work/ninas-toolkit/")
    else:
        assert (data["completion_status"], data["success_status"]) == ("completed", "passed")  # 17/21 >= 0.8
        assert float(data["score"]["scaled"]) == pytest.approx(share, abs=1e-4)
        assert float(data["score"]["raw"]) == pytest.approx(share * 100, abs=0.01)
        assert data["progress_measure"] == "1"
        assert re.fullmatch(r"PT\d+H\d+M\d+\.\d\dS", sent["cmi.session_time"])
        assert data["exit"] == "suspend" and data["location"].startswith("how-llms-work/ninas-toolkit/")
    assert_interactions(log, version, total)
    suspend = data["suspend_data"]
    settings = json.loads(inner_settings(page))
    cards = sum(len(m["cards"]) for m in settings["modules"])
    predicted = 4 + math.ceil(len(settings["modules"]) / 6) + math.ceil(total / 3) + math.ceil(cards / 6)
    assert len(suspend) == predicted and len(suspend) <= 4096
    assert [e for e in console_errors if "favicon" not in e] == []


def assert_interactions(log: list[dict], version: str, total: int) -> None:
    """Each answer (a wrong first try, then its retry, too) is one interaction, within SCORM 1.2's formats."""
    fields: dict[int, dict[str, str]] = {}
    for c in log:
        if c["name"].endswith("SetValue") and c["args"][0].startswith("cmi.interactions."):
            n, name = c["args"][0].removeprefix("cmi.interactions.").split(".", 1)
            fields.setdefault(int(n), {})[name] = c["args"][1]
    assert sorted(fields) == list(range(total + len(WRONG)))
    response = "student_response" if version == "1.2" else "learner_response"
    wrong = "wrong" if version == "1.2" else "incorrect"
    choice = r"[0-9a-z](,[0-9a-z])*" if version == "1.2" else r"[0-9a-z](\[,\][0-9a-z])*"
    results, quizzes = [], []
    for n in sorted(fields):
        one = fields[n]
        when = {"1.2": {"time"}, "2004": {"timestamp", "description"}}[version]
        assert set(one) == {"id", "type", "correct_responses.0.pattern", response, "result"} | when, one
        if version == "1.2":
            assert re.fullmatch(r"\d\d:\d\d:\d\d", one["time"]), one
        else:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\dZ", one["timestamp"]), one
            assert one["description"].startswith("{lang=en}") and len(one["description"]) <= 250, one
            assert not one["description"].endswith(("Choose one.", "Choose all that apply.")), one  # no hint
        assert re.fullmatch(r"q\d+-[A-Za-z0-9_-]+", one["id"]) and len(one["id"]) <= 255
        assert one["type"] == "choice"
        assert re.fullmatch(choice, one[response]) and re.fullmatch(choice, one["correct_responses.0.pattern"])
        assert (one[response] == one["correct_responses.0.pattern"]) == (one["result"] == "correct"), one
        results.append(one["result"])
        quizzes.append(int(one["id"][1:].split("-")[0]))
    assert sorted(set(quizzes)) == list(range(1, total + 1))
    if version == "2004":  # the question as the learner read it, for the LMS's reports
        assert any(one["description"].startswith("{lang=en}Text is already stored as character codes.")
                   for one in fields.values()), fields
    expected = [r for i in range(total) for r in ((wrong, "correct") if i in WRONG else ("correct",))]
    assert results == expected


def inner_settings(page) -> str:
    return page.evaluate("fetch('pkg/scorm.html').then(r => r.text())").split('id="cg-lms">')[1].split("</script>")[0]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_relaunch_resumes_where_the_learner_left_from_the_lms_data(page, lms, version):
    url = lms(version)
    page.goto(url)
    frame = course(page)
    frame.locator(".cg-main h3 a").nth(1).click()  # module 2
    frame.locator("[data-module-done]").click()
    quiz = frame.locator("form.cg-quiz").first
    quiz.locator("input[data-correct=false]").first.check()
    quiz.locator("button[type=submit]").click()
    page.wait_for_timeout(200)
    page.goto(url.split("/lms.html")[0] + "/closed.html")  # the learner leaves the LMS's page altogether
    log, saved = after_leaving(page)
    assert_clean_session(log, version)  # one finish, though both beforeunload and pagehide fired
    entry = saved["cmi"]["core"] if version == "1.2" else saved["cmi"]
    assert entry["exit"] == "suspend"
    entry["entry"] = "resume"  # what the LMS says on the next launch after a suspend
    page.evaluate("(saved) => { sessionStorage.setItem('lms-saved', saved); localStorage.clear(); }",
                  json.dumps(saved))
    page.goto(url)
    frame = course(page)
    assert frame.locator("h1").inner_text() == "Just Two Files"
    assert frame.locator("[data-module-done]").get_attribute("aria-pressed") == "true"
    log = calls(page)
    names = [(c["name"], c["args"][0] if c["args"] else "") for c in log]
    entry_at = names.index((names[1][0], "cmi.core.entry" if version == "1.2" else "cmi.entry"))
    reads = [n for n in names if n[1] in ("cmi.suspend_data", "cmi.core.lesson_location", "cmi.location")
             and n[0].endswith("GetValue")]
    assert reads and all(names.index(r) > entry_at for r in reads)
    quiz = frame.locator("form.cg-quiz").first  # answered again: a new interaction after the saved one
    quiz.locator("button[type=reset]").click()
    quiz.locator("input[data-correct=true]").first.check()
    quiz.locator("button[type=submit]").click()
    page.wait_for_timeout(200)
    written = [c["args"][0] for c in calls(page) if c["name"].endswith("SetValue")]
    assert "cmi.interactions.1.id" in written and not [w for w in written if w.startswith("cmi.interactions.0.")]
    finish(page)
    log = calls(page)
    assert_clean_session(log, version)
    data = cmi(page)["cmi"]
    raw = data["core"]["score"]["raw"] if version == "1.2" else data["score"]["raw"]
    assert raw == "0"  # the one quiz answered, wrong at the first try, came back from suspend_data
    frame_text = frame.locator("body")
    assert frame_text is not None


def test_first_launch_in_scorm2004_reads_no_resume_field_and_browse_mode_writes_nothing(page, lms):
    page.goto(lms("2004"))
    course(page).locator("h1").wait_for()
    log = calls(page)
    assert [c for c in log if c["name"] == "GetValue" and c["args"][0] in ("cmi.suspend_data", "cmi.location")] == []
    page.goto(lms("2004", mode="browse"))
    course(page).locator(".cg-main h3 a").first.click()
    course(page).locator("[data-module-done]").click()
    page.wait_for_timeout(200)
    finish(page)
    log = calls(page)
    assert_clean_session(log, "2004")
    assert [c for c in log if c["name"] == "SetValue"] == []


@pytest.mark.parametrize("version", VERSIONS)
def test_a_course_opened_in_a_window_of_its_own_finds_the_api_through_its_opener(page, lms, version):
    page.goto(lms(version, popup=True))
    with page.context.expect_page() as opened:
        page.locator("#launch").click()
    popup = opened.value
    frame = popup.frame_locator("#cg-course")
    frame.locator(".cg-main h3 a").first.click()
    frame.locator("[data-module-done]").click()
    page.wait_for_timeout(200)
    popup.close(run_before_unload=True)
    page.wait_for_function("window.lmsCalls.length && /Finish|Terminate/.test(window.lmsCalls.at(-1).name)")
    log = calls(page)
    assert_clean_session(log, version)
    done = set_values(log)["cmi.suspend_data"].split(".")[1]
    assert done == "g"  # the first of five modules done: bits 10000(0)


def test_without_an_lms_the_package_is_a_plain_site(page, packages, serve_folder, tmp_path, console_errors):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    base = serve_folder(lms_folder(packages["1.2"], tmp_path / "plain"))
    page.goto(f"{base}/pkg/scorm.html")
    page.wait_for_url("**/pkg/how-llms-work/index.html")
    page.locator(".cg-main h3 a").first.click()
    page.locator("[data-module-done]").click()
    assert page.locator("[data-module-done]").get_attribute("aria-pressed") == "true"
    assert dialogs == [] and [e for e in console_errors if "favicon" not in e] == []
