"""``chainkg serve``: the staff explorer, a read-only web app over the graph and its analysis."""
