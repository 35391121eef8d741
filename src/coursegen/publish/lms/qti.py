"""A page's quizzes as IMS QTI 1.2 assessments, as Common Cartridge profiles them (cc.exam.v0p1 with
cc.multiple_choice or cc.multiple_response items): the question, the options, the right ones and each
option's feedback, taken from the quiz as the page shows it, so the LMS grades what the learner read."""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .manifest import Manifest

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_XSD = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd"
_RESPONSE = "response1"

# The quiz markup blocks.quiz_html writes: the form, its question (before the hint), and each option.
_FORM = re.compile(r'<form class="cg-quiz" id="([^"]+)" data-multiple="(?:true|false)">(.*?)</form>', re.DOTALL)
_QUESTION = re.compile(r'<legend class="cg-quiz-question">(.*?) <span class="cg-quiz-hint">', re.DOTALL)
_OPTION = re.compile(r'<li class="cg-quiz-option"><input [^>]*data-correct="(true|false)">'
                     r'<label [^>]*>(.*?)</label><div class="cg-quiz-option-feedback" hidden>(.*?)</div></li>', re.DOTALL)
_RELATIVE_LINK = re.compile(r'<a href="(?![a-z][a-z0-9+.-]*:|#)[^"]*">(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Option:
    html: str
    correct: bool
    feedback_html: str  # '' when the option has none


@dataclass(frozen=True)
class PageQuiz:
    id: str  # the form's id on the page
    question_html: str
    options: tuple[Option, ...]

    @property
    def multiple(self) -> bool:
        return sum(o.correct for o in self.options) > 1

    @property
    def profile(self) -> str:
        """The CC question type. A quiz of two options, one right, stays multiple choice, though the profile's
        rule 4d asks for three options and would have it be true/false: LMSs turn true/false questions into
        True and False buttons and drop the options' text (Moodle 3 imports none at all, another CC exporter
        reports)."""
        return "cc.multiple_response.v0p1" if self.multiple else "cc.multiple_choice.v0p1"

    @property
    def title(self) -> str:
        """The question as plain text, short enough for an LMS's list of activities."""
        text = " ".join(html.unescape(_TAG.sub("", self.question_html)).split())
        return text if len(text) <= 100 else text[:99].rstrip() + "…"


def _portable(fragment: str) -> str:
    """Links to other pages of the package lose their target (inside a quiz of the LMS they lead nowhere);
    their text stays."""
    return _RELATIVE_LINK.sub(r"\1", fragment).strip()


def page_quizzes(page: str) -> list[PageQuiz]:
    """Every quiz of a built page, in page order."""
    found = []
    for quiz_id, body in _FORM.findall(page):
        question = _QUESTION.search(body)
        options = tuple(Option(_portable(text), correct == "true", _portable(feedback))
                        for correct, text, feedback in _OPTION.findall(body))
        if question and options:
            found.append(PageQuiz(quiz_id, _portable(question.group(1)), options))
    return found


def _field(m: Manifest, parent: ET.Element, label: str, entry: str) -> None:
    field = m.child(parent, "qtimetadatafield")
    m.child(field, "fieldlabel", label)
    m.child(field, "fieldentry", entry)


def _text(m: Manifest, parent: ET.Element, fragment: str) -> None:
    m.child(m.child(parent, "material"), "mattext", fragment, texttype="text/html")


def _presentation(m: Manifest, item: ET.Element, quiz: PageQuiz) -> None:
    presentation = m.child(item, "presentation")
    _text(m, presentation, quiz.question_html)
    response = m.child(presentation, "response_lid", ident=_RESPONSE,
                       rcardinality="Multiple" if quiz.multiple else "Single")
    choices = m.child(response, "render_choice")
    for index, option in enumerate(quiz.options):
        _text(m, m.child(choices, "response_label", ident=f"o{index}"), option.html)


def _processing(m: Manifest, item: ET.Element, quiz: PageQuiz) -> None:
    """Feedback for the option chosen (each checked, processing goes on), then full marks for exactly the
    right options."""
    processing = m.child(item, "resprocessing")
    m.child(m.child(processing, "outcomes"), "decvar", varname="SCORE", vartype="Decimal", minvalue="0",
            maxvalue="100")
    for index, option in enumerate(quiz.options):
        if option.feedback_html:
            condition = m.child(processing, "respcondition", continue_="Yes")
            m.child(m.child(condition, "conditionvar"), "varequal", f"o{index}", respident=_RESPONSE)
            m.child(condition, "displayfeedback", feedbacktype="Response", linkrefid=f"o{index}-feedback")
    right = m.child(processing, "respcondition", continue_="No")
    test = m.child(m.child(right, "conditionvar"), "and") if quiz.multiple else m.child(right, "conditionvar")
    for index, option in enumerate(quiz.options):
        if option.correct:
            m.child(test, "varequal", f"o{index}", respident=_RESPONSE)
        elif quiz.multiple:
            m.child(m.child(test, "not"), "varequal", f"o{index}", respident=_RESPONSE)
    m.child(right, "setvar", "100", action="Set", varname="SCORE")


def assessment_xml(ident: str, quiz: PageQuiz) -> bytes:
    """A QTI document with one assessment of one item: the quiz."""
    m = Manifest(QTI, {}, [(QTI, QTI_XSD)])
    root = m.element("questestinterop", xsi__schemaLocation=m.locations)
    assessment = m.child(root, "assessment", ident=ident, title=quiz.title)
    metadata = m.child(assessment, "qtimetadata")
    _field(m, metadata, "cc_profile", "cc.exam.v0p1")
    _field(m, metadata, "qmd_assessmenttype", "Examination")
    _field(m, metadata, "cc_maxattempts", "unlimited")
    section = m.child(assessment, "section", ident=f"{ident}-section")
    item = m.child(section, "item", ident=f"{ident}-item", title=quiz.title)
    item_metadata = m.child(m.child(item, "itemmetadata"), "qtimetadata")
    _field(m, item_metadata, "cc_profile", quiz.profile)
    _field(m, item_metadata, "cc_weighting", "1")
    _presentation(m, item, quiz)
    _processing(m, item, quiz)
    for index, option in enumerate(quiz.options):
        if option.feedback_html:
            feedback = m.child(item, "itemfeedback", ident=f"o{index}-feedback")
            _text(m, m.child(feedback, "flow_mat"), option.feedback_html)
    return m.bytes(root)
