"""nbgrader configuration of the backprop-course course directory.

The repository root is an nbgrader course directory: ``source/`` holds the instructor notebooks,
``release/`` the generated student versions and ``solutions/`` the generated solutions. The
``autograder`` command line loads this file for every course directory it works on.
"""

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "backprop-course"
c.CourseDirectory.solution_directory = "solutions"

# What a student sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Training cells and the hidden accuracy tests run for tens of seconds: nbgrader's default of 30 s per
# cell is too short. The hidden MNIST test of a2 trains for about 30 s on a 2-core machine.
c.Execute.timeout = 300
c.Execute.startup_timeout = 120

# Limits of every notebook `autograder grade` runs (autograder.engine.limits.GradingLimits; the command
# line's --memory, --notebook-timeout, --timeout and --max-output override them for one run; 0 turns one off).
c.GradingLimits.memory_mb = 4096          # address-space cap per kernel (a2's solution needs about 1.5 GiB)
# Seconds for all cells of a notebook: -1 derives it per assignment, timeout_factor x the solution's measured
# grading time (`autograder measure --all` prints the line below; measured on an idle 2-core machine, where
# a busy grading run is up to 5x slower), at least min_notebook_timeout.
c.GradingLimits.notebook_timeout = -1
c.GradingLimits.solution_seconds = {'a1_linear_classifiers': 14, 'a2_mlp_mnist': 22, 'a3_mlp_moons': 5, 'a4_losses_and_stability': 3}
c.GradingLimits.timeout_factor = 20
c.GradingLimits.min_notebook_timeout = 600
c.GradingLimits.output_mb = 10            # output a notebook may keep

# Solutions are stored without outputs and without hidden tests (nbgrader's default would execute them).
c.GenerateSolution.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ClearHiddenTests",
]

# Feedback never shows hidden tests: nbgrader's own steps plus one that removes the hidden regions and
# the tracebacks of test cells (which quote the failing assert's lines) before the HTML export.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "autograder.lifecycle.feedback.RedactHiddenTests",
]
