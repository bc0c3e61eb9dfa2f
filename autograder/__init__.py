"""backprop-course: data loaders, check library and grading engine."""

__version__ = "0.1.0"
