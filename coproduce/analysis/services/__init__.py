"""Every write to an analysis project, one module per concept: the project and its team,
sources and their import, the codebook, coding and agreement."""
