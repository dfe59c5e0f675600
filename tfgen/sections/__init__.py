"""The platform sections, one file each; see ``tfgen.section``."""
