"""The pipeline: the flow (check, load), one article's preparation, and the worker pool that prepares chunks."""

from etl.pipeline.flow import check, load

__all__ = ["check", "load"]
