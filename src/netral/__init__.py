"""netral: keeps civil servants (ASN) politically neutral during elections."""

__version__ = "0.1.0"
