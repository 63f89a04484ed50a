"""chainkg: an industry-chain knowledge graph (产业链知识图谱) for regional industrial policy.

The front door (:mod:`chainkg.api`) is imported on first use, so ``import chainkg`` and
``chainkg --help`` stay fast::

    import chainkg
    a = chainkg.analyze(chainkg.open_graph("yangzhou-613"))
"""

__version__ = "0.1.0"

_API = ("open_graph", "open_dataset", "analyze", "build_report", "gaps", "prospects", "chokepoints", "firms", "leaders",
        "tiers", "to_frame", "apply_changes", "district_view")
__all__ = ["__version__", "analyze", "apply_changes", "build_report", "chokepoints", "district_view", "firms", "gaps",
           "leaders", "open_dataset", "open_graph", "prospects", "tiers", "to_frame"]  # _API and the version


def __getattr__(name):
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'chainkg' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_API))
