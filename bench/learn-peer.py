#!/usr/bin/python3
"""The learn benchmark's peer (not a test): Debian's python3-apparmor log parser over one log.

Streams the file line by line through the parser the distribution's log tool uses
(apparmor.logparser.ReadLog: its pre-filter, parse_event, parse_event_for_tree), with every
profile taken as existing, so the work is the same as learn's: read, parse, gather the events of
each profile into its rule tree. A line the parser raises on is counted and skipped (the tool
itself would stop there). Run with the system python3, which has the module.

usage: learn-peer.py LOG
Prints lines read, records handed to the parser, events gathered, parser errors.
"""
import sys

from apparmor.logparser import ReadLog


class EveryProfile:
    """Stands in for the tool's table of loaded profiles: every profile exists."""

    def filename_from_profile_name(self, name):
        return name


def main():
    log = ReadLog(sys.argv[1], EveryProfile(), "/etc/apparmor.d")
    lines = handed = gathered = errors = 0
    with open(sys.argv[1], encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            lines += 1
            if not log.RE_LOG_ALL.search(line):
                continue
            handed += 1
            try:
                event = log.parse_event(line)
                if event:
                    log.parse_event_for_tree(event)
                    gathered += 1
            except Exception:  # the tool stops on these; the benchmark counts them and goes on
                errors += 1
    profiles = sum(len(mode) for mode in log.hashlog.values())
    print("lines=%d handed=%d gathered=%d errors=%d profiles=%d" % (lines, handed, gathered, errors, profiles))


if __name__ == "__main__":
    main()
