"""The lines a test script (tests/*/test_*.py) prints for tests/run.py: `ok - NAME`,
`not ok - NAME: DETAIL` (one line: the runner reads only that line, so a multi-line detail
keeps its last three lines, joined) and `skip - NAME: REASON`.

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import tap
    tap.check("name", condition, "what was seen")
    sys.exit(tap.exit_code())
"""
failures = 0


def check(name, cond, detail=""):
    global failures
    if cond:
        print("ok - %s" % name)
    else:
        failures += 1
        print("not ok - %s: %s" % (name, " | ".join(str(detail).strip().splitlines()[-3:])))


def skip(name, reason):
    print("skip - %s: %s" % (name, reason))


def exit_code():
    return 1 if failures else 0
