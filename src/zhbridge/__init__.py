"""zhbridge: Chinese–English aligned corpus, terminology and domain MT for the micro-short-drama industry."""

__version__ = "0.1.0"
