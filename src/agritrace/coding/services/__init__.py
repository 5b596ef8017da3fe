"""The coding rules, one module per topic (2020 spec Art. 13–14; 2021 notice "赋追溯码、合格证、
身份证"; 农业农村部令2025年第4号):

- :mod:`.links`: what the QR codes carry, and reading a scan back;
- :mod:`.minting`: code rolls, and the code log;
- :mod:`.binding`: binding codes to batches, voiding and recalling them;
- :mod:`.printing`: label layouts and print jobs;
- :mod:`.certificates`: certificates of compliance;
- :mod:`.checks`: whether a code or certificate is valid now, and market-access checks.
- :mod:`.idcards`: which products that must carry the ID card have one (Art. 13).

Callers import the module of the rule they use (``from agritrace.coding.services import
binding``)."""
