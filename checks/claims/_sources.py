"""The source documents, by file name (they live in ``shared/seeds/``, never copied here)."""

DOC000 = "000_79e3617690f23793.txt"  # lost its formulas in extraction: statements rebuilt from the prose
DOC001 = "001_8459e59a248a07da.txt"  # repeats its own text: each claim is counted once
DOC002 = "002_d52b67203b30a4ab.txt"
