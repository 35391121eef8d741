"""LMS packages: a course as SCORM 1.2, SCORM 2004 or IMS Common Cartridge zip (`coursegen export`)."""
from .export import FORMATS, Exported, ExportReport, export

__all__ = ["FORMATS", "ExportReport", "Exported", "export"]
