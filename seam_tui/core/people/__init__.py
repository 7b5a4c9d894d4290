"""People in bulk: read a file of people, plan what it would change, apply it (resumably,
audited), offboard people, and export everyone back to a file. No UI imports here."""

from seam_tui.core.people.apply import ApplyReport, apply_import
from seam_tui.core.people.model import ImportPlan, PlannedRow, PlanNotReady
from seam_tui.core.people.plan import plan_import
from seam_tui.core.people.reader import (
    PeopleFileError,
    read_people,
    read_people_file,
    read_people_text,
)
from seam_tui.core.people.result_file import RowResult, default_result_path, read_results
from seam_tui.core.people.rows import PersonRow, RowProblem

__all__ = [
    "ApplyReport",
    "ImportPlan",
    "PeopleFileError",
    "PersonRow",
    "PlanNotReady",
    "PlannedRow",
    "RowProblem",
    "RowResult",
    "apply_import",
    "default_result_path",
    "plan_import",
    "read_people",
    "read_people_file",
    "read_people_text",
    "read_results",
]
