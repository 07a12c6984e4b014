"""State aid: dated, cited rulesets (GBER, de minimis), the project check, the de minimis register and
the taskforce's log of rulings.

Pure core: ``vocabulary`` (categories, kinds, sizes, sources, defined once), ``rulesets`` (load/validate,
``ruleset_for``), ``project_document`` (the project file format, read and written), ``check``
(``check_project``; ``check_with_shipped_data`` with the shipped rulesets and ``programme_rates``),
``sme_size``, ``fixes``, ``text_report``; ``cli`` holds the ``check-project`` command and ``batch_check``
(``check_files``) the checking of many files behind it, in worker processes. The register:
``models_de_minimis``, ``ledger`` (reads, export), ``ledger_service`` (writes), ``views_de_minimis``.
Other capabilities import from here; nothing here imports them.
"""
