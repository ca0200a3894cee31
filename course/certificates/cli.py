"""``python -m course certificates list|revoke``: the tutors' command line for certificates.

``list`` prints every certificate (code, status, learner, name printed, course version, date);
``revoke CODE --reason TEXT`` withdraws one, after which its verification page says *revoked*
(``--allow-new`` lets the learner ask for a new one, e.g. when the name printed was wrong).
Both need the server's certificate secret (``MESO_CERT_SECRET`` or ``.streamlit/secrets.toml``),
since the codes are made from it.
"""

from __future__ import annotations

import argparse
import sys

from course.errors import MesoError

CLI_TUTOR = "command line"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    certificates = commands.add_parser("certificates", help="list and revoke certificates of completion")
    actions = certificates.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="every certificate with its code and status")
    listing.set_defaults(run=run_certificates)
    revoke = actions.add_parser("revoke", help="revoke a certificate by its code")
    revoke.add_argument("code", help="the verification code printed on the certificate")
    revoke.add_argument("--reason", required=True, help="why (kept in the record; not shown on the public page)")
    revoke.add_argument("--allow-new", action="store_true", help="let the learner ask for a new certificate")
    revoke.set_defaults(run=run_certificates)


def run_certificates(args: argparse.Namespace) -> int:
    """Carry out one ``certificates`` action; 0 when it went well, 1 with a message otherwise."""
    from course.certificates.codes import HOW_TO_SET, load_secret  # noqa: PLC0415 (pandas loads only here)
    from course.certificates.registry import Certificates, revocation_text  # noqa: PLC0415
    from course.store.factory import open_store  # noqa: PLC0415

    try:
        secret = load_secret()
        if secret is None:
            raise MesoError(f"No certificate secret is configured: {HOW_TO_SET}.")
        book = Certificates(open_store(), secret)
        if args.action == "list":
            for certificate in book.all():
                status = "genuine" if certificate.revocation is None else revocation_text(certificate.revocation)
                print(
                    f"{book.code(certificate)}\t{certificate.issued[:10]}\t{certificate.learner}\t"
                    f"{certificate.name}\tv{certificate.course_version}\t{status}"
                )
            return 0
        revoked = book.revoke(args.code, CLI_TUTOR, args.reason, reissue=args.allow_new)
        print(f"revoked the certificate of {revoked.learner} ({revoked.name}) issued on {revoked.issued[:10]}")
    except MesoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
