// Finds the LMS's SCORM API object the way the standards describe: up the chain of parent frames
// from this window, then up the chain of the window that opened it. Answers null when there is none
// (the package then runs as a plain site); never alerts.
window.coursegenFindAPI = function findAPI(name) {
  "use strict";
  function climb(start) {
    let win = start;
    for (let depth = 0; win && depth < 500; depth += 1) {
      try {
        if (win[name]) return win[name];
      } catch (e) { return null; } // a frame of another origin: no API can be reached through it
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  let opener = null;
  try { opener = window.top.opener; } catch (e) { opener = null; }
  return climb(window) || (opener ? climb(opener) : null) || (window.opener ? climb(window.opener) : null);
};
