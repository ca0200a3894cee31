"""Certificates of completion: who may have one, the codes that make them checkable, the PDF,
the append-only record of issued and revoked certificates, and the rate limit of verification."""
