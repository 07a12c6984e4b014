"""State aid: dated, cited rulesets (GBER, de minimis) and the project check.

Pure core: ``rulesets`` (load/validate, ``ruleset_for``), ``project_document`` (the project file
format), ``check`` (``check_project``), ``text_report``; ``cli`` holds the ``check-project`` command.
"""
