"""fanzha: warehouse, ranked monthly notice and dashboards for the '4+1' fund-warning dissuasion model."""

__version__ = "0.1.0"
