from teams.registry import BenchPart


def build(state) -> None:
    return None


BENCH_PART = BenchPart("initiatives", build=build, order=40)
