"""The project's claims, one module per topic; each module declares ``CLAIMS``."""
