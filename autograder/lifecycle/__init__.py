"""The instructor's commands in the order of a course's life: `collect` an LMS download, `validate` a
notebook, `grading` (sequential, plain nbgrader; the parallel engine is `autograder.engine`), `feedback`,
`export` of grades and the `report` (with `report_plots`). Each module is one command's implementation;
`autograder.cli` only parses arguments and calls them.
"""
