"""The course itself: its configuration and directory (`config`), the generated student and solution
versions of its assignments (`release`) and its nbgrader gradebook (`gradebook`).

Everything else builds on this part and nothing here imports the engine, the life-cycle commands or the
audit. The configuration's names are re-exported, so ``from autograder.course import REPO_ROOT`` works.
"""

from .config import (CONFIG_NAME, REPO_ROOT, CourseError, check_assignment, list_assignments, load_config,
                     make_api, new_course_dir, quiet_gradebook_warnings)

__all__ = ["CONFIG_NAME", "REPO_ROOT", "CourseError", "check_assignment", "list_assignments", "load_config",
           "make_api", "new_course_dir", "quiet_gradebook_warnings"]
