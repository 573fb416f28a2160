"""The package version (kept equal to pyproject's), for the files that name their tool (XLIFF, TMX) and ``zhbridge --version``.

Its own ground-level module so that the stages can read it without importing the package's front
door (``zhbridge/__init__.py``), which sits above them.
"""

__version__ = "0.1.0"
