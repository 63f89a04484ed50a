"""Analysis: pure functions over the NetworkX graph built by :func:`chainkg.graph_model.nx_graph.to_networkx`."""
