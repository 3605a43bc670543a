from teams.registry import DemoPart


def load(run) -> int:
    return 0


DEMO_PART = DemoPart("initiatives", load=load, order=40)
