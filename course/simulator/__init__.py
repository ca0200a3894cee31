"""The needle simulator: the sourced skin model, needle geometry, drills, figures and diagrams."""
