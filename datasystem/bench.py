from teams.registry import BenchPart


def build(state) -> None:
    return None


BENCH_PART = BenchPart("datasystem", build=build, order=60)
