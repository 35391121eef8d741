"""A stand-in LMS for the browser tests: scorm-again (npm) as the API in a page on loopback that frames
the package's launch page and records every call the package makes, with its result and error code."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from lmshelp import npm_modules

HARNESS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stand-in LMS</title><link rel="icon" href="data:,">
<script src="npm/scorm-again/dist/scorm12.js"></script>
<script src="npm/scorm-again/dist/scorm2004.js"></script>
<style>html, body, iframe { margin: 0; width: 100%; height: 100%; border: 0; display: block; }</style>
</head><body>
<script>
const params = new URLSearchParams(location.search);
const v2004 = params.get("v") === "2004";
const api = v2004 ? new Scorm2004API({ logLevel: 5 }) : new Scorm12API({ logLevel: 5 });
const saved = sessionStorage.getItem("lms-saved");
if (saved) api.loadFromJSON(JSON.parse(saved));
if (params.get("mode") && v2004) api.cmi.mode = params.get("mode");
if (params.get("mode") && !v2004) api.cmi.core.lesson_mode = params.get("mode");
window.lmsCalls = [];
const lastError = v2004 ? "GetLastError" : "LMSGetLastError";
for (const name of v2004 ? ["Initialize", "GetValue", "SetValue", "Commit", "Terminate"]
                         : ["LMSInitialize", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSFinish"]) {
  const real = api[name].bind(api);
  api[name] = (...args) => {
    const result = real(...args);
    window.lmsCalls.push({ name, args, result: String(result), error: String(api[lastError]()) });
    // kept for a test that reads them after the LMS page itself has gone (the learner left it)
    sessionStorage.setItem("lms-last", JSON.stringify({ calls: window.lmsCalls, cmi: api.renderCMIToJSONObject() }));
    return result;
  };
}
window[v2004 ? "API_1484_11" : "API"] = api;
window.lmsApi = api;
if (params.get("popup")) {  // some LMSs open the course in a window of its own
  const link = document.createElement("button");
  link.id = "launch";
  link.textContent = "Launch";
  link.addEventListener("click", () => { window.popup = window.open(params.get("sco"), "sco"); });
  document.body.append(link);
} else {
  const frame = document.createElement("iframe");
  frame.id = "sco";
  frame.title = "course";
  frame.src = params.get("sco");
  document.body.append(frame);
}
</script></body></html>
"""


def lms_folder(package: Path, folder: Path) -> Path:
    """`folder` with the harness page, scorm-again and the unzipped package in pkg/."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lms.html").write_text(HARNESS, encoding="utf-8")
    if not (folder / "npm").exists():
        (folder / "npm").symlink_to(npm_modules(), target_is_directory=True)
    if (folder / "pkg").exists():
        shutil.rmtree(folder / "pkg")
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder / "pkg")
    return folder


def calls(page) -> list[dict]:
    return page.evaluate("window.lmsCalls")


def after_leaving(page) -> tuple[list[dict], dict]:
    """The calls and the CMI data of the LMS page the browser has just navigated away from."""
    last = json.loads(page.evaluate("sessionStorage.getItem('lms-last')"))
    return last["calls"], json.loads(json.dumps(last["cmi"]))


def cmi(page) -> dict:
    return json.loads(page.evaluate("JSON.stringify(window.lmsApi.renderCMIToJSONObject())"))
