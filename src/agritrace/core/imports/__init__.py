"""Excel (.xlsx) imports: declarative importers, safe reading, all-or-nothing bulk writes.

An :class:`~.importer.Importer` names its model and its columns (the Chinese header of the
template, the field the column fills, a parser). :func:`.runner.run` refuses files that could
hurt the server before openpyxl parses them (size, zip bombs, not an xlsx), then merged cells and
a wrong header; it validates every row with the model's own validators and ``clean()``, the
user's scope and uniqueness (within the file and against the database) using lookups loaded once,
and writes everything with ``bulk_create`` in one transaction only when no row has an error.
Importers live in each app's ``importers.py`` and are registered with
:func:`.importer.register`.

The parts:

- :mod:`.columns`: cell parsers and :class:`~.columns.Column`, what an importer declares;
- :mod:`.importer`: the :class:`~.importer.Importer` base class and the registry;
- :mod:`.sheets`: refusing unsafe files and reading the sheet (large ones in a child process);
- :mod:`.runner`: validating rows, writing them, the result and the background job;
- :mod:`.templates`: the template and the error report files.
"""
